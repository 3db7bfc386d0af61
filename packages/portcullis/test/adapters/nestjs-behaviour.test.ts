/**
 * What the NestJS module does beyond the shared conformance kit: a guard that answered 401/403
 * stops the controller with one response and no log line; `@UseGuards(AuthGuard)` (the class, made
 * by Nest's injector) uses the defaults on the default instance; Nest's own `@Session()` reads the
 * same session; AuthModule's filter answers session errors thrown in a controller and leaves other
 * errors to Nest; CORS with getAllCORSHeaders covers the auth routes.
 */
import "reflect-metadata";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Controller, Get, Module, Req, Res, Session as NestSession, UseGuards, type LoggerService } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import type { NestExpressApplication } from "@nestjs/platform-express";
import { afterEach, describe, expect, it } from "vitest";
import type { Auth } from "../../src/engine/create-auth.js";
import { initDefaultAuth, takeDefaultAuth } from "../../src/engine/default-instance.js";
import { NodeRequest, NodeResponse } from "../../src/framework/node/index.js";
import { AuthGuard, AuthModule, middleware, Session } from "../../src/nestjs/index.js";
import { PrimitiveArrayClaim } from "../../src/recipes/session/claims/primitive-array-claim.js";
import type { SessionContainerInterface } from "../../src/recipes/session/types.js";
import { credentials, databaseVariants, startConformanceApp, type MountApp, type TestApp, type TestDatabase } from "../../src/testing/index.js";

const ROLE_IN_TOKEN = new PrimitiveArrayClaim<string>({ key: "st-role", fetchValue: () => undefined });
const ORIGIN = "https://app.example.com";

/** What Nest logged at warn/error level, and how often each controller method ran. */
const logged: unknown[] = [];
const ran: string[] = [];
const capturingLogger: LoggerService = {
  log: () => undefined,
  warn: (message: unknown) => void logged.push(message),
  error: (message: unknown) => void logged.push(message),
};

const mountBehaviourApp = (withAuthModule: boolean): MountApp => async (auth: Auth) => {
  @Controller()
  class BehaviourController {
    @Get("members")
    @UseGuards(new AuthGuard(undefined, auth))
    members(@Session() ours: SessionContainerInterface, @NestSession() nests: SessionContainerInterface) {
      ran.push("members");
      return { userId: ours.getUserId(), sameAsNests: ours === nests };
    }

    @Get("admins")
    @UseGuards(new AuthGuard({ overrideGlobalClaimValidators: (globals) => [...globals, ROLE_IN_TOKEN.validators.includes("admin")] }, auth))
    admins() {
      ran.push("admins");
      return "admins only";
    }

    @Get("class-guard")
    @UseGuards(AuthGuard)
    classGuard(@Session() session: SessionContainerInterface) {
      return { userId: session.getUserId() };
    }

    @Get("broken-validator")
    @UseGuards(new AuthGuard({ overrideGlobalClaimValidators: () => { throw new Error("validator list failed"); } }, auth))
    brokenValidator() {
      ran.push("broken-validator");
      return "unreachable";
    }

    // No guard: the session error is thrown by the controller itself, as Session.getSession would.
    @Get("session-in-controller")
    async sessionInController(@Req() req: IncomingMessage, @Res({ passthrough: true }) res: ServerResponse) {
      const session = (await auth.verifySession(undefined, new NodeRequest(req), new NodeResponse(res))) as SessionContainerInterface;
      return { userId: session.getUserId() };
    }

    @Get("boom")
    boom() {
      throw new Error("not a session error");
    }
  }

  @Module({ imports: withAuthModule ? [AuthModule.forRoot(auth)] : [], controllers: [BehaviourController] })
  class BehaviourModule {}

  const app = await NestFactory.create<NestExpressApplication>(BehaviourModule, { logger: capturingLogger });
  app.enableCors({ origin: ORIGIN, allowedHeaders: ["content-type", ...auth.getAllCORSHeaders()], credentials: true });
  app.use(middleware(auth));
  await app.listen(0, "127.0.0.1");
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
};

