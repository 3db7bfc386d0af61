import type { FastifyReply } from "fastify";
import { BaseResponse, type CookieSameSite } from "../../http/base-response.js";
import { serializeCookie } from "../../http/cookies.js";
import { nextHeaderValue } from "../../http/header-values.js";

/**
 * Writes through Fastify's reply, not its raw ServerResponse: headers other hooks put on the reply
 * (CORS from @fastify/cors, for one) go out with ours, and onSend/onResponse hooks still run.
 * Cookies of the same name, path and domain replace each other within one response.
 */
export class FastifyResponse extends BaseResponse {
  private readonly reply: FastifyReply;
  private readonly cookies = new Map<string, string>();

  constructor(reply: FastifyReply) {
    super();
    this.original = reply;
    this.reply = reply;
  }

  setHeader = (key: string, value: string, allowDuplicateKey: boolean): void => {
    const existing = this.reply.getHeader(key);
    this.reply.header(key, nextHeaderValue(existing === undefined ? undefined : String(existing), value, allowDuplicateKey));
  };

  removeHeader = (key: string): void => {
    this.reply.removeHeader(key);
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
    this.cookies.set(`${key};${path};${domain ?? ""}`, serializeCookie(key, value, { domain, secure, httpOnly, expires, path, sameSite }));
    const ours = [...this.cookies.values()];
    const others = toArray(this.reply.getHeader("set-cookie")).filter((c) => !c.startsWith(`${key}=`) && !ours.includes(c));
    // reply.header() appends to set-cookie, so the list is replaced as a whole.
    this.reply.removeHeader("set-cookie");
    this.reply.header("set-cookie", [...others, ...ours]);
  };

  setStatusCode = (statusCode: number): void => {
    if (!this.reply.sent) this.reply.code(statusCode);
  };

  sendJSONResponse = (content: unknown): void => {
    if (this.reply.sent) return;
    this.reply.header("content-type", "application/json; charset=utf-8").send(JSON.stringify(content));
  };

  sendHTMLResponse = (html: string): void => {
    if (this.reply.sent) return;
    this.reply.header("content-type", "text/html; charset=utf-8").send(html);
  };
}

function toArray(value: number | string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [String(value)];
}
