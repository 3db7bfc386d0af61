import type { Interceptor, InvocationContext } from "@loopback/core";
import type { Middleware, MiddlewareContext } from "@loopback/rest";
import type { Auth } from "../../engine/create-auth.js";
import { resolveAuth } from "../../engine/default-instance.js";
import type { SessionContainerInterface, VerifySessionOptions } from "../../recipes/session/types.js";
import { answerNodeError, serveNode, verifyNodeSession } from "../node/node-bridge.js";

/**
 * LoopBack 4 on the Node bridge: a MiddlewareContext carries Express's request and response, which
 * are Node's underneath, so the bridge answers on them directly. Only LoopBack's types are
 * imported: this module loads where LoopBack is not installed.
 */
export interface SessionContext extends MiddlewareContext {
  session?: SessionContainerInterface;
}

/**
 * `RestBindings.Http.CONTEXT`, written out so that no LoopBack module is loaded at runtime: the
 * request's MiddlewareContext, reachable from a method's InvocationContext (its child).
 */
const REQUEST_CONTEXT_KEY = "rest.http.request.context";

/**
 * A middleware for the given instance. It runs in LoopBack's "middleware" group: after CORS and
 * before routing and body parsing, so the auth routes' bodies are still unread for Portcullis.
 * Its try/catch wraps `next()`, so session errors thrown later (by Session.getSession in a
 * controller) get the 401/403 bodies the frontends expect; other errors go on to LoopBack's reject.
 */
export function createMiddleware(instance?: Auth): Middleware {
  return async (ctx, next) => {
    const auth = resolveAuth(instance);
    const outcome = await serveNode(auth, ctx.request, ctx.response);
    if ("error" in outcome) throw outcome.error;
    // Returning the response tells LoopBack's writer that it has been written already.
    if (outcome.handled) return ctx.response;
    try {
      return await next();
    } catch (error) {
      return answerOrRethrow(auth, error, ctx);
    }
  };
}

/** `app.middleware(middleware)`, as in the SDK: serves the default instance (`supertokens.init`). */
export const middleware: Middleware = createMiddleware();

/**
 * For `@intercept(verifySession(options))` on a controller method: puts the verified session on
 * the request's context (`ctx.session`, the MiddlewareContext the controller injects with
 * `RestBindings.Http.CONTEXT`), or answers 401/403 itself and leaves the method uncalled. It also
 * works without the middleware.
 */
export function verifySession(options?: VerifySessionOptions, instance?: Auth): Interceptor {
  return async (invocation, next) => {
    const auth = resolveAuth(instance);
    const ctx = await requestContextOf(invocation);
    const outcome = await verifyNodeSession(auth, options, ctx.request, ctx.response);
    if ("error" in outcome) return answerOrRethrow(auth, outcome.error, ctx);
    ctx.session = outcome.session;
    return next();
  };
}

async function requestContextOf(invocation: InvocationContext): Promise<SessionContext> {
  const ctx = await invocation.get<SessionContext | undefined>(REQUEST_CONTEXT_KEY, { optional: true });
  if (ctx === undefined) throw new Error(`verifySession() intercepts REST controller methods only: ${invocation.targetName} was not called for an HTTP request`);
  return ctx;
}

async function answerOrRethrow(auth: Auth, error: unknown, ctx: MiddlewareContext): Promise<MiddlewareContext["response"]> {
  if (!(await answerNodeError(auth, error, ctx.request, ctx.response))) throw error;
  return ctx.response;
}
