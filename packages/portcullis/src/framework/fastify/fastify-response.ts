import type { FastifyReply } from "fastify";
import { HeaderWritingResponse } from "../../http/header-writing-response.js";

/**
 * Writes through Fastify's reply, not its raw ServerResponse: headers other hooks put on the reply
 * (CORS from @fastify/cors, for one) go out with ours, and onSend/onResponse hooks still run.
 * Cookies of the same name, path and domain replace each other within one response.
 */
export class FastifyResponse extends HeaderWritingResponse {
  private readonly reply: FastifyReply;

  constructor(reply: FastifyReply) {
    super();
    this.original = reply;
    this.reply = reply;
  }

  protected readHeader(key: string): number | string | string[] | undefined {
    return this.reply.getHeader(key);
  }

  /** reply.header() appends to set-cookie, so a header is replaced by removing it first. */
  protected writeHeader(key: string, value: string | string[]): void {
    this.reply.removeHeader(key);
    this.reply.header(key, value);
  }

  protected deleteHeader(key: string): void {
    this.reply.removeHeader(key);
  }

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
