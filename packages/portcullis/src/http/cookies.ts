import type { CookieSameSite } from "./base-response.js";

/**
 * Parses a Cookie header. Every cookie name maps to all its values, because the session layer must
 * notice duplicate access-token cookies (several domains) instead of silently picking one.
 */
export function parseCookieHeader(header: string | undefined): Map<string, string[]> {
  const cookies = new Map<string, string[]>();
  if (header === undefined || header === "") return cookies;
  for (const part of header.split(";")) {
    const separator = part.indexOf("=");
    if (separator <= 0) continue;
    const name = part.slice(0, separator).trim();
    let value = part.slice(separator + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    const decoded = safeDecode(value);
    const existing = cookies.get(name);
    if (existing === undefined) cookies.set(name, [decoded]);
    else existing.push(decoded);
  }
  return cookies;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export interface CookieAttributes {
  domain: string | undefined;
  secure: boolean;
  httpOnly: boolean;
  expires: number;
  path: string;
  sameSite: CookieSameSite;
}

export function serializeCookie(name: string, value: string, attributes: CookieAttributes): string {
  const parts = [`${name}=${encodeURIComponent(value)}`];
  if (attributes.domain !== undefined) parts.push(`Domain=${attributes.domain}`);
  parts.push(`Path=${attributes.path}`);
  parts.push(`Expires=${new Date(attributes.expires).toUTCString()}`);
  if (attributes.httpOnly) parts.push("HttpOnly");
  if (attributes.secure) parts.push("Secure");
  parts.push(`SameSite=${attributes.sameSite.charAt(0).toUpperCase()}${attributes.sameSite.slice(1)}`);
  return parts.join("; ");
}
