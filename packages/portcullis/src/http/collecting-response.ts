import { BaseResponse, type CookieSameSite } from "./base-response.js";
import { serializeCookie, type CookieAttributes } from "./cookies.js";
import { nextHeaderValue } from "./header-values.js";

export interface CookieInfo extends CookieAttributes {
  key: string;
  value: string;
}

/**
 * A response that only records what the engine wrote, for runtimes where the reply is a value
 * (Fetch `Response`, Lambda results, the SDK's custom framework). `toFetchResponse()` turns it into
 * a web Response; `copyOnto()` adds what was collected to a Response the app built itself.
 */
export class CollectingResponse extends BaseResponse {
  statusCode = 200;
  readonly headers = new Headers();
  readonly cookies: CookieInfo[] = [];
  body: string | undefined = undefined;

  constructor() {
    super();
    this.original = undefined;
  }

  setHeader = (key: string, value: string, allowDuplicateKey: boolean): void => {
    this.headers.set(key, nextHeaderValue(this.headers.get(key) ?? undefined, value, allowDuplicateKey));
  };

  removeHeader = (key: string): void => {
    this.headers.delete(key);
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
    // A later cookie of the same name, path and domain replaces the earlier one, as a browser would.
    const index = this.cookies.findIndex((c) => c.key === key && c.path === path && c.domain === domain);
    const cookie = { key, value, domain, secure, httpOnly, expires, path, sameSite };
    if (index === -1) this.cookies.push(cookie);
    else this.cookies[index] = cookie;
  };

  setStatusCode = (statusCode: number): void => {
    this.statusCode = statusCode;
  };

  sendJSONResponse = (content: unknown): void => {
    this.headers.set("Content-Type", "application/json; charset=utf-8");
    this.body = JSON.stringify(content);
  };

  sendHTMLResponse = (html: string): void => {
    this.headers.set("Content-Type", "text/html; charset=utf-8");
    this.body = html;
  };

  /** Whether anything beyond the status was written (headers, cookies or a body). */
  hasContent(): boolean {
    return this.body !== undefined || this.cookies.length > 0 || [...this.headers.keys()].length > 0;
  }

  toFetchResponse(): Response {
    const headers = new Headers(this.headers);
    for (const cookie of this.cookies) headers.append("Set-Cookie", serializeCookieInfo(cookie));
    return new Response(this.body ?? null, { status: this.statusCode, headers });
  }

  /** Adds the collected headers and cookies to a Response the app produced (its own status and body win). */
  copyOnto(response: Response): Response {
    if (this.cookies.length === 0 && [...this.headers.keys()].length === 0) return response;
    const headers = new Headers(response.headers);
    this.headers.forEach((value, key) => {
      if (key.toLowerCase() === "access-control-expose-headers" && headers.has(key)) headers.set(key, `${headers.get(key) ?? ""}, ${value}`);
      else if (key.toLowerCase() !== "content-type") headers.set(key, value);
    });
    for (const cookie of this.cookies) headers.append("Set-Cookie", serializeCookieInfo(cookie));
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

function serializeCookieInfo(cookie: CookieInfo): string {
  return serializeCookie(cookie.key, cookie.value, cookie);
}
