/**
 * What the LoopBack adapter does beyond the shared conformance kit: verifySession as an interceptor
 * leaves a refused method uncalled; middleware answers session errors thrown inside a controller
 * method (as Session.getSession would) and leaves other errors to LoopBack's reject action;
 * LoopBack still parses the bodies of its own routes; LoopBack's CORS serves the auth routes'
 * preflight; verifySession works without the middleware; and the entries load without LoopBack.
 */
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { inject, intercept } from "@loopback/core";
import { get, post, requestBody, RestBindings } from "@loopback/rest";
import { afterEach, describe, expect, it } from "vitest";
import type { Auth } from "../../src/engine/create-auth.js";
import { createMiddleware, verifySession, type SessionContext } from "../../src/framework/loopback/index.js";
import { createNodeHandler, NodeRequest, NodeResponse } from "../../src/framework/node/index.js";
import type { SessionContainerInterface, VerifySessionOptions } from "../../src/recipes/session/types.js";
import { credentials, databaseVariants, startConformanceApp, TestClient, type MountApp, type TestApp, type TestDatabase } from "../../src/testing/index.js";
import { startLoopback } from "./mount-loopback.js";

const ADMIN_ONLY: VerifySessionOptions = {
  overrideGlobalClaimValidators: (globals) => [...globals, { id: "st-role", shouldRefetch: () => false, validate: async () => ({ isValid: false, reason: { message: "wrong value" } }) }],
};

interface Observed {
  calls: string[];
  loggedErrors: { error: unknown; statusCode: number }[];
}

function behaviourController(auth: Auth, observed: Observed) {
  class BehaviourController {
    constructor(@inject(RestBindings.Http.CONTEXT) private readonly ctx: SessionContext) {}

    @get("/guarded")
    @intercept(verifySession(undefined, auth))
    guarded() {
      observed.calls.push("guarded");
      return { userId: this.ctx.session?.getUserId() };
    }

    @get("/refused")
    @intercept(verifySession(ADMIN_ONLY, auth))
    refused() {
      observed.calls.push("refused");
      return { reached: true };
    }

    // No interceptor: the session error is thrown by the method itself, as Session.getSession would.
    @get("/session-in-method")
    async sessionInMethod() {
      const session = (await auth.verifySession(undefined, new NodeRequest(this.ctx.request), new NodeResponse(this.ctx.response))) as SessionContainerInterface;
      return { userId: session.getUserId() };
    }

    @get("/boom")
    boom(): never {
      throw new Error("not a session error");
    }

    @post("/echo")
    echo(@requestBody() body: { note?: string }) {
      return { note: body.note };
    }
  }
  return BehaviourController;
}

const SITE = "http://site.example";

function mountWith(observed: Observed, withMiddleware: boolean): MountApp {
  return async (auth) => {
    const { baseUrl, close } = await startLoopback(
      (app) => {
        if (withMiddleware) app.middleware(createMiddleware(auth));
        app.controller(behaviourController(auth, observed));
        app.bind(RestBindings.SequenceActions.LOG_ERROR).to((error: unknown, statusCode: number) => {
          observed.loggedErrors.push({ error, statusCode });
        });
      },
      { cors: { origin: SITE, credentials: true, allowedHeaders: ["content-type", ...auth.getAllCORSHeaders()] } },
    );
    return { baseUrl, close };
  };
}

