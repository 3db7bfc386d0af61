import { sha256Base64Url, sha256Hex } from "../../crypto/hash.js";
import type { Random } from "../../core/runtime.js";

/**
 * Opaque refresh tokens: `<sessionHandle>.<secret>.<parentSecret>.<antiCsrfFlag>`.
 *
 * Only hashes are stored: refreshTokenHash1 = H(base), the database keeps H(H(base)). A child's
 * secret is derived from its parent's, so concurrent refreshes with one token (several tabs) all
 * receive the same child and can never trip theft detection against each other. Carrying the
 * parent's secret (not its hash) proves knowledge of the parent: the access token exposes the
 * hashes, so a hash alone must not be enough to promote a forged child.
 */
export interface RefreshToken {
  sessionHandle: string;
  secret: string;
  parentSecret: string | undefined;
  antiCsrfEnabled: boolean;
}

const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newRefreshToken(sessionHandle: string, random: Random, antiCsrfEnabled: boolean): RefreshToken {
  return { sessionHandle, secret: random.bytes(32).toString("base64url"), parentSecret: undefined, antiCsrfEnabled };
}

export function childOf(parent: RefreshToken): RefreshToken {
  return {
    sessionHandle: parent.sessionHandle,
    secret: sha256Base64Url(`portcullis/refresh-child/${parent.secret}`),
    parentSecret: parent.secret,
    antiCsrfEnabled: parent.antiCsrfEnabled,
  };
}

export function parentOf(token: RefreshToken): RefreshToken | undefined {
  if (token.parentSecret === undefined) return undefined;
  return { sessionHandle: token.sessionHandle, secret: token.parentSecret, parentSecret: undefined, antiCsrfEnabled: token.antiCsrfEnabled };
}

export function serializeRefreshToken(token: RefreshToken): string {
  return [token.sessionHandle, token.secret, token.parentSecret ?? "", token.antiCsrfEnabled ? "1" : "0"].join(".");
}

export function parseRefreshToken(value: string): RefreshToken | undefined {
  const parts = value.split(".");
  if (parts.length !== 4) return undefined;
  const [sessionHandle, secret, parentSecret, flag] = parts as [string, string, string, string];
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(sessionHandle) || !SECRET_PATTERN.test(secret)) return undefined;
  if (parentSecret !== "" && !SECRET_PATTERN.test(parentSecret)) return undefined;
  if (flag !== "0" && flag !== "1") return undefined;
  return { sessionHandle, secret, parentSecret: parentSecret === "" ? undefined : parentSecret, antiCsrfEnabled: flag === "1" };
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
