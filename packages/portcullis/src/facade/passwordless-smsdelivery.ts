import type { SmsContent, SmsDeliveryInterface, SmsServiceInterface } from "../delivery/sms/sms-delivery.js";
import { TwilioService as GenericTwilioService, type TwilioSettings } from "../delivery/sms/twilio-service.js";
import { WebhookSmsService as GenericWebhookSmsService, type WebhookSmsSettings } from "../delivery/sms/webhook-service.js";
import { passwordlessLoginSmsContent, type PasswordlessLoginSmsInput } from "../delivery/templates/passwordless-login-sms.js";

export type { SmsContent, SmsDeliveryInterface, SmsServiceInterface, TwilioSettings, WebhookSmsSettings };
export type { SmsDeliveryTypeInput } from "../delivery/sms/sms-delivery.js";
/** SuperTokens' name for what the passwordless recipe passes to `sendSms`. */
export type TypePasswordlessSmsDeliveryInput = PasswordlessLoginSmsInput;

type Input = TypePasswordlessSmsDeliveryInput;
type ContentGetter = (input: Input & { userContext: Record<string, unknown> }) => SmsContent | Promise<SmsContent>;

interface ServiceOptions {
  override?: ((originalImplementation: SmsServiceInterface<Input>) => SmsServiceInterface<Input>) | undefined;
  /** Replaces the default login text. */
  getContent?: ContentGetter | undefined;
  /** Used in the default text. Default "your app". */
  appName?: string | undefined;
}

function contentGetter(options: ServiceOptions): ContentGetter {
  return options.getContent ?? ((input) => passwordlessLoginSmsContent(options.appName ?? "your app", input));
}

/**
 * `portcullis/recipe/passwordless/smsdelivery`'s TwilioService: the SDK's constructor shape,
 * sending through Twilio's REST API with `fetch`.
 */
export class TwilioService extends GenericTwilioService<Input> {
  constructor(config: { twilioSettings: TwilioSettings } & ServiceOptions) {
    super({ twilioSettings: config.twilioSettings, getContent: contentGetter(config), override: config.override });
  }
}

/** Portcullis addition: POSTs JSON `{ to, body }` to your own endpoint. */
export class WebhookSmsService extends GenericWebhookSmsService<Input> {
  constructor(config: WebhookSmsSettings & ServiceOptions) {
    super({ ...config, getContent: contentGetter(config), override: config.override });
  }
}

/**
 * The SDK's SupertokensService sends through SuperTokens' paid hosted service, which a
 * self-contained library does not use. Kept as a name so a port fails with the fix, not an import error.
 */
export class SupertokensService implements SmsDeliveryInterface<Input> {
  constructor(_apiKey?: string) {
    throw new Error(
      "SupertokensService is not available in Portcullis: it needs SuperTokens' hosted SMS service. " +
        "Use TwilioService (any Twilio-compatible API via twilioSettings.baseUrl) or WebhookSmsService.",
    );
  }

  sendSms(): Promise<void> {
    return Promise.reject(new Error("SupertokensService is not available in Portcullis"));
  }
}
