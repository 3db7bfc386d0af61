import type { Context, MiddlewareHandler, Next } from "hono";
import type { Auth } from "../../engine/create-auth.js";
import { resolveAuth } from "../../engine/default-instance.js";
import { CollectingResponse } from "../../http/collecting-response.js";
import type { SessionContainerInterface, VerifySessionOptions } from "../../recipes/session/types.js";
import { handleAuthRequest, verifySession as verifyFetchSession, type FetchContext } from "../fetch/fetch-bridge.js";
import { FetchRequest } from "../fetch/fetch-request.js";

/**
 * Hono on the Fetch bridge: `c.req.raw` is a web Request and the answer is a web Response, so the
 * same code serves Node (@hono/node-server), Bun, Deno and edge runtimes.
 */

/** What verifySession() puts on the context: `c.get("session")`. */
export type SessionVariables = {
  session: SessionContainerInterface | undefined;
};

/** `new Hono<SessionEnv>()` types `c.get("session")` on routes behind `app.use(path, verifySession())`. */
export type SessionEnv = {
  Variables: SessionVariables;
};

/**
 * Serves the auth routes (`app.use(middleware())`, before the routes) and otherwise calls `next()`.
 * A session error raised further down (Session.getSession in a route, say) reaches Hono's onError
 * first; this then replaces that answer with the 401/403 the frontends expect. Other errors keep the
 * app's own answer.
 */
export function middleware(instance?: Auth): MiddlewareHandler {
  return async (c, next) => {
    const answer = await handleAuthRequest(c.req.raw, instance, platformContext(c));
    if (answer !== undefined) return answer;
    await next();
    if (c.error !== undefined) await answerSessionError(resolveAuth(instance), c.error, c);
  };
}

/**
 * Puts the verified session on the context (`c.get("session")`), or answers 401/403 as the SDK does.
 * Headers the verification set (a refreshed front token after a claim update, say) are added to
 * whatever the route answered.
 */
export function verifySession(options?: VerifySessionOptions, instance?: Auth): MiddlewareHandler<SessionEnv> {
  const verified = verifyFetchSession(
    async (_request, session, c: Context<SessionEnv>, next: Next) => {
      c.set("session", session);
      await next();
      return c.res;
    },
    options,
    instance,
  );
  return async (c, next) => {
    let routeRan = false;
    const response = await verified(c.req.raw, c, () => {
      routeRan = true;
      return next();
    });
    // Not verified: the bridge's 401/403 is the answer.
    if (!routeRan) return response;
    // Cleared first, or Hono's setter would lay the route's headers back over the ones just merged in.
    if (response !== c.res) {
      c.res = undefined;
      c.res = response;
    }
  };
}

async function answerSessionError(auth: Auth, error: Error, c: Context): Promise<void> {
  const res = new CollectingResponse();
  if (await auth.errorHandler(error, new FetchRequest(c.req.raw, platformContext(c).remoteAddress), res)) c.res = res.toFetchResponse();
}

/**
 * The client address, for per-IP limits, where the runtime hands it to Hono as `c.env`:
 * @hono/node-server (`incoming`, Node's request), Bun (`requestIP()` on the server) and
 * Deno.serve (`remoteAddr`). Read by shape, so no runtime's package is imported.
 */
function platformContext(c: Context): FetchContext {
  const env = c.env as PlatformEnv | undefined;
  if (env === undefined || env === null) return {};
  const address =
    env.incoming?.socket?.remoteAddress ??
    (typeof env.requestIP === "function" ? env.requestIP(c.req.raw)?.address : undefined) ??
    env.remoteAddr?.hostname;
  return typeof address === "string" ? { remoteAddress: address } : {};
}

interface PlatformEnv {
  incoming?: { socket?: { remoteAddress?: unknown } };
  requestIP?: (request: Request) => { address?: unknown } | null;
  remoteAddr?: { hostname?: unknown };
}
