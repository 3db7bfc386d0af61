/**
 * What the Hono adapter does beyond the shared conformance kit: it hands the client address the
 * runtime gives Hono to the per-IP limits, keeps the route's own headers and cookies (and CORS
 * headers set before it) when verification adds its own, answers session errors raised inside a
 * route, leaves other errors to Hono's onError, and types `c.get("session")` through SessionEnv.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { cors } from "hono/cors";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import type { Auth } from "../../src/engine/create-auth.js";
import { FetchRequest } from "../../src/framework/fetch/index.js";
import { middleware, verifySession, type SessionEnv } from "../../src/framework/hono/index.js";
import { CollectingResponse } from "../../src/http/collecting-response.js";
import type { SessionContainerInterface } from "../../src/recipes/session/types.js";
import { credentials, databaseVariants, startConformanceApp, type MountedApp, type TestApp, type TestDatabase } from "../../src/testing/index.js";

const WEBSITE = "https://app.example.com";

function buildApp(auth: Auth): Hono<SessionEnv> {
  const app = new Hono<SessionEnv>();
  app.use(cors({ origin: WEBSITE, allowHeaders: ["content-type", ...auth.getAllCORSHeaders()], exposeHeaders: ["x-route"], credentials: true }));
  app.use(middleware(auth));
  app.use("/private/*", verifySession(undefined, auth));
  app.get("/private/me", (c) => {
    expectTypeOf(c.get("session")).toEqualTypeOf<SessionContainerInterface | undefined>();
    setCookie(c, "route-cookie", "kept");
    c.header("x-route", "kept");
    return c.json({ userId: c.get("session")?.getUserId() });
  });
  // No verifySession here: the session error is thrown by the route itself, as Session.getSession would.
  app.get("/session-in-route", async (c) => {
    const session = (await auth.verifySession(undefined, new FetchRequest(c.req.raw), new CollectingResponse())) as SessionContainerInterface;
    return c.json({ userId: session.getUserId() });
  });
  app.get("/boom", () => {
    throw new Error("not a session error");
  });
  app.onError((error, c) => c.json({ appHandled: error.message }, 500));
  return app;
}

async function mountOnNode(app: Hono<SessionEnv>): Promise<MountedApp> {
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started as Server));
  });
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const emailExistsLimit = { emailExists: { perIp: { max: 3, windowMs: 60_000 } } };
const EMAIL_EXISTS = "/auth/emailpassword/email/exists?email=someone%40example.com";

describe.each((await databaseVariants()).map((make) => [make().name, make] as const))("hono adapter on %s", (_name, makeDatabase) => {
  let running: TestApp | undefined;
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await running?.close();
    await database?.cleanup();
    running = undefined;
    database = undefined;
  });
  const start = async (limits?: typeof emailExistsLimit) => {
    database = makeDatabase();
    running = await startConformanceApp((auth) => mountOnNode(buildApp(auth)), { database: database.url, ...(limits !== undefined ? { limits } : {}) });
    return running;
  };

  it("limits per client address on @hono/node-server (the socket's address reaches the limiter)", async () => {
    const app = await start(emailExistsLimit);
    for (let i = 0; i < 3; i++) expect((await app.client().get(EMAIL_EXISTS)).body).toEqual({ status: "OK", exists: false });
    expect((await app.client().get(EMAIL_EXISTS)).body).toMatchObject({ status: "GENERAL_ERROR" });
  });

  it("keeps the route's headers and cookies when verification adds a reissued token, and CORS headers on every answer", async () => {
    const app = await start();
    const signUp = await app.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials("hono@example.com", "password123"));
    const refreshed = await app.client({ "st-auth-mode": "header", authorization: `Bearer ${signUp.headers.get("st-refresh-token") ?? ""}` }).post("/auth/session/refresh");
    expect(refreshed.status).toBe(200);
    const refreshedToken = refreshed.headers.get("st-access-token") ?? "";

    // The first use of a refreshed access token confirms its refresh token and reissues the access token.
    const me = await app.client({ "st-auth-mode": "header", authorization: `Bearer ${refreshedToken}`, origin: WEBSITE }).get("/private/me");
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ userId: signUp.body.user.id });
    expect(me.headers.get("x-route")).toBe("kept");
    expect(me.setCookies.some((line) => line.startsWith("route-cookie=kept"))).toBe(true);
    expect(me.headers.get("access-control-allow-origin")).toBe(WEBSITE);
    const reissued = me.headers.get("st-access-token");
    expect(reissued).toBeTruthy();
    expect(reissued).not.toBe(refreshedToken);
    expect(me.headers.get("front-token")).toBeTruthy();
    // Both lists survive: the CORS middleware's and the one verification adds for the new tokens.
    expect(me.headers.get("access-control-expose-headers")).toContain("x-route");
    expect(me.headers.get("access-control-expose-headers")).toContain("st-access-token");

    const anonymous = await app.client({ origin: WEBSITE }).get("/private/me");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ message: "unauthorised" });
    expect(anonymous.headers.get("access-control-allow-origin")).toBe(WEBSITE);
    const forged = `${refreshedToken.slice(0, -4)}${refreshedToken.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
    const badSignature = await app.client({ origin: WEBSITE, authorization: `Bearer ${forged}` }).get("/private/me");
    expect(badSignature.status).toBe(401);
    expect(badSignature.body).toEqual({ message: "try refresh token" });

    const preflight = await app.client({ origin: WEBSITE, "access-control-request-method": "POST", "access-control-request-headers": "rid,st-auth-mode" }).request("OPTIONS", "/auth/signin");
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("st-auth-mode");
  });

  it("answers a session error thrown inside a route with the FDI 401, and lets a valid session through", async () => {
    const app = await start();
    const anonymous = await app.client().get("/session-in-route");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ message: "unauthorised" });

    const signUp = await app.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials("route@example.com", "password123"));
    const signedIn = await app.client({ authorization: `Bearer ${signUp.headers.get("st-access-token") ?? ""}` }).get("/session-in-route");
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual({ userId: signUp.body.user.id });
  });

  it("leaves other errors to the app's onError and unknown paths to Hono's 404", async () => {
    const app = await start();
    const boom = await app.client().get("/boom");
    expect(boom.status).toBe(500);
    expect(boom.body).toEqual({ appHandled: "not a session error" });
    expect((await app.client().get("/nowhere")).status).toBe(404);
  });
});

describe("hono adapter on other runtimes' environments (in-process, no server)", () => {
  let running: TestApp | undefined;
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await running?.close();
    await database?.cleanup();
  });

  it("takes the client address from Bun's server.requestIP() and from Deno.serve's remoteAddr", async () => {
    database = (await databaseVariants())[0]!();
    running = await startConformanceApp(async () => ({ baseUrl: "http://localhost", close: async () => undefined }), { database: database.url, limits: emailExistsLimit });
    const app = buildApp(running.auth);
    // What Bun.serve({ fetch: app.fetch }) and Deno.serve(app.fetch) pass as Hono's env.
    const bunServer = (address: string) => ({ requestIP: (request: Request) => (request instanceof Request ? { address, family: "IPv4", port: 40000 } : null) });
    const denoInfo = (hostname: string) => ({ remoteAddr: { transport: "tcp", hostname, port: 40000 } });
    const ask = async (env: object) => (await app.fetch(new Request(`http://localhost${EMAIL_EXISTS}`), env)).json();

    for (let i = 0; i < 3; i++) expect(await ask(bunServer("203.0.113.7"))).toEqual({ status: "OK", exists: false });
    expect(await ask(bunServer("203.0.113.7"))).toMatchObject({ status: "GENERAL_ERROR" });
    expect(await ask(bunServer("203.0.113.8"))).toEqual({ status: "OK", exists: false });

    for (let i = 0; i < 3; i++) expect(await ask(denoInfo("198.51.100.1"))).toEqual({ status: "OK", exists: false });
    expect(await ask(denoInfo("198.51.100.1"))).toMatchObject({ status: "GENERAL_ERROR" });
    // Without an address (an edge runtime's env), per-IP limits do not apply rather than lumping every client together.
    for (let i = 0; i < 4; i++) expect(await ask({})).toEqual({ status: "OK", exists: false });
  });
});
