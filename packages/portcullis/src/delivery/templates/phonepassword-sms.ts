import type { SmsContent } from "../sms/sms-delivery.js";

/** What the phone + password recipe hands to `sendSms`: a code that verifies the number or resets the password. */
export interface PhonePasswordSmsInput {
  type: "PASSWORD_RESET" | "PHONE_VERIFICATION";
  /** E.164. */
  phoneNumber: string;
  /** Six digits. */
  code: string;
  /** Milliseconds. */
  codeLifetime: number;
  tenantId: string;
}

/** The default texts: what the code is for, the code, and how long it stays valid. */
export function phonePasswordSmsContent(appName: string, input: PhonePasswordSmsInput): SmsContent {
  const minutes = Math.max(1, Math.round(input.codeLifetime / 60_000));
  const purpose = input.type === "PASSWORD_RESET" ? `Your ${appName} password reset code is ${input.code}.` : `Your ${appName} verification code is ${input.code}.`;
  const warning = input.type === "PASSWORD_RESET" ? "If you did not ask to reset your password, ignore this message." : "Don't share it.";
  return { toPhoneNumber: input.phoneNumber, body: `${purpose} It expires in ${minutes} minute${minutes === 1 ? "" : "s"}. ${warning}` };
}
