import type { Auth } from "../../engine/create-auth.js";
import { resolveAuth } from "../../engine/default-instance.js";
import { sendJSONError } from "../../engine/http-errors.js";
import { CollectingResponse } from "../../http/collecting-response.js";
import type { SessionContainerInterface, VerifySessionOptions } from "../../recipes/session/types.js";
import { FetchRequest } from "./fetch-request.js";

/**
 * The bridge for Fetch-style runtimes (Hono, the Next.js app router, edge and Lambda-style
 * handlers): web `Request` in, web `Response` out.
 */

/**
 * What the platform knows beyond the web Request: the client's address, which per-IP abuse limits
 * need (e.g. Hono on Node: `c.env.incoming.socket.remoteAddress`; behind a proxy, set `limits.trustProxy` instead).
 */
export interface FetchContext {
  remoteAddress?: string | undefined;
}

/** The auth route's Response, or undefined when the request is not for an auth route. */
export async function handleAuthRequest(request: Request, instance?: Auth, context: FetchContext = {}): Promise<Response | undefined> {
  const auth = resolveAuth(instance);
  const req = new FetchRequest(request, context.remoteAddress);
  const res = new CollectingResponse();
  try {
    if (!(await auth.middleware(req, res))) return undefined;
  } catch (error) {
    await answerError(auth, error, req, res);
  }
  return res.toFetchResponse();
}

/** A `(Request) => Response` handler for a catch-all auth route; other paths get a JSON 404. */
export function handler(instance?: Auth): (request: Request, context?: FetchContext) => Promise<Response> {
  return async (request, context) => (await handleAuthRequest(request, instance, context)) ?? Response.json({ message: "Not found" }, { status: 404 });
}

export type SessionHandler<Rest extends unknown[]> = (
  request: Request,
  session: SessionContainerInterface | undefined,
  ...rest: Rest
) => Response | Promise<Response>;

/**
 * Wraps a handler so it runs only with a verified session (or none, with `sessionRequired: false`).
 * A failed verification answers with the FDI's 401/403; headers the verification set (a refreshed
 * front token after a claim update, say) are added to the handler's Response.
 */
export function verifySession<Rest extends unknown[]>(
  sessionHandler: SessionHandler<Rest>,
  options?: VerifySessionOptions,
  instance?: Auth,
): (request: Request, ...rest: Rest) => Promise<Response> {
  return async (request, ...rest) => {
    const auth = resolveAuth(instance);
    const req = new FetchRequest(request);
    const res = new CollectingResponse();
    let session: SessionContainerInterface | undefined;
    try {
      session = (await auth.verifySession(options, req, res)) as SessionContainerInterface | undefined;
    } catch (error) {
      await answerError(auth, error, req, res);
      return res.toFetchResponse();
    }
    return res.copyOnto(await sessionHandler(request, session, ...rest));
  };
}

/** Our errors get their FDI answer; anything else is logged and answered with a bare 500, never a stack. */
async function answerError(auth: Auth, error: unknown, req: FetchRequest, res: CollectingResponse): Promise<void> {
  if (await auth.errorHandler(error, req, res)) return;
  auth.engine.log.error("Unexpected error while answering an auth request", error);
  sendJSONError(res, 500, "Internal server error");
}
