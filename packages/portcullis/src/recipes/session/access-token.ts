import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from "node:crypto";
import { isPlainObject } from "../../core/json.js";
import type { LoadedKey } from "./signing-keys.js";

/** Claims the SDK owns; an app payload can never set them. */
export const PROTECTED_PROPS = [
  "sub",
  "iat",
  "exp",
  "sessionHandle",
  "parentRefreshTokenHash1",
  "refreshTokenHash1",
  "antiCsrfToken",
  "rsub",
  "tId",
  "stt",
] as const;

export interface AccessTokenPayload {
  sub: string;
  rsub: string;
  exp: number;
  iat: number;
  sessionHandle: string;
  refreshTokenHash1: string;
  parentRefreshTokenHash1: string | null;
  antiCsrfToken: string | null;
  tId: string;
  [claim: string]: unknown;
}

export interface ParsedAccessToken {
  token: string;
  kid: string;
  signingInput: string;
  signature: Buffer;
  payload: AccessTokenPayload;
}

const PROTECTED = new Set<string>(PROTECTED_PROPS);

/** A copy without the protected claims. Copied key by key: deleting from a spread copy is several times slower, on every verification. */
export function stripProtectedProps(payload: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(payload)) {
    if (PROTECTED.has(key)) continue;
    // A JSON payload may carry an own "__proto__" key: kept as data, as the spread did, never as the prototype.
    if (key === "__proto__") Object.defineProperty(copy, key, { value: payload[key], enumerable: true, writable: true, configurable: true });
    else copy[key] = payload[key];
  }
  return copy;
}

/** The SDK's merge rule: protected claims never change, and a `null` value deletes a key. */
export function mergeIntoPayload(current: Record<string, unknown>, update: Record<string, unknown>): Record<string, unknown> {
  const merged = stripProtectedProps(current);
  for (const [key, value] of Object.entries(stripProtectedProps(update))) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/**
 * Signs on libuv's thread pool, not the event loop: an RS256 signature is most of what a sign-in or
 * a refresh costs the main thread, and off it several are made at once on several cores.
 */
export function signAccessToken(payload: AccessTokenPayload, key: LoadedKey): Promise<string> {
  const header = base64UrlJson({ alg: "RS256", typ: "JWT", version: "5", kid: key.kid });
  const body = base64UrlJson(payload);
  const signingInput = `${header}.${body}`;
  return new Promise((resolve, reject) => {
    cryptoSign("sha256", Buffer.from(signingInput), key.privateKey, (error, signature) => {
      if (error !== null) reject(error);
      else resolve(`${signingInput}.${signature.toString("base64url")}`);
    });
  });
}

/**
 * Parses without checking the signature: undefined unless the token has our structure (three parts,
 * RS256, typ JWT, version ≥ 3 with a kid, every required claim of the right type). Header-mode
 * tokens that fail this are ignored, as the SDK does.
 */
export function parseAccessToken(token: string): ParsedAccessToken | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  if (!isPlainObject(header)) return undefined;
  if (header["typ"] !== "JWT" || header["alg"] !== "RS256" || typeof header["kid"] !== "string") return undefined;
  const version = Number(header["version"] ?? "5");
  if (!Number.isInteger(version) || version < 3) return undefined;
  const payload = decodeJson(payloadPart);
  if (!isValidPayload(payload)) return undefined;
  return {
    token,
    kid: header["kid"],
    signingInput: `${headerPart}.${payloadPart}`,
    signature: Buffer.from(signaturePart, "base64url"),
    payload,
  };
}

export function hasValidSignature(parsed: ParsedAccessToken, publicKey: KeyObject): boolean {
  return cryptoVerify("sha256", Buffer.from(parsed.signingInput), publicKey, parsed.signature);
}

function isValidPayload(payload: unknown): payload is AccessTokenPayload {
  if (!isPlainObject(payload)) return false;
  const stringClaims = ["sub", "rsub", "sessionHandle", "refreshTokenHash1", "tId"];
  if (!stringClaims.every((claim) => typeof payload[claim] === "string")) return false;
  if (typeof payload["exp"] !== "number" || typeof payload["iat"] !== "number") return false;
  const parent = payload["parentRefreshTokenHash1"];
  if (parent !== undefined && parent !== null && typeof parent !== "string") return false;
  const antiCsrf = payload["antiCsrfToken"];
  if (antiCsrf !== undefined && antiCsrf !== null && typeof antiCsrf !== "string") return false;
  // Any other token type (stt ≠ 0) is not an access token.
  return payload["stt"] === undefined || payload["stt"] === 0;
}

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}
