import { BaseResponse, type CookieSameSite } from "./base-response.js";
import { serializeCookie } from "./cookies.js";
import { nextHeaderValue } from "./header-values.js";

/** The header operations of a live response object (Node's ServerResponse, Fastify's reply). */
export interface HeaderTarget {
  get(key: string): number | string | string[] | undefined;
  /** Replaces the header as a whole (a list becomes one line per value). */
  set(key: string, value: string | string[]): void;
  remove(key: string): void;
}

/**
 * Header and cookie writes shared by responses that write straight onto the framework's own
 * response: Set-Cookie lines other code put there are kept, and ours of the same name, path and
 * domain replace each other within one response.
 */
export abstract class HeaderWritingResponse extends BaseResponse {
  private readonly ourCookies = new Map<string, string>();

  protected abstract headerTarget(): HeaderTarget;

  setHeader = (key: string, value: string, allowDuplicateKey: boolean): void => {
    const existing = this.headerTarget().get(key);
    this.headerTarget().set(key, nextHeaderValue(existing === undefined ? undefined : String(existing), value, allowDuplicateKey));
  };

  removeHeader = (key: string): void => {
    this.headerTarget().remove(key);
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
    this.ourCookies.set(`${key};${path};${domain ?? ""}`, serializeCookie(key, value, { domain, secure, httpOnly, expires, path, sameSite }));
    const ours = [...this.ourCookies.values()];
    const others = toArray(this.headerTarget().get("set-cookie")).filter((line) => !line.startsWith(`${key}=`) && !ours.includes(line));
    this.headerTarget().set("Set-Cookie", [...others, ...ours]);
  };
}

function toArray(value: number | string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [String(value)];
}