describe.each((await databaseVariants()).map((make) => [make().name, make] as const))("loopback adapter on %s", (_name, makeDatabase) => {
  let app: TestApp | undefined;
  let database: TestDatabase | undefined;
  let observed: Observed = { calls: [], loggedErrors: [] };
  afterEach(async () => {
    await app?.close();
    await database?.cleanup();
    app = undefined;
    database = undefined;
  });
  const start = async (withMiddleware = true) => {
    database = makeDatabase();
    observed = { calls: [], loggedErrors: [] };
    app = await startConformanceApp(mountWith(observed, withMiddleware), { database: database.url });
    return app;
  };
  const signUp = async (running: TestApp, email: string) => {
    const response = await running.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials(email, "password123"));
    expect(response.status).toBe(200);
    return { userId: response.body.user.id as string, authorization: `Bearer ${response.headers.get("st-access-token") ?? ""}` };
  };

  it("answers 401/403 from the interceptor without calling the method, and calls it with ctx.session set", async () => {
    const running = await start();
    const anonymous = await running.client().get("/guarded");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ message: "unauthorised" });

    const { userId, authorization } = await signUp(running, "member@example.com");
    const refused = await running.client().get("/refused", { authorization });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ message: "invalid claim", claimValidationErrors: [{ id: "st-role", reason: { message: "wrong value" } }] });
    expect(observed.calls).toEqual([]);

    const allowed = await running.client().get("/guarded", { authorization });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual({ userId });
    expect(observed.calls).toEqual(["guarded"]);
    expect(observed.loggedErrors).toEqual([]);
  });

  it("answers a session error thrown inside a controller method with the FDI 401", async () => {
    const running = await start();
    const anonymous = await running.client().get("/session-in-method");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ message: "unauthorised" });

    const { userId, authorization } = await signUp(running, "method@example.com");
    const signedIn = await running.client().get("/session-in-method", { authorization });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual({ userId });
    expect(observed.loggedErrors).toEqual([]);
  });

  it("leaves other errors to LoopBack's reject action (its 500 JSON, no stack) and unknown paths to its 404", async () => {
    const running = await start();
    const boom = await running.client().get("/boom");
    expect(boom.status).toBe(500);
    expect(boom.body).toEqual({ error: { statusCode: 500, message: "Internal Server Error" } });
    expect(boom.text).not.toContain("at ");
    expect(observed.loggedErrors).toEqual([{ error: new Error("not a session error"), statusCode: 500 }]);
    expect((await running.client().get("/nowhere")).status).toBe(404);
  });

  it("keeps LoopBack's body parsing for its own routes while the auth routes read theirs", async () => {
    const running = await start();
    const echoed = await running.client().post("/echo", { note: "parsed by LoopBack" });
    expect(echoed.status).toBe(200);
    expect(echoed.body).toEqual({ note: "parsed by LoopBack" });

    const badForLoopBack = await running.client().request("POST", "/echo", { rawBody: "{", headers: { "content-type": "application/json" } });
    expect(badForLoopBack.status).toBe(400);
    expect(badForLoopBack.body).toMatchObject({ error: { statusCode: 400 } });

    const badForUs = await running.client().request("POST", "/auth/signin", { rawBody: "{", headers: { "content-type": "application/json" } });
    expect(badForUs.status).toBe(400);
    expect(badForUs.body).toEqual({ message: "Request body is not valid JSON" });
    await signUp(running, "body@example.com");
  });

  it("lets LoopBack's CORS answer the auth routes' preflight with the headers from getAllCORSHeaders", async () => {
    const running = await start();
    const preflight = await running.client().request("OPTIONS", "/auth/signin", {
      headers: { origin: SITE, "access-control-request-method": "POST", "access-control-request-headers": "content-type,rid,fdi-version" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");
    expect(preflight.headers.get("access-control-allow-headers")?.split(",")).toEqual(expect.arrayContaining(["content-type", ...running.auth.getAllCORSHeaders()]));

    const signIn = await running.client({ origin: SITE }).post("/auth/signup", credentials("cors@example.com", "password123"));
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(signIn.headers.get("access-control-expose-headers")).toContain("front-token");
  });

  it("verifies sessions with the interceptor alone, without the middleware", async () => {
    const running = await start(false);
    expect((await running.client().get("/guarded")).status).toBe(401);
    expect((await running.client().post("/auth/signup", credentials("x@example.com", "password123"))).status).toBe(404);
    const { userId, authorization } = await signUpDirectly(running, "alone@example.com");
    const allowed = await running.client().get("/guarded", { authorization });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual({ userId });
  });
});

/** Without the middleware the app has no auth routes: the user signs up through a bare Node server on the same instance. */
async function signUpDirectly(running: TestApp, email: string): Promise<{ userId: string; authorization: string }> {
  const serveAuth = createNodeHandler(running.auth);
  const server = createServer((req, res) => void serveAuth(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const client = new TestClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { "st-auth-mode": "header" });
    const response = await client.post("/auth/signup", credentials(email, "password123"));
    expect(response.status).toBe(200);
    return { userId: response.body.user.id as string, authorization: `Bearer ${response.headers.get("st-access-token") ?? ""}` };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));

/** A resolve hook that makes every @loopback/* package missing, as in an app that never installed LoopBack. */
const WITHOUT_LOOPBACK = `import { register } from "node:module";
register("data:text/javascript," + encodeURIComponent(${JSON.stringify(
  `export async function resolve(specifier, context, next) {
  if (specifier.startsWith("@loopback/")) throw Object.assign(new Error("Cannot find package " + specifier), { code: "ERR_MODULE_NOT_FOUND" });
  return next(specifier, context);
}`,
)}));`;

const PROBE = `
const loopback = await import("@loopback/rest").then(() => "present", () => "missing");
const framework = await import(new URL("src/entries/framework/loopback.ts", process.env.PACKAGE_URL).href);
const session = await import(new URL("src/entries/recipe/session/framework/loopback.ts", process.env.PACKAGE_URL).href);
console.log(JSON.stringify({ loopback, framework: Object.keys(framework).sort(), session: Object.keys(session), middleware: typeof framework.middleware }));`;

describe("loopback entries", () => {
  it("load in an app where LoopBack is not installed", async () => {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ["--import", "tsx", "--import", `data:text/javascript,${encodeURIComponent(WITHOUT_LOOPBACK)}`, "--input-type=module", "-e", PROBE],
        { cwd: PACKAGE_DIR, env: { ...process.env, PACKAGE_URL: new URL("../../", import.meta.url).href } },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
    expect(JSON.parse(output)).toEqual({ loopback: "missing", framework: ["createMiddleware", "middleware", "verifySession"], session: ["verifySession"], middleware: "function" });
  });
});
