import { createCipheriv, createDecipheriv, hkdfSync } from "node:crypto";
import { sha256Base64Url, sha256Hex } from "../../crypto/hash.js";
import type { Random } from "../../core/runtime.js";

/**
 * Opaque refresh tokens: `<sessionHandle>.<secret>.<antiCsrfFlag>`, the secret 32 bytes from the
 * CSPRNG. Every token, children included, is fresh randomness: no token is a function of another,
 * so a leaked old token says nothing about the ones that followed it.
 *
 * Only hashes are stored: refreshTokenHash1 = H(base), the database keeps H(H(base)). A session
 * holds its confirmed token's hash and at most one pending child. The child is kept sealed under
 * a key derived from its parent (HKDF-SHA256 → AES-256-GCM), so every request presenting the
 * parent (several tabs, a retried lost response) gets the same child back, and nobody else can:
 * the database alone does not reveal it.
 *
 * Tokens issued before children were random (`<handle>.<secret>.<parentSecret>.<flag>`, the child
 * derived from the parent) still parse, so one in flight across an upgrade is not taken for theft.
 */
export interface RefreshToken {
  sessionHandle: string;
  secret: string;
  antiCsrfEnabled: boolean;
  /** Only on a token of the earlier, derived format: its parent's secret. */
  legacyParentSecret?: string | undefined;
}

const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const HANDLE_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;
const SEAL_INFO = "portcullis/refresh-child/v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function newRefreshToken(sessionHandle: string, random: Random, antiCsrfEnabled: boolean): RefreshToken {
  return { sessionHandle, secret: random.bytes(32).toString("base64url"), antiCsrfEnabled };
}

/** The parent of a token in the earlier, derived format; undefined for every current token. */
export function legacyParentOf(token: RefreshToken): RefreshToken | undefined {
  if (token.legacyParentSecret === undefined) return undefined;
  return { sessionHandle: token.sessionHandle, secret: token.legacyParentSecret, antiCsrfEnabled: token.antiCsrfEnabled };
}

export function serializeRefreshToken(token: RefreshToken): string {
  return `${token.sessionHandle}.${token.secret}.${token.antiCsrfEnabled ? "1" : "0"}`;
}

export function parseRefreshToken(value: string): RefreshToken | undefined {
  const parts = value.split(".");
  if (parts.length !== 3 && parts.length !== 4) return undefined;
  const sessionHandle = parts[0] as string;
  const secret = parts[1] as string;
  const flag = parts[parts.length - 1] as string;
  const parentSecret = parts.length === 4 ? (parts[2] as string) : "";
  if (!HANDLE_PATTERN.test(sessionHandle) || !SECRET_PATTERN.test(secret)) return undefined;
  if (parentSecret !== "" && !SECRET_PATTERN.test(parentSecret)) return undefined;
  if (flag !== "0" && flag !== "1") return undefined;
  const token: RefreshToken = { sessionHandle, secret, antiCsrfEnabled: flag === "1" };
  if (parentSecret !== "") token.legacyParentSecret = parentSecret;
  return token;
}

/** H(base): the flag is part of the base, so flipping it to dodge the anti-CSRF check breaks the hash. */
export function refreshTokenHash1(token: RefreshToken): string {
  return sha256Hex(`${token.sessionHandle}.${token.secret}.${token.antiCsrfEnabled ? "1" : "0"}`);
}

export function refreshTokenHash2(token: RefreshToken): string {
  return sha256Hex(refreshTokenHash1(token));
}

/** The VIA_TOKEN anti-CSRF value of a refresh token: derived one-way, so revealing it to JS reveals nothing. */
export function antiCsrfTokenFor(token: RefreshToken): string | undefined {
  return token.antiCsrfEnabled ? sha256Base64Url(`portcullis/anti-csrf/${token.secret}`).slice(0, 32) : undefined;
}

/** The key that seals `parent`'s pending child: only a holder of the parent's secret can derive it. */
function sealingKey(parent: RefreshToken): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(parent.secret, "base64url"), Buffer.alloc(0), `${SEAL_INFO}/${parent.sessionHandle}`, 32));
}

/** `child`'s secret, encrypted under a key derived from `parent` (AES-256-GCM, random IV, the session handle as AAD). */
export function sealChild(parent: RefreshToken, child: RefreshToken, random: Random): string {
  const iv = random.bytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", sealingKey(parent), iv);
  cipher.setAAD(Buffer.from(parent.sessionHandle, "utf8"));
  const body = Buffer.concat([cipher.update(Buffer.from(child.secret, "base64url")), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url");
}

/** The pending child sealed by sealChild, or undefined when `parent` is not the key it was sealed under. */
export function unsealChild(parent: RefreshToken, sealed: string): RefreshToken | undefined {
  const bytes = Buffer.from(sealed, "base64url");
  if (bytes.length < IV_BYTES + TAG_BYTES + 1) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", sealingKey(parent), bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(parent.sessionHandle, "utf8"));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const secret = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
    return { sessionHandle: parent.sessionHandle, secret: secret.toString("base64url"), antiCsrfEnabled: parent.antiCsrfEnabled };
  } catch {
    return undefined;
  }
}
