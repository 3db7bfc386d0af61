/** Emails are compared and stored trimmed and lower-cased, as the SuperTokens core does. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Without a phone-number library: trim and drop spaces, dashes and brackets. */
export function normalisePhoneNumber(phoneNumber: string): string {
  return phoneNumber.trim().replace(/[\s()-]/g, "");
}
