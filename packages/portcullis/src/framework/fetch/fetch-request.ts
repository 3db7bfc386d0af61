import { payloadTooLarge } from "../../core/errors.js";
import { BaseRequest, type HTTPMethod } from "../../http/base-request.js";
import { MAX_BODY_BYTES, parseFormBody, parseJSONBody } from "../../http/body.js";
import { parseCookieHeader } from "../../http/cookies.js";

/** Wraps a web `Request` (Hono, Next.js app router, edge and Lambda-style handlers). */
export class FetchRequest extends BaseRequest {
  private readonly request: Request;
  private url: URL | undefined;
  private cookies: Map<string, string[]> | undefined;
  private text: Promise<string> | undefined;

  /** `remoteAddress`: the client address if the platform gives one (a web Request carries none). */
  constructor(
    request: Request,
    private readonly remoteAddress?: string,
  ) {
    super();
    this.original = request;
    this.request = request;
  }

  override getRemoteAddress = (): string | undefined => this.remoteAddress;

  protected async getJSONFromRequestBody(): Promise<unknown> {
    return parseJSONBody(await this.bodyText());
  }

  protected async getFormDataFromRequestBody(): Promise<unknown> {
    return parseFormBody(await this.bodyText());
  }

  getKeyValueFromQuery = (key: string): string | undefined => this.parsedUrl().searchParams.get(key) ?? undefined;

  getMethod = (): HTTPMethod => this.request.method.toLowerCase() as HTTPMethod;

  getCookieValue = (key: string): string | undefined => this.getCookieValues(key)[0];

  getCookieValues(key: string): string[] {
    this.cookies ??= parseCookieHeader(this.request.headers.get("cookie") ?? undefined);
    return this.cookies.get(key) ?? [];
  }

  getHeaderValue = (key: string): string | undefined => this.request.headers.get(key) ?? undefined;

  /** Path plus query, as the router and the SDK expect; the origin is not part of it. */
  getOriginalURL = (): string => {
    const url = this.parsedUrl();
    return `${url.pathname}${url.search}`;
  };

  private parsedUrl(): URL {
    this.url ??= new URL(this.request.url, "http://localhost");
    return this.url;
  }

  private bodyText(): Promise<string> {
    this.text ??= readLimitedText(this.request);
    return this.text;
  }
}

/** Reads at most MAX_BODY_BYTES, whatever Content-Length claims, so a huge body is never buffered whole. */
async function readLimitedText(request: Request): Promise<string> {
  if (Number(request.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw payloadTooLarge(MAX_BODY_BYTES);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Duck-typed so a Request from another realm or polyfill still counts. */
export function isFetchRequest(value: unknown): value is Request {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { url?: unknown; method?: unknown; headers?: { get?: unknown } };
  return typeof candidate.url === "string" && typeof candidate.method === "string" && typeof candidate.headers?.get === "function";
}
