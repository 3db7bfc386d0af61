import { BaseResponse, type CookieSameSite } from "./base-response.js";
import { serializeCookie } from "./cookies.js";
import { nextHeaderValue } from "./header-values.js";

/**
 * Header and cookie writes shared by responses that write straight onto the framework's own
 * response: Set-Cookie lines other code put there are kept, and ours of the same name, path and
 * domain replace each other within one response.
 */
export abstract class HeaderWritingResponse extends BaseResponse {
  /** Made on the first cookie: most responses (a verified session, a bare route) set none. */
  private ourCookies: Map<string, string> | undefined;

  /** The header operations of the live response object (Node's ServerResponse, Fastify's reply). */
  protected abstract readHeader(key: string): number | string | string[] | undefined;
  /** Replaces the header as a whole (a list becomes one line per value). */
  protected abstract writeHeader(key: string, value: string | string[]): void;
  protected abstract deleteHeader(key: string): void;

  setHeader = (key: string, value: string, allowDuplicateKey: boolean): void => {
    const existing = this.readHeader(key);
    this.writeHeader(key, nextHeaderValue(existing === undefined ? undefined : String(existing), value, allowDuplicateKey));
  };

  removeHeader = (key: string): void => {
    this.deleteHeader(key);
  };

  setCookie = (
    key: string,
    value: string,
    domain: string | undefined,
    secure: boolean,
    httpOnly: boolean,
    expires: number,
    path: string,
    sameSite: CookieSameSite,
  ): void => {
    this.ourCookies ??= new Map();
    this.ourCookies.set(`${key};${path};${domain ?? ""}`, serializeCookie(key, value, { domain, secure, httpOnly, expires, path, sameSite }));
    const ours = [...this.ourCookies.values()];
    const others = toArray(this.readHeader("set-cookie")).filter((line) => !line.startsWith(`${key}=`) && !ours.includes(line));
    this.writeHeader("Set-Cookie", [...others, ...ours]);
  };
}

function toArray(value: number | string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [String(value)];
}