describe.each((await databaseVariants()).map((make) => [make().name, make] as const))("nestjs module on %s", (_name, makeDatabase) => {
  let app: TestApp | undefined;
  let database: TestDatabase | undefined;
  afterEach(async () => {
    takeDefaultAuth();
    await app?.close();
    await database?.cleanup();
    app = undefined;
    database = undefined;
    logged.length = 0;
    ran.length = 0;
  });
  const start = async (withAuthModule = true) => {
    database = makeDatabase();
    app = await startConformanceApp(mountBehaviourApp(withAuthModule), { database: database.url });
    return app;
  };
  const signUp = async (running: TestApp, email: string) => {
    const response = await running.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials(email, "password123"));
    expect(response.body.status).toBe("OK");
    return { userId: response.body.user.id as string, bearer: { authorization: `Bearer ${response.headers.get("st-access-token") ?? ""}` } };
  };

  it("answers 401 and 403 from the guard once, without running the controller or logging", async () => {
    const running = await start();
    const anonymous = await running.client().get("/members");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ message: "unauthorised" });

    const { bearer } = await signUp(running, "member@example.com");
    const forbidden = await running.client(bearer).get("/admins");
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toEqual({
      message: "invalid claim",
      claimValidationErrors: [{ id: "st-role", reason: { message: "value does not exist", expectedToInclude: "admin" } }],
    });
    expect(ran).toEqual([]);
    expect(logged).toEqual([]);
  });

  it("needs no AuthModule for the guard's own answers: Nest's default filter stays silent", async () => {
    const running = await start(false);
    const anonymous = await running.client().get("/members");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ message: "unauthorised" });
    expect(ran).toEqual([]);
    expect(logged).toEqual([]);
  });

  it("puts the session on req.session for our @Session() and Nest's own", async () => {
    const running = await start();
    const { userId, bearer } = await signUp(running, "both@example.com");
    const response = await running.client(bearer).get("/members");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ userId, sameAsNests: true });
  });

  it("lets Nest's injector build @UseGuards(AuthGuard) with the defaults, on the default instance", async () => {
    const running = await start();
    initDefaultAuth(() => running.auth);
    expect((await running.client().get("/class-guard")).status).toBe(401);
    const { userId, bearer } = await signUp(running, "class@example.com");
    expect((await running.client(bearer).get("/class-guard")).body).toEqual({ userId });
  });

  it("answers a session error thrown in a controller through AuthModule's filter", async () => {
    const running = await start();
    const anonymous = await running.client().get("/session-in-controller");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ message: "unauthorised" });
    const { userId, bearer } = await signUp(running, "controller@example.com");
    expect((await running.client(bearer).get("/session-in-controller")).body).toEqual({ userId });
    expect(logged).toEqual([]);
  });

  it("leaves errors that are not ours to Nest: a 500 without a stack, logged by Nest", async () => {
    const running = await start();
    const boom = await running.client().get("/boom");
    expect(boom.status).toBe(500);
    expect(boom.body).toEqual({ statusCode: 500, message: "Internal server error" });

    const { bearer } = await signUp(running, "broken@example.com");
    const broken = await running.client(bearer).get("/broken-validator");
    expect(broken.status).toBe(500);
    expect(broken.body).toEqual({ statusCode: 500, message: "Internal server error" });
    expect(ran).toEqual([]);
    expect(logged.map(String)).toEqual([expect.stringContaining("not a session error"), expect.stringContaining("validator list failed")]);

    const unknown = await running.client().get("/nowhere");
    expect(unknown.status).toBe(404);
  });

  it("serves CORS for the auth routes with the headers the frontends send", async () => {
    const running = await start();
    const preflight = await running.client().request("OPTIONS", "/auth/signin", {
      headers: { origin: ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "content-type,rid,fdi-version,st-auth-mode" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");
    const allowed = (preflight.headers.get("access-control-allow-headers") ?? "").split(",");
    expect(allowed).toEqual(expect.arrayContaining(["content-type", "rid", "fdi-version", "anti-csrf", "st-auth-mode"]));

    const signUpResponse = await running.client({ origin: ORIGIN }).post("/auth/signup", credentials("cors@example.com", "password123"));
    expect(signUpResponse.body.status).toBe("OK");
    expect(signUpResponse.headers.get("access-control-allow-origin")).toBe(ORIGIN);
  });
});
