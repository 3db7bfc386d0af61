import { createHmac } from "node:crypto";
import type { Random } from "../../core/runtime.js";
import { newUserInputCode } from "../passwordless/code-material.js";

/** The purposes of phone codes in storage: one live code per purpose and number. */
export const PHONE_VERIFICATION_PURPOSE = "phone-verification";
export const PASSWORD_RESET_PURPOSE = "password-reset";

export interface CodeKey {
  tenantId: string;
  purpose: string;
  phoneNumber: string;
}

/** Six uniform digits from the CSPRNG, as passwordless codes. */
export function newSmsCode(random: Random): string {
  return newUserInputCode(random);
}

export function newCodeSalt(random: Random): string {
  return random.bytes(32).toString("base64url");
}

/**
 * HMAC-SHA256 of the code under a per-code random salt, bound to its key, so equal codes of two
 * numbers never share a hash and a hash moved to another row matches nothing. Six digits are
 * few: someone holding a copy of the table can still try them all against one row, which is why
 * a code lives minutes and dies after five wrong tries; the hash keeps codes out of dumps, logs
 * and backups in the clear.
 */
export function codeHashOf(salt: string, key: CodeKey, code: string): string {
  return createHmac("sha256", Buffer.from(salt, "base64url"))
    .update(`${key.tenantId}\n${key.purpose}\n${key.phoneNumber}\n${code}`, "utf8")
    .digest("base64url");
}
