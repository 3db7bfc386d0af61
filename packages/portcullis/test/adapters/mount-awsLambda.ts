import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from "aws-lambda";
import type { Auth } from "../../src/engine/create-auth.js";
import { middleware, verifySession, type SessionEvent } from "../../src/framework/awsLambda/index.js";
import { CONFORMANCE_ROUTES, sessionSummary, type MountApp } from "../../src/testing/conformance-app.js";

/**
 * Lambda handlers driven with real API Gateway event shapes: a node:http server stands in for API
 * Gateway, turning each request into a REST (v1) or HTTP API (v2) proxy event and the handler's
 * result back into an HTTP response, as the gateway would.
 */
export type EventVersion = "v1" | "v2";

interface LambdaResult {
  statusCode?: number | string;
  headers?: Record<string, string | number | boolean>;
  multiValueHeaders?: Record<string, (string | number | boolean)[]>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

export type LambdaHandler = (event: APIGatewayProxyEvent | APIGatewayProxyEventV2, context: Context, callback: () => void) => Promise<unknown> | void;

/** The app every conformance run deploys: one function, auth routes first, then the protected routes. */
export function conformanceLambda(auth: Auth): LambdaHandler {
  const routes = CONFORMANCE_ROUTES.map((route) => ({
    route,
    handle: verifySession(async (event: SessionEvent) => ({ statusCode: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify(sessionSummary(event.session)) }), route.options, auth),
  }));
  return middleware(async (event, context, callback) => {
    const method = "httpMethod" in event ? event.httpMethod : event.requestContext.http.method;
    const path = "rawPath" in event ? event.rawPath : event.path;
    const match = routes.find(({ route }) => route.method === method.toLowerCase() && route.path === path);
    if (match === undefined) return { statusCode: 404, body: "" };
    return match.handle(event, context, callback);
  }, auth);
}

export function mountAwsLambda(version: EventVersion): MountApp {
  return async (auth) => serveLambda(conformanceLambda(auth), version);
}

/** A gateway on a random port in front of `handler`. */
export async function serveLambda(handler: LambdaHandler, version: EventVersion): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void invoke(handler, version, req, res).catch(() => {
      // What API Gateway answers when the function throws.
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" }).end(JSON.stringify({ message: "Internal server error" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function invoke(handler: LambdaHandler, version: EventVersion, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const event = version === "v1" ? toV1Event(req, body) : toV2Event(req, body);
  const result = ((await handler(event, fakeContext, () => undefined)) ?? {}) as LambdaResult;
  const headers: [string, string][] = Object.entries(result.headers ?? {}).map(([key, value]) => [key, String(value)]);
  for (const [key, values] of Object.entries(result.multiValueHeaders ?? {})) for (const value of values) headers.push([key, String(value)]);
  for (const cookie of result.cookies ?? []) headers.push(["set-cookie", cookie]);
  res.writeHead(Number(result.statusCode ?? 200), headers.flat());
  res.end(result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded === true ? "base64" : "utf8"));
}

/** REST API (v1): multi-value maps beside last-value maps, decoded query values, path without the stage. */
function toV1Event(req: IncomingMessage, body: Buffer): APIGatewayProxyEvent {
  const url = new URL(req.url ?? "/", "http://gateway");
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) (multiValueHeaders[req.rawHeaders[i] as string] ??= []).push(req.rawHeaders[i + 1] as string);
  const multiQuery: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) (multiQuery[key] ??= []).push(value);
  const hasQuery = Object.keys(multiQuery).length > 0;
  return {
    resource: "/{proxy+}",
    path: url.pathname,
    httpMethod: req.method ?? "GET",
    headers: Object.fromEntries(Object.entries(multiValueHeaders).map(([key, values]) => [key, values[values.length - 1]])),
    multiValueHeaders,
    queryStringParameters: hasQuery ? Object.fromEntries(Object.entries(multiQuery).map(([key, values]) => [key, values[values.length - 1]])) : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: { proxy: url.pathname.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: "123456789012",
      apiId: "conformance",
      authorizer: null,
      httpMethod: req.method ?? "GET",
      identity: { sourceIp: req.socket.remoteAddress ?? "127.0.0.1", userAgent: req.headers["user-agent"] ?? null } as APIGatewayProxyEvent["requestContext"]["identity"],
      path: `/test${url.pathname}`,
      protocol: "HTTP/1.1",
      requestId: "conformance",
      requestTimeEpoch: 0,
      resourceId: "proxy",
      resourcePath: "/{proxy+}",
      stage: "test",
    },
    body: body.length === 0 ? null : body.toString("utf8"),
    isBase64Encoded: false,
  };
}

/** HTTP API (v2): cookies split out of the headers, raw query, lower-cased comma-joined headers, base64 bodies. */
function toV2Event(req: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? "/", "http://gateway");
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const key = (req.rawHeaders[i] as string).toLowerCase();
    const value = req.rawHeaders[i + 1] as string;
    if (key === "cookie") cookies = [...(cookies ?? []), ...value.split(";").map((part) => part.trim()).filter((part) => part !== "")];
    else headers[key] = headers[key] === undefined ? value : `${headers[key]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies !== undefined ? { cookies } : {}),
    headers,
    ...(url.search !== "" ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: "123456789012",
      apiId: "conformance",
      domainName: url.host,
      domainPrefix: "conformance",
      http: { method: req.method ?? "GET", path: url.pathname, protocol: "HTTP/1.1", sourceIp: req.socket.remoteAddress ?? "127.0.0.1", userAgent: req.headers["user-agent"] ?? "" },
      requestId: "conformance",
      routeKey: "$default",
      stage: "$default",
      time: new Date(0).toISOString(),
      timeEpoch: 0,
    },
    ...(body.length > 0 ? { body: body.toString("base64") } : {}),
    isBase64Encoded: body.length > 0,
  };
}

const fakeContext = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: "conformance",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:conformance",
  memoryLimitInMB: "128",
  awsRequestId: "conformance",
  logGroupName: "/aws/lambda/conformance",
  logStreamName: "conformance",
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context;
