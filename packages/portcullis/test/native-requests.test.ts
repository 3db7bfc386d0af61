/** Session.getSession(req, res) with the app's own request objects: the kind is recognised, not assumed. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import supertokens from "../src/facade/index.js";
import EmailPassword from "../src/facade/emailpassword.js";
import Session from "../src/facade/session.js";
import { resetDefaultInstance } from "../src/facade/default-instance.js";
import { handler } from "../src/framework/fetch/index.js";
import { middleware as lambdaMiddleware } from "../src/framework/awsLambda/index.js";
import { credentials } from "../src/testing/conformance-app.js";
import { sqliteFileDatabase, type TestDatabase } from "./helpers/databases.js";

let database: TestDatabase;
let accessToken: string;
let userId: string;

beforeAll(async () => {
  database = sqliteFileDatabase();
  supertokens.init({
    appInfo: { appName: "native", apiDomain: "http://localhost", websiteDomain: "http://localhost" },
    database: database.url,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    recipeList: [EmailPassword.init(), Session.init({ antiCsrf: "NONE" })],
  });
  const response = await handler()(
    new Request("http://localhost/auth/signup", {
      method: "POST",
      headers: { "content-type": "application/json", "st-auth-mode": "cookie" },
      body: JSON.stringify(credentials("native@example.com", "password123")),
    }),
  );
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith("sAccessToken=")) as string;
  accessToken = decodeURIComponent(cookie.slice("sAccessToken=".length, cookie.indexOf(";")));
  userId = ((await response.json()) as { user: { id: string } }).user.id;
});

afterAll(async () => {
  await resetDefaultInstance();
  await database.cleanup();
});

describe("Session.getSession with native request objects", () => {
  it("reads the cookies of a Fetch Request (no response object)", async () => {
    const request = new Request("http://localhost/me", { headers: { cookie: `sAccessToken=${encodeURIComponent(accessToken)}` } });
    const session = await Session.getSession(request, undefined);
    expect(session?.getUserId()).toBe(userId);
  });

  it("reads the cookies of a Node IncomingMessage", async () => {
    const server = createServer(async (req, res) => {
      const session = await Session.getSession(req, res, { sessionRequired: false });
      res.end(session?.getUserId() ?? "none");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/me`;
      expect(await (await fetch(url, { headers: { cookie: `sAccessToken=${encodeURIComponent(accessToken)}` } })).text()).toBe(userId);
      expect(await (await fetch(url)).text()).toBe("none");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("reads an API Gateway v2 event, and writes into the result middleware() returns", async () => {
    const event = (cookies: string[]) => ({
      version: "2.0",
      rawPath: "/me",
      rawQueryString: "",
      headers: {},
      cookies,
      isBase64Encoded: false,
      requestContext: { http: { method: "GET", path: "/me", sourceIp: "203.0.113.1" } },
    });
    const lambda = lambdaMiddleware(async (e: unknown) => {
      const session = await Session.getSession(e, e);
      await session!.mergeIntoAccessTokenPayload({ seen: true });
      return { statusCode: 200, body: session!.getUserId() };
    });
    const answered = (await lambda(event([`sAccessToken=${encodeURIComponent(accessToken)}`]) as never, {} as never, () => undefined)) as {
      statusCode: number;
      body: string;
      headers: Record<string, string>;
      cookies?: string[];
    };
    expect(answered.statusCode).toBe(200);
    expect(answered.body).toBe(userId);
    // The payload update re-issued the access token: its cookie and front token reach the v2 result.
    expect(answered.cookies?.some((line) => line.startsWith("sAccessToken="))).toBe(true);
    expect(answered.headers["front-token"]).toBeTruthy();

    const refused = (await lambda(event([]) as never, {} as never, () => undefined)) as { statusCode: number; body: string };
    expect(refused.statusCode).toBe(401);
    expect(JSON.parse(refused.body)).toEqual({ message: "unauthorised" });
  });

  it("refuses an object it cannot read, instead of silently finding no session", async () => {
    await expect(Session.getSession({ headers: "nope" }, {})).rejects.toThrow("Unsupported request object");
  });
});
