import type { Clock } from "../core/runtime.js";
import type { Log } from "../core/log.js";
import type { OutboxMessage, OutboxStore } from "../storage/storage.js";
import type { EmailContent } from "./email-content.js";
import { createOutboxEmailSender, createOutboxSmsSender, type OutboxEmailSenderDeps } from "./outbox-service.js";
import type { SmsContent } from "./sms/sms-delivery.js";

export interface DevelopmentOutboxOptions {
  /** Messages (which hold live reset links and codes) are deleted this long after they were stored. Default 24. */
  retentionHours?: number | undefined;
  /** Lets the outbox stand in for email delivery under NODE_ENV=production. Default false: start-up fails instead. */
  allowInProduction?: boolean | undefined;
}

export interface DevelopmentOutbox {
  send(content: EmailContent): Promise<void>;
  /** Stores a text message (channel "sms") next to the emails. */
  sendSms(content: SmsContent): Promise<void>;
  /** Unexpired messages, newest first (expired ones are purged first). */
  list(limit: number): Promise<OutboxMessage[]>;
  /**
   * Called by a recipe that will fall back to the outbox because the app configured no delivery
   * for `what`. In production that would silently keep live links in a table instead of sending
   * them, so it throws with the fix, unless the app opted in.
   */
  assertAllowedFor(what: string, howToConfigure: string): void;
}

const DEFAULT_RETENTION_HOURS = 24;

export function createDevelopmentOutbox(deps: {
  store: OutboxStore;
  clock: Clock;
  log: Log;
  options: DevelopmentOutboxOptions | undefined;
  production: boolean;
}): DevelopmentOutbox {
  const retentionMs = (deps.options?.retentionHours ?? DEFAULT_RETENTION_HOURS) * 3_600_000;
  if (!(retentionMs > 0)) throw new Error("developmentOutbox.retentionHours must be a positive number");
  const purge = () => deps.store.deleteCreatedBefore(deps.clock.now() - retentionMs);
  const senderDeps: OutboxEmailSenderDeps = {
    insert: async (message) => {
      await deps.store.insert(message);
      // Sends are rare (a reset, a code): purging on each keeps the table to one retention window.
      await purge().catch((error: unknown) => deps.log.error("Purging the development outbox failed", error));
    },
    now: () => deps.clock.now(),
    log: (line) => deps.log.info(line),
  };
  const sender = createOutboxEmailSender(senderDeps);
  const smsSender = createOutboxSmsSender(senderDeps);
  return {
    send: (content) => sender.send(content),
    sendSms: (content) => smsSender.send(content),
    async list(limit) {
      await purge();
      return deps.store.listNewest(limit);
    },
    assertAllowedFor(what, howToConfigure) {
      if (!deps.production || deps.options?.allowInProduction === true) return;
      throw new Error(
        `NODE_ENV is "production" but no delivery is configured for ${what}: they would only be stored, with their live links, ` +
          `in the development outbox table. Configure delivery (${howToConfigure}), ` +
          `or opt in to the outbox explicitly with developmentOutbox: { allowInProduction: true } in the Portcullis config.`,
      );
    },
  };
}
