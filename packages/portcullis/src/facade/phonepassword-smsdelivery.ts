import type { SmsContent, SmsServiceInterface } from "../delivery/sms/sms-delivery.js";
import { TwilioService as GenericTwilioService, type TwilioSettings } from "../delivery/sms/twilio-service.js";
import { WebhookSmsService as GenericWebhookSmsService, type WebhookSmsSettings } from "../delivery/sms/webhook-service.js";
import { phonePasswordSmsContent, type PhonePasswordSmsInput } from "../delivery/templates/phonepassword-sms.js";

export type { SmsContent, SmsServiceInterface, TwilioSettings, WebhookSmsSettings };
export type { SmsDeliveryInterface, SmsDeliveryTypeInput } from "../delivery/sms/sms-delivery.js";
export type TypePhonePasswordSmsDeliveryInput = PhonePasswordSmsInput;

type Input = TypePhonePasswordSmsDeliveryInput;
type ContentGetter = (input: Input & { userContext: Record<string, unknown> }) => SmsContent | Promise<SmsContent>;

interface ServiceOptions {
  override?: ((originalImplementation: SmsServiceInterface<Input>) => SmsServiceInterface<Input>) | undefined;
  /** Replaces the default verification and reset texts. */
  getContent?: ContentGetter | undefined;
  /** Used in the default texts. Default "your app". */
  appName?: string | undefined;
}

function contentGetter(options: ServiceOptions): ContentGetter {
  return options.getContent ?? ((input) => phonePasswordSmsContent(options.appName ?? "your app", input));
}

/** `portcullis/recipe/phonepassword/smsdelivery`'s TwilioService, shaped like passwordless's. */
export class TwilioService extends GenericTwilioService<Input> {
  constructor(config: { twilioSettings: TwilioSettings } & ServiceOptions) {
    super({ twilioSettings: config.twilioSettings, getContent: contentGetter(config), override: config.override });
  }
}

/** POSTs JSON `{ to, body }` to your own endpoint. */
export class WebhookSmsService extends GenericWebhookSmsService<Input> {
  constructor(config: WebhookSmsSettings & ServiceOptions) {
    super({ ...config, getContent: contentGetter(config), override: config.override });
  }
}
