/**
 * What the Koa adapter does beyond the shared conformance kit: it takes a body a Koa body parser
 * already read from `ctx.request.body`, answers session errors thrown inside a route (Koa has no
 * error-handler slot, so middleware() catches them around next()), and leaves other errors and
 * other paths to Koa.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Koa from "koa";
import KoaRouter from "koa-router";
import { afterEach, describe, expect, it } from "vitest";
import type { Auth } from "../../src/engine/create-auth.js";
import { middleware, type SessionContext } from "../../src/framework/koa/index.js";
import { NodeRequest, NodeResponse } from "../../src/framework/node/index.js";
import type { SessionContainerInterface } from "../../src/recipes/session/types.js";
import { credentials, databaseVariants, startConformanceApp, type MountApp, type TestApp, type TestDatabase } from "../../src/testing/index.js";

/** A stand-in for koa-bodyparser (not a dependency): drains JSON bodies into `ctx.request.body`. */
const drainJsonIntoRequestBody: Koa.Middleware = async (ctx, next) => {
  if (ctx.is("application/json") !== false && ctx.is("application/json") !== null) {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
    (ctx.request as { body?: unknown }).body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  }
  await next();
};

const mountWithBodyParser: MountApp = async (auth: Auth) => {
  const app = new Koa();
  app.silent = true;
  const router = new KoaRouter();
  app.use(drainJsonIntoRequestBody);
  app.use(middleware(auth));
  // No verifySession here: the session error is thrown by the route itself, as Session.getSession would.
  router.get("/session-in-route", async (ctx: SessionContext) => {
    const session = (await auth.verifySession(undefined, new NodeRequest(ctx.req), new NodeResponse(ctx.res))) as SessionContainerInterface;
    ctx.body = { userId: session.getUserId() };
  });
  router.get("/boom", () => {
    throw new Error("not a session error");
  });
  app.use(router.routes());
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    // Drop keep-alive connections too, so a request the app never answers cannot hold up close().
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
};

describe.each((await databaseVariants()).map((make) => [make().name, make] as const))("koa adapter on %s", (_name, makeDatabase) => {
  let app: TestApp | undefined;
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await app?.close();
    await database?.cleanup();
    app = undefined;
    database = undefined;
  });
  const start = async () => {
    database = makeDatabase();
    app = await startConformanceApp(mountWithBodyParser, { database: database.url });
    return app;
  };

  it("serves the auth routes from a body a Koa body parser already read", async () => {
    const running = await start();
    const response = await running.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials("koa@example.com", "password123"));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: "OK", user: { emails: ["koa@example.com"] } });
  });

  it("answers a session error thrown inside a route with the FDI 401, and lets a valid session through", async () => {
    const running = await start();
    const anonymous = await running.client().get("/session-in-route");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ message: "unauthorised" });

    const client = running.client({ "st-auth-mode": "header" });
    const signUp = await client.post("/auth/signup", credentials("route@example.com", "password123"));
    const accessToken = signUp.headers.get("st-access-token") ?? "";
    const signedIn = await running.client({ authorization: `Bearer ${accessToken}` }).get("/session-in-route");
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual({ userId: signUp.body.user.id });
  });

  it("leaves other errors to Koa (500) and unknown paths to Koa (404)", async () => {
    const running = await start();
    expect((await running.client().get("/boom")).status).toBe(500);
    expect((await running.client().get("/nowhere")).status).toBe(404);
  });
});
