import { randomUUID } from "node:crypto";
import type { EmailContent } from "./email-content.js";
import type { OutboxMessage } from "../storage/storage.js";
import { htmlToText } from "./html-to-text.js";
import type { SmsContent } from "./sms/sms-delivery.js";

export type { OutboxMessage };

export interface OutboxEmailSenderDeps {
  insert: (message: OutboxMessage) => Promise<void>;
  now: () => number;
  log: (line: string) => void;
}

export interface OutboxEmailSender {
  send(content: EmailContent): Promise<void>;
}

/** Stores a message (id and time added) instead of sending it, then logs one line saying so. */
async function store(deps: OutboxEmailSenderDeps, fields: Omit<OutboxMessage, "id" | "createdAt">, describe: (id: string) => string): Promise<void> {
  const message: OutboxMessage = { id: randomUUID(), ...fields, createdAt: deps.now() };
  await deps.insert(message);
  deps.log(describe(message.id));
}

/**
 * Development stand-in for an email service: keeps the message where a developer can read it
 * instead of sending it, and never phones home.
 */
export function createOutboxEmailSender(deps: OutboxEmailSenderDeps): OutboxEmailSender {
  return {
    send: (content) =>
      store(
        deps,
        {
          channel: "email",
          recipient: content.toEmail,
          subject: content.subject,
          textBody: content.isHtml ? (content.textBody ?? htmlToText(content.body)) : content.body,
          htmlBody: content.isHtml ? content.body : undefined,
        },
        // Recipient and subject only: bodies carry reset links and codes, and secrets are never logged.
        (id) =>
          `Email to ${quoteForLog(content.toEmail)} (subject ${quoteForLog(content.subject)}) was ` +
          `stored in the development outbox as ${id}, not sent. Configure emailDelivery to send real email.`,
      ),
  };
}

export interface OutboxSmsSender {
  send(content: SmsContent): Promise<void>;
}

/** The SMS counterpart: the text is stored (channel "sms", recipient the phone number), never sent. */
export function createOutboxSmsSender(deps: OutboxEmailSenderDeps): OutboxSmsSender {
  return {
    send: (content) =>
      store(
        deps,
        { channel: "sms", recipient: content.toPhoneNumber, subject: "SMS", textBody: content.body, htmlBody: undefined },
        // Recipient only: the body carries the code.
        (id) => `SMS to ${quoteForLog(content.toPhoneNumber)} was stored in the development outbox as ${id}, not sent. Configure smsDelivery to send real SMS.`,
      ),
  };
}

// Quoted and escaped so a crafted address or subject cannot forge extra log lines.
function quoteForLog(value: string): string {
  return JSON.stringify(value).replace(
    /[\u0085\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
