/**
 * Seed 003's AWS Lambda tab over HTTP: the guide's `exports.handler` (verifySession around
 * createUser) and the auth API (`middleware()`) run as Lambda functions behind a stand-in for an
 * API Gateway HTTP API (v2 events) on the stage `dev`, so every path carries `/dev` and
 * `appInfo.apiGatewayPath` is "/dev".
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { middleware } from "portcullis/framework/awsLambda";
import { closeServer, freePort } from "./helpers.js";
import { describeSeed003Tab, initSeed003Instance } from "./seed-003-kit.js";

let server: Server;
let instance: { close(): Promise<void> };
let base = "";

type Lambda = (event: APIGatewayProxyEventV2, context: Context, callback: () => void) => unknown;

/** What API Gateway does with a request: a v2 event for the function its route names, the result back as HTTP. */
function gateway(routes: (path: string) => Lambda): Server {
  return createServer((req, res) => {
    void (async () => {
      const event = await toEvent(req);
      const result = (await routes(event.rawPath)(event, {} as Context, () => undefined)) as {
        statusCode: number | string;
        headers?: Record<string, string>;
        cookies?: string[];
        body?: string;
      };
      const headers = Object.entries(result.headers ?? {}).concat((result.cookies ?? []).map((cookie) => ["set-cookie", cookie]));
      res.writeHead(Number(result.statusCode), headers.flat()).end(result.body);
    })().catch(() => res.writeHead(502).end(JSON.stringify({ message: "Internal server error" })));
  });
}

async function toEvent(req: IncomingMessage): Promise<APIGatewayProxyEventV2> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? "/", "http://gateway");
  const { cookie, ...headers } = req.headers as Record<string, string>;
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookie !== undefined ? { cookies: cookie.split("; ") } : {}),
    headers,
    requestContext: {
      http: { method: req.method ?? "GET", path: url.pathname, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "" },
      stage: "dev",
    } as APIGatewayProxyEventV2["requestContext"],
    body: Buffer.concat(chunks).toString("utf8"),
    isBase64Encoded: false,
  };
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  instance = initSeed003Instance({
    framework: "awsLambda",
    appName: "Seed 003 on Lambda",
    apiDomain: base,
    websiteDomain: "http://localhost:3000",
    apiGatewayPath: "/dev",
  });
  // Imported after init, as a Lambda bundle would load it; the seed's module has no init of its own.
  const { handler: createUser } = await import("../src/seeds/003-awsLambda.js");
  const auth = middleware();
  server = gateway((path) => (path === "/dev/create-user" ? createUser : auth) as Lambda);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
});

afterAll(async () => {
  await closeServer(server);
  await instance.close();
});

describeSeed003Tab({ framework: "AWS Lambda (HTTP API v2 events, stage /dev)", apiBase: () => `${base}/dev`, websiteBase: () => "http://localhost:3000" });

describe("seed 003 on AWS Lambda: session cookies", () => {
  it("sets cookie-mode session cookies through the v2 `cookies` array, refresh cookie under the stage path", async () => {
    const response = await fetch(`${base}/dev/auth/signin`, {
      method: "POST",
      headers: { "content-type": "application/json", "st-auth-mode": "cookie" },
      body: JSON.stringify({ formFields: [{ id: "email", value: "member@example.com" }, { id: "password", value: "password123" }] }),
    });
    const cookies = response.headers.getSetCookie();
    expect(cookies.some((line) => line.startsWith("sAccessToken=") && line.includes("Path=/;"))).toBe(true);
    expect(cookies.some((line) => line.startsWith("sRefreshToken=") && line.includes("Path=/dev/auth/session/refresh;"))).toBe(true);
  });
});
