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

/**
 * Development stand-in for an email service: keeps the message where a developer can read it
 * instead of sending it, and never phones home.
 */
export function createOutboxEmailSender(deps: OutboxEmailSenderDeps): OutboxEmailSender {
  return {
    async send(content) {
      const message: OutboxMessage = {
        id: randomUUID(),
        channel: "email",
        recipient: content.toEmail,
        subject: content.subject,
        textBody: content.isHtml ? (content.textBody ?? htmlToText(content.body)) : content.body,
        htmlBody: content.isHtml ? content.body : undefined,
        createdAt: deps.now(),
      };
      await deps.insert(message);
      // Recipient and subject only: bodies carry reset links and codes, and secrets are never logged.
      deps.log(
        `Email to ${quoteForLog(message.recipient)} (subject ${quoteForLog(message.subject)}) was ` +
          `stored in the development outbox as ${message.id}, not sent. Configure emailDelivery to send real email.`,
      );
    },
  };
}

export interface OutboxSmsSender {
  send(content: SmsContent): Promise<void>;
}

/** The SMS counterpart: the text is stored (channel "sms", recipient the phone number), never sent. */
export function createOutboxSmsSender(deps: OutboxEmailSenderDeps): OutboxSmsSender {
  return {
    async send(content) {
      const message: OutboxMessage = {
        id: randomUUID(),
        channel: "sms",
        recipient: content.toPhoneNumber,
        subject: "SMS",
        textBody: content.body,
        htmlBody: undefined,
        createdAt: deps.now(),
      };
      await deps.insert(message);
      // Recipient only: the body carries the code.
      deps.log(
        `SMS to ${quoteForLog(message.recipient)} was stored in the development outbox as ${message.id}, not sent. ` +
          `Configure smsDelivery to send real SMS.`,
      );
    },
  };
}

// Quoted and escaped so a crafted address or subject cannot forge extra log lines.
function quoteForLog(value: string): string {
  return JSON.stringify(value).replace(
    /[\u0085\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
