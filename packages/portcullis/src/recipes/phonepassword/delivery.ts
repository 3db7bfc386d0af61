import type { SmsDeliveryInterface } from "../../delivery/sms/sms-delivery.js";
import { phonePasswordSmsContent } from "../../delivery/templates/phonepassword-sms.js";
import type { Engine } from "../../engine/types.js";
import type { TypePhonePasswordSmsDeliveryInput } from "./types.js";

/** With nothing configured, the texts land in the development outbox: never a silent drop. */
export function outboxPhonePasswordSmsDelivery(engine: Engine): SmsDeliveryInterface<TypePhonePasswordSmsDeliveryInput> {
  return { sendSms: async (input) => engine.outbox.sendSms(phonePasswordSmsContent(engine.appInfo.appName, input)) };
}
