import type { IncomingMessage, ServerResponse } from "node:http";
import type { Auth } from "../engine/create-auth.js";
import { resolveAuth } from "../engine/default-instance.js";
import { answerNodeError } from "../framework/node/node-bridge.js";

/** What the wrapped middleware calls: no argument to go on, an error to stop. */
export type NextWrapperCallback = (error?: unknown) => void;

/**
 * The pages router's bridge, as in the SDK: runs an Express-style middleware (`middleware()` from
 * `portcullis/framework/express`, `verifySession()` from `…/session/framework/express`, or
 * `Session.getSession`) on Next's own req/res, which are Node's underneath.
 *
 * - `next()` resolves, so the route goes on (with `req.session` set by verifySession).
 * - `next(error)` or a throw: session errors are answered with the FDI's 401/403 bodies; any other
 *   error rejects, for Next's own error path.
 * - The middleware returns without calling `next` and without answering: resolves with its result.
 * - The middleware answered the request itself (an auth route served, a 401/403 sent): the promise
 *   never settles. The route code after `await superTokensNextWrapper(...)` must not run then:
 *   it is the protected part (the seed creates users there), and resolving would run it for a
 *   caller who was just refused. Nothing but the request holds the promise and its callbacks, so
 *   once Node drops the finished request they are garbage collected; no timer or listener is left.
 */
export function superTokensNextWrapper<T>(
  middleware: (next: NextWrapperCallback) => Promise<T>,
  request: IncomingMessage,
  response: ServerResponse,
  instance?: Auth,
): Promise<T | void> {
  return new Promise<T | void>((resolve, reject) => {
    let nextCalled = false;
    const answerOrReject = async (error: unknown): Promise<void> => {
      try {
        if (!(await answerNodeError(resolveAuth(instance), error, request, response))) reject(error);
      } catch (handlerError) {
        reject(handlerError);
      }
    };
    const next: NextWrapperCallback = (error) => {
      nextCalled = true;
      if (error === undefined) resolve();
      else void answerOrReject(error);
    };
    let running: Promise<T>;
    try {
      running = middleware(next);
    } catch (error) {
      void answerOrReject(error);
      return;
    }
    Promise.resolve(running).then((result) => {
      if (!nextCalled && !answered(response)) resolve(result);
    }, answerOrReject);
  });
}

function answered(response: ServerResponse): boolean {
  return response.headersSent || response.writableEnded;
}
