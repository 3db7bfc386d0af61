import { inject, intercept } from "@loopback/core";
import { get, getControllerSpec, post, RestApplication, RestBindings, type RestServerConfig } from "@loopback/rest";
import type { Auth } from "../../src/engine/create-auth.js";
import { createMiddleware, verifySession, type SessionContext } from "../../src/framework/loopback/index.js";
import type { VerifySessionOptions } from "../../src/recipes/session/types.js";
import { CONFORMANCE_ROUTES, sessionSummary, type MountApp, type MountedApp } from "../../src/testing/conformance-app.js";

/** The verifySession options CONFORMANCE_ROUTES gives a route: the controller below declares each one. */
function optionsOf(method: "get" | "post", path: string): VerifySessionOptions | undefined {
  const route = CONFORMANCE_ROUTES.find((r) => r.method === method && r.path === path);
  if (route === undefined) throw new Error(`${method.toUpperCase()} ${path} is not a conformance route`);
  return route.options;
}

/**
 * The controller a LoopBack user would write: each method intercepted by verifySession and reading
 * the session from the injected request context. Decorators need the instance, hence a class per app.
 */
function conformanceController(auth: Auth) {
  class ConformanceController {
    constructor(@inject(RestBindings.Http.CONTEXT) private readonly ctx: SessionContext) {}

    @get("/protected")
    @intercept(verifySession(optionsOf("get", "/protected"), auth))
    getProtected() {
      return sessionSummary(this.ctx.session);
    }

    @post("/protected")
    @intercept(verifySession(optionsOf("post", "/protected"), auth))
    postProtected() {
      return sessionSummary(this.ctx.session);
    }

    @get("/protected-db")
    @intercept(verifySession(optionsOf("get", "/protected-db"), auth))
    protectedDb() {
      return sessionSummary(this.ctx.session);
    }

    @get("/optional")
    @intercept(verifySession(optionsOf("get", "/optional"), auth))
    optional() {
      return sessionSummary(this.ctx.session);
    }

    @get("/admin-only")
    @intercept(verifySession(optionsOf("get", "/admin-only"), auth))
    adminOnly() {
      return sessionSummary(this.ctx.session);
    }
  }
  return ConformanceController;
}

/** Starts a LoopBack app on 127.0.0.1 with a free port; `setup` adds middleware and controllers. */
export async function startLoopback(setup: (app: RestApplication) => void, rest: RestServerConfig = {}): Promise<MountedApp & { app: RestApplication }> {
  const app = new RestApplication({ rest: { ...rest, port: 0, host: "127.0.0.1", openApiSpec: { disabled: true } } });
  setup(app);
  await app.start();
  const url = app.restServer.url;
  if (url === undefined) throw new Error("LoopBack did not report its URL");
  return { app, baseUrl: url, close: () => app.stop() };
}

/** LoopBack 4 as its users wire it: `app.middleware(...)` for the auth routes, a controller for the rest. */
export const mountLoopback: MountApp = async (auth) => {
  const controller = conformanceController(auth);
  const paths = getControllerSpec(controller).paths;
  const missing = CONFORMANCE_ROUTES.filter((route) => paths[route.path]?.[route.method] === undefined);
  if (missing.length > 0) throw new Error(`the controller misses ${missing.map((r) => `${r.method} ${r.path}`).join(", ")}`);
  const { baseUrl, close } = await startLoopback((app) => {
    app.middleware(createMiddleware(auth));
    app.controller(controller);
  });
  return { baseUrl, close };
};
