/**
 * The Lambda adapter's event handling beyond the conformance run: the stage prefix
 * (appInfo.apiGatewayPath) on v1 paths that lack it and v2 paths that carry it, base64 bodies,
 * several Set-Cookie per result shape, string status codes, bare v2 results, and errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from "aws-lambda";
import type { Auth } from "../../src/engine/create-auth.js";
import { middleware, verifySession, type SessionEvent } from "../../src/framework/awsLambda/index.js";
import { createAuth } from "../../src/instance/create-auth.js";
import { initEmailPassword } from "../../src/recipes/emailpassword/emailpassword-recipe.js";
import { initSession } from "../../src/recipes/session/session-recipe.js";
import { MAX_BODY_BYTES } from "../../src/http/body.js";
import { databaseVariants, type TestDatabase } from "../helpers/databases.js";

const context = {} as Context;
const noCallback = () => undefined;

function v1(method: string, path: string, options: { body?: string; base64?: boolean; cookies?: string[]; headers?: Record<string, string> } = {}): APIGatewayProxyEvent {
  const multiValueHeaders: Record<string, string[]> = { "Content-Type": ["application/json"], rid: ["session"], "st-auth-mode": ["cookie"] };
  for (const [key, value] of Object.entries(options.headers ?? {})) multiValueHeaders[key] = [value];
  // REST API keeps each Cookie header line; a client may send two.
  if (options.cookies !== undefined) multiValueHeaders["Cookie"] = options.cookies;
  return {
    httpMethod: method,
    path,
    headers: Object.fromEntries(Object.entries(multiValueHeaders).map(([key, values]) => [key, values.at(-1)])),
    multiValueHeaders,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    body: options.body === undefined ? null : options.base64 === true ? Buffer.from(options.body).toString("base64") : options.body,
    isBase64Encoded: options.base64 === true,
    requestContext: { stage: "dev", identity: { sourceIp: "203.0.113.1" } },
  } as unknown as APIGatewayProxyEvent;
}

function v2(method: string, rawPath: string, options: { body?: string; cookies?: string[]; rawQueryString?: string } = {}): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    rawPath,
    rawQueryString: options.rawQueryString ?? "",
    headers: { "content-type": "application/json", rid: "session", "st-auth-mode": "cookie" },
    ...(options.cookies !== undefined ? { cookies: options.cookies } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
    isBase64Encoded: false,
    requestContext: { stage: "dev", http: { method, path: rawPath, sourceIp: "203.0.113.1" } },
  } as unknown as APIGatewayProxyEventV2;
}

const signUpBody = (email: string) => JSON.stringify({ formFields: [{ id: "email", value: email }, { id: "password", value: "password123" }] });
const cookieValue = (lines: string[], name: string) => lines.find((line) => line.startsWith(`${name}=`))?.split(";")[0] ?? "";

type Result = { statusCode: number; headers: Record<string, string>; multiValueHeaders?: Record<string, string[]>; cookies?: string[]; body: string };

describe.each((await databaseVariants()).map((make) => [make().name, make] as const))("AWS Lambda events on %s", (_name, makeDatabase) => {
  let database: TestDatabase;
  let auth: Auth;
  beforeAll(async () => {
    database = makeDatabase();
    auth = createAuth({
      appInfo: { appName: "lambda", apiDomain: "https://api.example.com", websiteDomain: "https://example.com", apiGatewayPath: "/dev" },
      database: database.url,
      recipeList: [initEmailPassword(), initSession()],
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    await auth.ready;
  });
  afterAll(async () => {
    await auth.close();
    await database.cleanup();
  });

  const call = async (handler: ReturnType<typeof middleware>, event: unknown) => (await handler(event as never, context, noCallback)) as Result;

  it("v1: answers a stage-less path with a base64 body, and sends each cookie in multiValueHeaders", async () => {
    const result = await call(middleware(undefined, auth), v1("POST", "/auth/signup", { body: signUpBody("v1@example.com"), base64: true }));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ status: "OK", user: { emails: ["v1@example.com"] } });
    const cookies = result.multiValueHeaders?.["Set-Cookie"] ?? [];
    expect(cookies.some((line) => line.startsWith("sAccessToken=") && line.includes("Path=/;"))).toBe(true);
    expect(cookies.some((line) => line.startsWith("sRefreshToken=") && line.includes("Path=/dev/auth/session/refresh;"))).toBe(true);
    expect(result.headers["front-token"]).toBeTruthy();
    expect(result.cookies).toBeUndefined();
  });

  it("v2: strips the stage from rawPath and sends cookies in the `cookies` array", async () => {
    const result = await call(middleware(undefined, auth), v2("POST", "/dev/auth/signup", { body: signUpBody("v2@example.com") }));
    expect(JSON.parse(result.body)).toMatchObject({ status: "OK" });
    expect(result.cookies?.filter((line) => /^s(Access|Refresh)Token=/.test(line))).toHaveLength(2);
    expect(result.multiValueHeaders).toBeUndefined();
  });

  it("verifySession: reads v1 cookies from several Cookie lines, accepts a string statusCode, keeps the app's headers", async () => {
    const signedUp = await call(middleware(undefined, auth), v1("POST", "/auth/signup", { body: signUpBody("cookies@example.com") }));
    const access = cookieValue(signedUp.multiValueHeaders?.["Set-Cookie"] ?? [], "sAccessToken");
    const protectedRoute = verifySession(async (event: SessionEvent) => ({ statusCode: "200", headers: { "X-App": "yes" }, body: event.session?.getUserId() ?? "" }), undefined, auth);
    const result = await call(protectedRoute, v1("GET", "/me", { cookies: ["theme=dark", access] }));
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe(JSON.parse(signedUp.body).user.id);
    expect(result.headers["X-App"]).toBe("yes");
    expect((await call(protectedRoute, v1("GET", "/me"))).statusCode).toBe(401);
  });

  it("verifySession (v2): a bare returned value is a 200 JSON body; optional sessions pass without one", async () => {
    const optional = verifySession(async (event: SessionEvent) => ({ signedIn: event.session !== undefined }), { sessionRequired: false }, auth);
    const result = await call(optional, v2("GET", "/dev/optional"));
    expect(result.statusCode).toBe(200);
    expect(result.headers["Content-Type"]).toBe("application/json");
    expect(JSON.parse(result.body)).toEqual({ signedIn: false });
  });

  it("passes other paths to the app's handler, else answers a JSON 404", async () => {
    expect(await call(middleware(async () => ({ statusCode: 204, body: "" }), auth), v2("GET", "/dev/other"))).toMatchObject({ statusCode: 204 });
    const missing = await call(middleware(undefined, auth), v2("GET", "/dev/other"));
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ message: "Not found" });
  });

  it("refuses an oversized body with 413 and bad JSON with 400, never a 500", async () => {
    const big = await call(middleware(undefined, auth), v2("POST", "/dev/auth/signup", { body: "x".repeat(MAX_BODY_BYTES + 1) }));
    expect(big.statusCode).toBe(413);
    const bad = await call(middleware(undefined, auth), v1("POST", "/auth/signup", { body: "{nope" }));
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ message: "Request body is not valid JSON" });
  });

  it("lets an error that is not ours propagate (Lambda logs it, API Gateway answers 502)", async () => {
    const failing = middleware(async () => {
      throw new Error("app bug");
    }, auth);
    await expect(failing(v2("GET", "/dev/other") as never, context, noCallback)).rejects.toThrow("app bug");
  });
});
