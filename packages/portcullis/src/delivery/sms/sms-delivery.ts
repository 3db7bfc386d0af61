import { resolveDelivery } from "../resolve-delivery.js";

/** What an SMS service sends: one text to one number. */
export interface SmsContent {
  /** E.164: `+` and 8–15 digits. */
  toPhoneNumber: string;
  body: string;
}

/** SuperTokens' SMS delivery contract: one call per message, rejecting when it was not handed off. */
export interface SmsDeliveryInterface<T> {
  sendSms(input: T & { userContext: Record<string, unknown> }): Promise<void>;
}

/** The `smsDelivery` block of a recipe's config. */
export type SmsDeliveryTypeInput<T> = {
  service?: SmsDeliveryInterface<T>;
  override?: (originalImplementation: SmsDeliveryInterface<T>) => SmsDeliveryInterface<T>;
};

/** What a service's `override` receives and returns; spread the original to replace one of the two steps. */
export interface SmsServiceInterface<T> {
  sendRawSms(input: SmsContent & { userContext: Record<string, unknown> }): Promise<void>;
  getContent(input: T & { userContext: Record<string, unknown> }): Promise<SmsContent>;
}

/** The configured service (or the recipe's fallback), with the app's override applied on top. */
export function resolveSmsDelivery<T>(
  input: SmsDeliveryTypeInput<T> | undefined,
  fallback: SmsDeliveryInterface<T>,
): SmsDeliveryInterface<T> {
  return resolveDelivery(input, fallback, "smsDelivery", "sendSms");
}

/** A service built from the two steps, with the service's own override applied. */
export function composeSmsService<T>(
  original: SmsServiceInterface<T>,
  override: ((originalImplementation: SmsServiceInterface<T>) => SmsServiceInterface<T>) | undefined,
): SmsDeliveryInterface<T> {
  const implementation = override ? override(original) : original;
  if (typeof implementation?.sendRawSms !== "function" || typeof implementation.getContent !== "function") {
    throw new TypeError("an SMS service override must return an object with sendRawSms and getContent functions");
  }
  return {
    sendSms: async (input) => {
      const content = await implementation.getContent(input);
      await implementation.sendRawSms({ ...content, userContext: input.userContext });
    },
  };
}

const E164 = /^\+[1-9][0-9]{7,14}$/;

/** E.164 (`+`, then 8–15 digits, no leading zero): the only form sent to a provider. */
export function isE164(phoneNumber: string): boolean {
  return E164.test(phoneNumber);
}

/** Throws before anything is sent when the number or body cannot be a valid SMS. */
export function assertSendableSms(content: SmsContent): void {
  if (typeof content.toPhoneNumber !== "string" || !isE164(content.toPhoneNumber)) {
    throw new Error(
      `SMS not sent: the phone number must be in E.164 form ("+" and 8 to 15 digits, e.g. +14155550123), got ${JSON.stringify(String(content.toPhoneNumber)).slice(0, 40)}`,
    );
  }
  if (typeof content.body !== "string" || content.body.length === 0) {
    throw new Error("SMS not sent: the body is empty");
  }
}
