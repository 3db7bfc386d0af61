import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/** Longest address SMTP can carry (RFC 5321 path limit less the brackets). */
export const MAX_EMAIL_LENGTH = 254;

/** Fullwidth and halfwidth forms (ＡＢＣ＠ｅｘａｍｐｌｅ．ｃｏｍ): mapped to their ordinary characters, as PRECIS does for identifiers. */
const WIDTH_FORMS = /[\uFF01-\uFFEE]/g;

/**
 * One spelling per address: trimmed, width-mapped, NFC (a composed and a decomposed "é" are the
 * same), lower-cased as the SuperTokens core does. Applied before every look-up and every write.
 */
export function normaliseEmail(email: string): string {
  return email
    .trim()
    .replace(WIDTH_FORMS, (form) => form.normalize("NFKC"))
    .normalize("NFC")
    .toLowerCase()
    .normalize("NFC");
}

/** Why an email can never be an account's address, whatever the app's own validator says; undefined when it can. */
export function emailProblem(email: string): string | undefined {
  if (hasControlCharacter(email)) return "Email is invalid";
  if (normaliseEmail(email).length > MAX_EMAIL_LENGTH) return `Email must be at most ${MAX_EMAIL_LENGTH} characters`;
  return undefined;
}

/** C0 and C1 controls and DEL: NUL alone makes PostgreSQL refuse the text and log files lie. */
export function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/**
 * One spelling per number: E.164 (`+14155550123`) when the number parses in international form,
 * otherwise trimmed with spaces, dashes and brackets dropped (so a number stored before still matches).
 */
export function normalisePhoneNumber(phoneNumber: string): string {
  const parsed = parsePhoneNumberFromString(phoneNumber.trim());
  return parsed !== undefined ? parsed.number : phoneNumber.trim().replace(/[\s()-]/g, "");
}

/** Whether the number exists in its country's numbering plan (libphonenumber's full metadata). */
export function isValidPhoneNumber(phoneNumber: string): boolean {
  return !hasControlCharacter(phoneNumber) && parsePhoneNumberFromString(phoneNumber.trim())?.isValid() === true;
}
