/**
 * What the conformance kit does not reach on Hapi: its CORS support on the plugin's route, our
 * routes beside the user's under apiBasePath, and session errors and cookies coming from a handler
 * rather than from `pre`.
 */
import Hapi from "@hapi/hapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plugin, verifySession, type SessionRequest } from "../../src/framework/hapi/index.js";
import { PrimitiveArrayClaim } from "../../src/recipes/session/claims/primitive-array-claim.js";
import { credentials, startConformanceApp, type MountApp, type TestApp } from "../../src/testing/conformance-app.js";
import { databaseVariants, type TestDatabase } from "../../src/testing/databases.js";

const WEBSITE = "http://localhost:3000";
const ROLE = new PrimitiveArrayClaim<string>({ key: "st-role", fetchValue: () => undefined });

const mountHapiWithExtras: MountApp = async (auth) => {
  const server = Hapi.server({
    port: 0,
    host: "127.0.0.1",
    routes: { cors: { origin: [WEBSITE], additionalHeaders: auth.getAllCORSHeaders(), credentials: true } },
  });
  await server.register({ plugin, options: { auth } });
  const pre = [{ method: verifySession(undefined, auth) }];
  server.route({ method: "get", path: "/auth/app-owned", handler: () => ({ owner: "app" }) });
  server.route({
    method: "get",
    path: "/assert-admin",
    options: { pre },
    handler: async (request: SessionRequest) => {
      await request.session!.assertClaims([ROLE.validators.includes("admin")]);
      return { admin: true };
    },
  });
  server.route({
    method: "post",
    path: "/remember",
    options: { pre },
    handler: async (request: SessionRequest, h) => {
      await request.session!.mergeIntoAccessTokenPayload({ remembered: "yes" });
      return h.response("remembered").code(201);
    },
  });
  await server.start();
  return { baseUrl: server.info.uri, close: () => server.stop() };
};

const variants = await databaseVariants();

describe.each(variants.map((make) => [make().name, make] as const))("hapi adapter on %s", (_name, makeDatabase) => {
  let database: TestDatabase;
  let app: TestApp;
  let counter = 0;

  beforeAll(async () => {
    database = makeDatabase();
    app = await startConformanceApp(mountHapiWithExtras, { database: database.url, websiteDomain: WEBSITE });
  });

  afterAll(async () => {
    await app?.close();
    await database?.cleanup();
  });

  const signUp = async () => {
    const client = app.client({ origin: WEBSITE, rid: "anti-csrf", "st-auth-mode": "cookie" });
    const response = await client.post("/auth/signup", credentials(`hapi${++counter}@example.com`, "password123"));
    return { client, response };
  };

  it("answers a preflight for an auth route with Portcullis's headers allowed, and CORS headers on the answer", async () => {
    const preflight = await fetch(`${app.baseUrl}/auth/signin`, {
      method: "OPTIONS",
      headers: { origin: WEBSITE, "access-control-request-method": "POST", "access-control-request-headers": "content-type,rid,fdi-version,st-auth-mode" },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(WEBSITE);
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("fdi-version");

    const { response } = await signUp();
    expect(response.body.status).toBe("OK");
    expect(response.headers.get("access-control-allow-origin")).toBe(WEBSITE);
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    expect(response.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("front-token");
    // Each cookie on its own Set-Cookie line.
    expect(response.setCookies.map((line) => line.split("=")[0]).sort()).toEqual(["sAccessToken", "sRefreshToken"]);
    expect(response.headers.get("content-type")).toContain("application/json");
  });

  it("leaves the app's own route under apiBasePath to the app, and answers Hapi's 404 for an unknown auth path", async () => {
    const owned = await app.client().get("/auth/app-owned");
    expect(owned.body).toEqual({ owner: "app" });
    const unknown = await app.client().get("/auth/no-such-route");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ statusCode: 404, error: "Not Found", message: "Not Found" });
  });

  it("answers a body that is not JSON with a 400 from Portcullis", async () => {
    const response = await app.client().request("POST", "/auth/signin", { rawBody: "{not json", headers: { "content-type": "application/json" } });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/JSON/);
  });

  it("turns a session error thrown in a handler into the 403 invalid-claim body", async () => {
    const { client } = await signUp();
    const response = await client.get("/assert-admin");
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      message: "invalid claim",
      claimValidationErrors: [{ id: "st-role", reason: { message: "value does not exist", expectedToInclude: "admin", actualValue: undefined } }],
    });
    expect((await app.client({ origin: WEBSITE }).get("/assert-admin")).status).toBe(401);
  });

  it("puts the cookies a handler's session call set on the handler's own response", async () => {
    const { client } = await signUp();
    const before = client.cookie("sAccessToken");
    const response = await client.post("/remember");
    expect(response.status).toBe(201);
    expect(response.text).toBe("remembered");
    expect(response.setCookies.some((line) => line.startsWith("sAccessToken="))).toBe(true);
    expect(response.headers.get("front-token")).toBeTruthy();
    expect(client.cookie("sAccessToken")).not.toBe(before);
  });
});
