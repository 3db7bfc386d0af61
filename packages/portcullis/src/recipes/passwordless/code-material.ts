import { createHmac } from "node:crypto";
import type { Random } from "../../core/runtime.js";
import { sha256Base64Url } from "../../crypto/hash.js";

/**
 * The secrets of one passwordless sign-in attempt, as the SuperTokens core derives them:
 * - the device id (256 random bits) stays with the client; only its SHA-256, the
 *   preAuthSessionId, is stored, so the database cannot reproduce it;
 * - a link code is HMAC-SHA256 over the user input code, keyed with the device id and a per-device
 *   salt: 256 bits that nobody without the device id can derive, even knowing the 6 digits;
 * - only SHA-256 of the link code is stored. A typed code is checked by deriving its link code
 *   again, so a leaked table gives neither the codes nor the links.
 */
export interface NewDevice {
  deviceId: string;
  preAuthSessionId: string;
  linkCodeSalt: string;
}

export function newDevice(random: Random): NewDevice {
  const deviceId = random.bytes(32).toString("base64");
  return { deviceId, preAuthSessionId: preAuthSessionIdOf(deviceId), linkCodeSalt: random.bytes(32).toString("base64") };
}

export function preAuthSessionIdOf(deviceId: string): string {
  return sha256Base64Url(Buffer.from(deviceId, "base64"));
}

/** The client's device id, only if it is the one behind this preAuthSessionId. */
export function deviceMatches(deviceId: string, preAuthSessionId: string): boolean {
  // Both sides are public hashes of the client's own input: no secret is compared here.
  return preAuthSessionIdOf(deviceId) === preAuthSessionId;
}

export function linkCodeFor(deviceId: string, linkCodeSalt: string, userInputCode: string): string {
  const key = Buffer.concat([Buffer.from(deviceId, "base64"), Buffer.from(linkCodeSalt, "base64")]);
  return createHmac("sha256", key).update(userInputCode, "utf8").digest("base64url");
}

export function linkCodeHashOf(linkCode: string): string {
  return sha256Base64Url(linkCode);
}

const CODE_DIGITS = 6;

/** Six uniform digits from the CSPRNG, leading zeros kept. */
export function newUserInputCode(random: Random): string {
  return String(random.int(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, "0");
}
