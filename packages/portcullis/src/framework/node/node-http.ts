import type { IncomingMessage, ServerResponse } from "node:http";
import { payloadTooLarge } from "../../core/errors.js";
import { MAX_BODY_BYTES, parseFormBody, parseJSONBody } from "../../http/body.js";
import { BaseRequest, type HTTPMethod } from "../../http/base-request.js";
import { parseCookieHeader } from "../../http/cookies.js";
import { HeaderWritingResponse } from "../../http/header-writing-response.js";

type MaybeParsedRequest = IncomingMessage & { body?: unknown; query?: unknown };

/** Wraps Node's IncomingMessage (and Express's, which adds `body`/`query`). */
export class NodeRequest extends BaseRequest {
  private readonly request: MaybeParsedRequest;
  private cookies: Map<string, string[]> | undefined;
  private url: URL | undefined;

  constructor(request: IncomingMessage) {
    super();
    this.original = request;
    this.request = request as MaybeParsedRequest;
  }

  protected async getJSONFromRequestBody(): Promise<unknown> {
    const preParsed = this.request.body;
    if (preParsed !== undefined && !Buffer.isBuffer(preParsed) && typeof preParsed !== "string") return preParsed;
    const raw = preParsed !== undefined ? String(preParsed) : await readBody(this.request);
    return parseJSONBody(raw);
  }

  protected async getFormDataFromRequestBody(): Promise<unknown> {
    const preParsed = this.request.body;
    if (preParsed !== undefined && typeof preParsed === "object" && !Buffer.isBuffer(preParsed)) return preParsed;
    const raw = preParsed !== undefined ? String(preParsed) : await readBody(this.request);
    return parseFormBody(raw);
  }

  getKeyValueFromQuery = (key: string): string | undefined => {
    this.url ??= new URL(this.request.url ?? "/", "http://localhost");
    return this.url.searchParams.get(key) ?? undefined;
  };

  getMethod = (): HTTPMethod => (this.request.method ?? "GET").toLowerCase() as HTTPMethod;

  getCookieValue = (key: string): string | undefined => this.getCookieValues(key)[0];

  getCookieValues(key: string): string[] {
    this.cookies ??= parseCookieHeader(this.request.headers.cookie);
    return this.cookies.get(key) ?? [];
  }

  getHeaderValue = (key: string): string | undefined => {
    const value = this.request.headers[key.toLowerCase()];
    return Array.isArray(value) ? value.join(", ") : value;
  };

  override getRemoteAddress = (): string | undefined => this.request.socket?.remoteAddress;

  getOriginalURL = (): string => {
    const express = this.request as IncomingMessage & { originalUrl?: string };
    return express.originalUrl ?? this.request.url ?? "/";
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  const declared = Number(request.headers["content-length"] ?? "0");
  if (declared > MAX_BODY_BYTES) return Promise.reject(payloadTooLarge(MAX_BODY_BYTES));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.removeAllListeners("data");
        request.resume();
        reject(payloadTooLarge(MAX_BODY_BYTES));
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Wraps Node's ServerResponse. */
export class NodeResponse extends HeaderWritingResponse {
  private readonly response: ServerResponse;

  constructor(response: ServerResponse) {
    super();
    this.original = response;
    this.response = response;
  }

  protected readHeader(key: string): number | string | string[] | undefined {
    return this.response.getHeader(key);
  }

  protected writeHeader(key: string, value: string | string[]): void {
    this.response.setHeader(key, value);
  }

  protected deleteHeader(key: string): void {
    this.response.removeHeader(key);
  }

  setStatusCode = (statusCode: number): void => {
    if (!this.response.headersSent) this.response.statusCode = statusCode;
  };

  sendJSONResponse = (content: unknown): void => {
    if (this.response.headersSent) return;
    const body = JSON.stringify(content);
    this.response.setHeader("Content-Type", "application/json; charset=utf-8");
    this.response.setHeader("Content-Length", Buffer.byteLength(body));
    this.response.end(body);
  };

  sendHTMLResponse = (html: string): void => {
    if (this.response.headersSent) return;
    this.response.setHeader("Content-Type", "text/html; charset=utf-8");
    this.response.setHeader("Content-Length", Buffer.byteLength(html));
    this.response.end(html);
  };
}
