/**
 * What the conformance kit does not see about the Fastify plugin: it lives beside the app's own
 * hooks, parsers and error handling without taking them over.
 */
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorHandler, plugin, wrapRequest, wrapResponse } from "../../src/framework/fastify/index.js";
import { credentials, startConformanceApp, type TestApp } from "../../src/testing/conformance-app.js";
import { databaseVariants } from "../helpers/databases.js";

const mount = (calls: string[]) => async (auth: TestApp["auth"]) => {
  const app = Fastify();
  // As @fastify/cors does: a header put on the reply in an earlier onRequest hook.
  app.addHook("onRequest", async (_request, reply) => {
    reply.header("access-control-allow-origin", "http://web.example");
  });
  await app.register(plugin, { auth });
  app.post("/echo", async (request) => ({ body: request.body }));
  app.get("/session-in-route", async (request, reply) => {
    // A session error thrown from inside a route, left to errorHandler().
    await auth.verifySession(undefined, wrapRequest(request), wrapResponse(reply));
    return { reached: true };
  });
  app.get("/broken", async () => {
    calls.push("broken");
    throw new Error("not an auth error");
  });
  app.setErrorHandler(errorHandler(auth));
  const baseUrl = await app.listen({ port: 0, host: "127.0.0.1" });
  return { baseUrl, close: () => app.close() };
};

describe.each((await databaseVariants()).map((make) => [make().name, make] as const))("fastify plugin wiring on %s", (_name, makeDatabase) => {
  let app: TestApp;
  const database = makeDatabase();
  const calls: string[] = [];

  beforeAll(async () => {
    app = await startConformanceApp(mount(calls), { database: database.url });
  });
  afterAll(async () => {
    await app.close();
    await database.cleanup();
  });

  it("keeps headers other hooks put on the reply, on auth answers too", async () => {
    const response = await app.client({ "st-auth-mode": "cookie" }).post("/auth/signup", credentials("ada@example.com", "password123"));
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("http://web.example");
    expect(response.setCookies.some((line) => line.startsWith("sAccessToken="))).toBe(true);
  });

  it("reads auth bodies itself, whatever their content type, with no parser registered for it", async () => {
    const response = await app.client().request("POST", "/auth/signin", {
      rawBody: "formFields=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    // The bridge read it (sign-in takes JSON only), as on any framework: not Fastify's 415 for a type it cannot parse.
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ message: "Request body is not valid JSON" });
  });

  it("leaves other routes' bodies to Fastify's parsers", async () => {
    const response = await app.client().post("/echo", { hello: "world" });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ body: { hello: "world" } });
  });

  it("answers a session error thrown inside a route with the SDK's 401 body", async () => {
    const response = await app.client().get("/session-in-route");
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ message: "unauthorised" });
  });

  it("passes errors that are not ours on to Fastify's default handler", async () => {
    const response = await app.client().get("/broken");
    expect(calls).toContain("broken");
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({ statusCode: 500, message: "not an auth error" });
  });

  it("lets unknown paths, under /auth too, reach Fastify's 404", async () => {
    expect((await app.client().get("/auth/no-such-route")).status).toBe(404);
    expect((await app.client().get("/nowhere")).status).toBe(404);
  });
});
