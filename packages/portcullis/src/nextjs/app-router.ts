import type { Auth } from "../engine/create-auth.js";
import { resolveAuth } from "../engine/default-instance.js";
import { handler } from "../framework/fetch/fetch-bridge.js";
import { FetchRequest } from "../framework/fetch/fetch-request.js";
import { CollectingResponse } from "../http/collecting-response.js";
import type { SessionContainerInterface, VerifySessionOptions } from "../recipes/session/types.js";

/**
 * The app router (route handlers, `proxy.ts`) on the Fetch bridge: Next's `NextRequest` is a web
 * `Request`, and any web `Response` is a valid answer.
 */

/**
 * The handler for `app/api/auth/[[...path]]/route.ts`: export it as GET, POST, PUT, PATCH, DELETE
 * and HEAD. Paths that are not auth routes get a JSON 404.
 */
export function getAppDirRequestHandler(instance?: Auth): (request: Request) => Promise<Response> {
  const serve = handler(instance);
  // Next passes `{ params }` as a second argument; the bridge's second argument means something else.
  return (request) => serve(request);
}

/**
 * Runs `handler` with the request wrapped as the engine sees it and a response that collects what
 * the engine writes (session cookies, headers); those are then added to the Response the handler
 * returns, with `Cache-Control: no-cache` unless it set its own, so no cache keeps one user's tokens.
 */
export async function withPreParsedRequestResponse<R extends Response>(
  request: Request,
  handler: (baseRequest: FetchRequest, baseResponse: CollectingResponse) => Promise<R>,
): Promise<Response> {
  const baseRequest = new FetchRequest(request);
  const baseResponse = new CollectingResponse();
  return withCollected(baseResponse, await handler(baseRequest, baseResponse));
}

export type WithSessionHandler<R extends Response> = (error: Error | undefined, session: SessionContainerInterface | undefined) => Promise<R>;

/**
 * Verifies the request's session, then calls `handler(undefined, session)` (session undefined only
 * with `sessionRequired: false`). A session error is answered here with the FDI's status and body
 * (401 `unauthorised` / `try refresh token`, 403 `invalid claim`): the handler does not run. Any
 * other verification error (the database is down, say) goes to the handler as `error`. Headers and
 * cookies set while verifying (a refreshed token after a claim update) are added to its Response.
 * Errors the handler itself throws are left to Next.
 */
export async function withSession<R extends Response>(
  request: Request,
  handler: WithSessionHandler<R>,
  options?: VerifySessionOptions,
  userContext?: Record<string, unknown>,
  instance?: Auth,
): Promise<Response> {
  const baseRequest = new FetchRequest(request);
  const baseResponse = new CollectingResponse();
  let session: SessionContainerInterface | undefined;
  try {
    const auth = resolveAuth(instance);
    try {
      session = (await auth.verifySession(options, baseRequest, baseResponse, userContext)) as SessionContainerInterface | undefined;
    } catch (error) {
      if (await auth.errorHandler(error, baseRequest, baseResponse, userContext)) return baseResponse.toFetchResponse();
      throw error;
    }
  } catch (error) {
    return handler(asError(error), undefined);
  }
  return withCollected(baseResponse, await handler(undefined, session));
}

const NO_CACHE = "no-cache, no-store, max-age=0, must-revalidate";

function withCollected(collected: CollectingResponse, response: Response): Response {
  if (collected.cookies.length === 0 && [...collected.headers.keys()].length === 0) return response;
  const merged = collected.copyOnto(response);
  if (!merged.headers.has("cache-control")) merged.headers.set("Cache-Control", NO_CACHE);
  return merged;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
