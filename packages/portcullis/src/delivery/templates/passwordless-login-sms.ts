import type { SmsContent } from "../sms/sms-delivery.js";

/** SuperTokens' `TypePasswordlessSmsDeliveryInput`: what the passwordless recipe hands to `sendSms`. */
export interface PasswordlessLoginSmsInput {
  type: "PASSWORDLESS_LOGIN";
  phoneNumber: string;
  userInputCode?: string | undefined;
  urlWithLinkCode?: string | undefined;
  /** Milliseconds. */
  codeLifetime: number;
  preAuthSessionId: string;
  tenantId: string;
  isFirstFactor?: boolean | undefined;
}

/** The default login text: the code and/or the link, and how long they stay valid. */
export function passwordlessLoginSmsContent(appName: string, input: PasswordlessLoginSmsInput): SmsContent {
  const minutes = Math.max(1, Math.round(input.codeLifetime / 60_000));
  const parts: string[] = [];
  if (input.userInputCode !== undefined) parts.push(`Your ${appName} login code is ${input.userInputCode}.`);
  if (input.urlWithLinkCode !== undefined) {
    parts.push(input.userInputCode !== undefined ? `Or open: ${input.urlWithLinkCode}` : `Log in to ${appName}: ${input.urlWithLinkCode}`);
  }
  parts.push(`It expires in ${minutes} minute${minutes === 1 ? "" : "s"}. Don't share it.`);
  return { toPhoneNumber: input.phoneNumber, body: parts.join(" ") };
}
