import type { Context, Middleware, Next } from "koa";
import type { Auth } from "../../engine/create-auth.js";
import { resolveAuth } from "../../engine/default-instance.js";
import type { SessionContainerInterface, VerifySessionOptions } from "../../recipes/session/types.js";
import { answerNodeError, serveNode, verifyNodeSession } from "../node/node-bridge.js";

/** Koa on the Node bridge: `ctx.req`/`ctx.res` are Node's, so the bridge answers on them directly. */
export interface SessionContext extends Context {
  session?: SessionContainerInterface;
}

/**
 * Serves the auth routes (`app.use(middleware())`, before the routes) and otherwise calls `next()`.
 * Koa has no error-handler slot, so session errors thrown further down the chain (by verifySession
 * or Session.getSession in a route) are answered here with the 401/403 bodies the frontends expect;
 * other errors go on up to the app's own handling.
 */
export function middleware(instance?: Auth): Middleware {
  return async (ctx: Context, next: Next) => {
    const auth = resolveAuth(instance);
    handOverParsedBody(ctx);
    // Koa starts every response at 404 and our handlers only set a status when it is not 200.
    const statusBefore = ctx.res.statusCode;
    ctx.res.statusCode = 200;
    const outcome = await serveNode(auth, ctx.req, ctx.res);
    if ("error" in outcome) throw outcome.error;
    if (outcome.handled) {
      ctx.respond = false;
      return;
    }
    ctx.res.statusCode = statusBefore;
    try {
      await next();
    } catch (error) {
      await answerOrRethrow(auth, error, ctx);
    }
  };
}

/** Puts the verified session on `ctx.session`, or answers 401/403 itself (it also works without `middleware()`). */
export function verifySession(options?: VerifySessionOptions, instance?: Auth): Middleware {
  return async (ctx: Context, next: Next) => {
    const auth = resolveAuth(instance);
    const outcome = await verifyNodeSession(auth, options, ctx.req, ctx.res);
    if ("error" in outcome) return answerOrRethrow(auth, outcome.error, ctx);
    (ctx as SessionContext).session = outcome.session;
    await next();
  };
}

async function answerOrRethrow(auth: Auth, error: unknown, ctx: Context): Promise<void> {
  if (!(await answerNodeError(auth, error, ctx.req, ctx.res))) throw error;
  // Answered on the Node response: Koa must not write its own afterwards.
  ctx.respond = false;
}

/**
 * A body parser mounted before us (koa-bodyparser, @koa/bodyparser) has drained the stream into
 * `ctx.request.body`; the bridge reads `req.body` when present, as with Express.
 */
function handOverParsedBody(ctx: Context): void {
  const parsed = (ctx.request as { body?: unknown }).body;
  const req = ctx.req as { body?: unknown };
  if (parsed !== undefined && req.body === undefined) req.body = parsed;
}
