import type { DevelopmentOutbox } from "../development-outbox.js";
import { assertSendableSms, type SmsContent, type SmsDeliveryInterface } from "./sms-delivery.js";

/**
 * The default SMS delivery when the app configured none: the text lands in the development
 * outbox. A recipe calls `outbox.assertAllowedFor(...)` at init before using it, so production
 * refuses to start rather than silently keeping codes in a table.
 */
export function outboxSmsDelivery<T>(
  outbox: Pick<DevelopmentOutbox, "sendSms">,
  getContent: (input: T & { userContext: Record<string, unknown> }) => SmsContent | Promise<SmsContent>,
): SmsDeliveryInterface<T> {
  return {
    async sendSms(input) {
      const content = await getContent(input);
      // Same rule as a real provider, so a bad number fails in development too.
      assertSendableSms(content);
      await outbox.sendSms({ toPhoneNumber: content.toPhoneNumber, body: content.body });
    },
  };
}
