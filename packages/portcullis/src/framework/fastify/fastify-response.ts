import type { FastifyReply } from "fastify";
import { HeaderWritingResponse, type HeaderTarget } from "../../http/header-writing-response.js";

/**
 * Writes through Fastify's reply, not its raw ServerResponse: headers other hooks put on the reply
 * (CORS from @fastify/cors, for one) go out with ours, and onSend/onResponse hooks still run.
 * Cookies of the same name, path and domain replace each other within one response.
 */
export class FastifyResponse extends HeaderWritingResponse {
  private readonly reply: FastifyReply;
  private readonly target: HeaderTarget;

  constructor(reply: FastifyReply) {
    super();
    this.original = reply;
    this.reply = reply;
    this.target = {
      get: (key) => reply.getHeader(key),
      // reply.header() appends to set-cookie, so a header is replaced by removing it first.
      set: (key, value) => {
        reply.removeHeader(key);
        reply.header(key, value);
      },
      remove: (key) => {
        reply.removeHeader(key);
      },
    };
  }

  protected headerTarget(): HeaderTarget {
    return this.target;
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
