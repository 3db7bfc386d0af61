/** The framework-neutral response every recipe writes to. */
export type CookieSameSite = "strict" | "lax" | "none";

export abstract class BaseResponse {
  wrapperUsed: boolean;
  original: unknown;

  constructor() {
    this.wrapperUsed = true;
    this.original = undefined;
  }

  abstract setHeader(key: string, value: string, allowDuplicateKey: boolean): void;
  abstract removeHeader(key: string): void;
  abstract setCookie(
    key: string,
    value: string,
    domain: string | undefined,
    secure: boolean,
    httpOnly: boolean,
    expires: number,
    path: string,
    sameSite: CookieSameSite,
  ): void;
  abstract setStatusCode(statusCode: number): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any JSON-serialisable value, as in the SDK
  abstract sendJSONResponse(content: any): void;
  abstract sendHTMLResponse(html: string): void;
}
