import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from "aws-lambda";
import { payloadTooLarge } from "../../core/errors.js";
import { BaseRequest, type HTTPMethod } from "../../http/base-request.js";
import type { CollectingResponse } from "../../http/collecting-response.js";
import { MAX_BODY_BYTES, parseFormBody, parseJSONBody } from "../../http/body.js";
import { parseCookieHeader } from "../../http/cookies.js";

/** An API Gateway REST (v1, also Netlify's shape) or HTTP API (v2) event. */
export type LambdaEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;

/** What `Session.getSession(event, event)` needs to recognise an event (v1: httpMethod, v2: rawPath). */
export function isLambdaEvent(value: unknown): value is LambdaEvent {
  if (typeof value !== "object" || value === null || typeof (value as { requestContext?: unknown }).requestContext !== "object") return false;
  return typeof (value as { httpMethod?: unknown }).httpMethod === "string" || typeof (value as { rawPath?: unknown }).rawPath === "string";
}

/**
 * The response an invocation collects into, kept on the event under a symbol, so that
 * `Session.getSession(event, event)` inside a wrapped handler writes where `middleware`/`verifySession`
 * read (a refreshed front token reaches the result). A symbol keeps it out of JSON and logs.
 */
const COLLECTED_RESPONSE = Symbol.for("portcullis.awsLambda.response");

export function attachResponse(event: LambdaEvent, res: CollectingResponse): void {
  Object.defineProperty(event, COLLECTED_RESPONSE, { value: res, configurable: true, enumerable: false });
}

export function attachedResponse(event: LambdaEvent): CollectingResponse | undefined {
  return (event as { [COLLECTED_RESPONSE]?: CollectingResponse })[COLLECTED_RESPONSE];
}

export function isV2Event(event: LambdaEvent): event is APIGatewayProxyEventV2 {
  return (event as { version?: unknown }).version === "2.0" || typeof (event as { rawPath?: unknown }).rawPath === "string";
}

/**
 * Reads a Lambda event as the engine's request. v2 moves cookies out of the headers into
 * `cookies`; v1 keeps repeated headers and query values in its multiValue maps.
 */
export class LambdaRequest extends BaseRequest {
  private readonly event: LambdaEvent;
  private readonly headers = new Headers();
  private readonly query: URLSearchParams;
  private readonly path: string;
  private cookies: Map<string, string[]> | undefined;

  /** `gatewayPath`: appInfo.apiGatewayPath, taken off the path when the event carries it (v2's rawPath does). */
  constructor(event: LambdaEvent, gatewayPath: string) {
    super();
    this.original = event;
    this.event = event;
    const cookieParts: string[] = [];
    if (isV2Event(event)) {
      this.query = new URLSearchParams(event.rawQueryString ?? "");
      this.path = event.rawPath ?? event.requestContext.http.path;
      copyHeaders(this.headers, cookieParts, Object.entries(event.headers ?? {}).map(([key, value]) => [key, value === undefined ? [] : [value]]));
      cookieParts.push(...(event.cookies ?? []));
    } else {
      this.query = v1Query(event);
      this.path = event.path;
      const multi = Object.entries(event.multiValueHeaders ?? {}).map(([key, values]) => [key, values ?? []] as [string, string[]]);
      const single = Object.entries(event.headers ?? {}).map(([key, value]) => [key, value === undefined ? [] : [value]] as [string, string[]]);
      copyHeaders(this.headers, cookieParts, multi.length > 0 ? multi : single);
    }
    if (cookieParts.length > 0) this.headers.set("cookie", cookieParts.join("; "));
    if (gatewayPath !== "" && (this.path === gatewayPath || this.path.startsWith(`${gatewayPath}/`))) this.path = this.path.slice(gatewayPath.length);
  }

  override getRemoteAddress = (): string | undefined =>
    isV2Event(this.event) ? this.event.requestContext?.http?.sourceIp : this.event.requestContext?.identity?.sourceIp;

  protected async getJSONFromRequestBody(): Promise<unknown> {
    return parseJSONBody(this.bodyText());
  }

  protected async getFormDataFromRequestBody(): Promise<unknown> {
    return parseFormBody(this.bodyText());
  }

  getKeyValueFromQuery = (key: string): string | undefined => this.query.get(key) ?? undefined;

  getMethod = (): HTTPMethod =>
    (isV2Event(this.event) ? this.event.requestContext.http.method : this.event.httpMethod).toLowerCase() as HTTPMethod;

  getCookieValue = (key: string): string | undefined => this.getCookieValues(key)[0];

  getCookieValues(key: string): string[] {
    this.cookies ??= parseCookieHeader(this.headers.get("cookie") ?? undefined);
    return this.cookies.get(key) ?? [];
  }

  getHeaderValue = (key: string): string | undefined => this.headers.get(key) ?? undefined;

  getOriginalURL = (): string => {
    const search = this.query.toString();
    return search === "" ? this.path : `${this.path}?${search}`;
  };

  private bodyText(): string {
    const raw = this.event.body ?? "";
    const text = this.event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
    if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
    return text;
  }
}

/** v1 values arrive decoded; rebuilt as a query so getOriginalURL and lookups agree. */
function v1Query(event: APIGatewayProxyEvent): URLSearchParams {
  const query = new URLSearchParams();
  const multi = event.multiValueQueryStringParameters ?? {};
  for (const [key, values] of Object.entries(multi)) for (const value of values ?? []) query.append(key, value);
  if (Object.keys(multi).length === 0) for (const [key, value] of Object.entries(event.queryStringParameters ?? {})) if (value !== undefined) query.append(key, value);
  return query;
}

/** Cookie headers are gathered apart: Headers would join them with ", ", which breaks cookie parsing. */
function copyHeaders(target: Headers, cookieParts: string[], entries: [string, string[]][]): void {
  for (const [key, values] of entries) {
    for (const value of values) {
      if (key.toLowerCase() === "cookie") cookieParts.push(value);
      else {
        try {
          target.append(key, value);
        } catch {
          // A header value the platform let through but Fetch refuses: not one the engine reads.
        }
      }
    }
  }
}
