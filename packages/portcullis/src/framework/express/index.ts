import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from "express";
import type { Auth } from "../../engine/create-auth.js";
import { resolveAuth } from "../../engine/default-instance.js";
import { sendJSONError } from "../../engine/http-errors.js";
import type { SessionContainerInterface, VerifySessionOptions } from "../../recipes/session/types.js";
import { answerNodeError, serveNode, verifyNodeSession } from "../node/node-bridge.js";
import { NodeRequest, NodeResponse } from "../node/node-http.js";

/** Express on the Node bridge: `next()` for other paths, `next(error)` for errors that are not ours. */
export interface SessionRequest extends Request {
  session?: SessionContainerInterface;
}

export const wrapRequest = (req: Request): NodeRequest => new NodeRequest(req);
export const wrapResponse = (res: Response): NodeResponse => new NodeResponse(res);

/**
 * Serves the auth routes (`app.use(middleware())`); other requests continue down the chain. Like the
 * SDK's, the handler's promise settles when it is done, so a caller can await it (Next.js's
 * superTokensNextWrapper, a NestJS guard); Express itself does not need it.
 */
export function middleware(instance?: Auth): RequestHandler {
  return (req, res, next) => {
    return serveNode(resolveAuth(instance), req, res).then(
      (outcome) => ("error" in outcome ? next(outcome.error) : outcome.handled || next()),
      next,
    );
  };
}

/** Mount after your routes: answers session errors raised there (401/403 bodies the frontends expect). */
export function errorHandler(instance?: Auth): ErrorRequestHandler {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    void forward(instance, error, req, res, next);
  };
}

/** Puts the verified session on `req.session`, or answers 401/403 as the SDK does (awaitable, as `middleware()`). */
export function verifySession(options?: VerifySessionOptions, instance?: Auth): RequestHandler {
  return (req, res, next) => {
    return verifyNodeSession(resolveAuth(instance), options, req, res).then((outcome) => {
      if ("error" in outcome) return forward(instance, outcome.error, req, res, next);
      (req as SessionRequest).session = outcome.session;
      next();
    }, next);
  };
}

async function forward(instance: Auth | undefined, error: unknown, req: Request, res: Response, next: NextFunction): Promise<void> {
  try {
    if (answerBodyParserError(error, res)) return;
    if (!(await answerNodeError(resolveAuth(instance), error, req, res))) next(error);
  } catch (handlerError) {
    next(handlerError);
  }
}

/**
 * express.json() mounted before us reports bad bodies as errors with a `type` and an exposable 4xx
 * status (bad JSON, too large, an unsupported charset or encoding, an aborted request): the client's
 * fault, answered as JSON with that status rather than Express's HTML page with a stack.
 */
function answerBodyParserError(error: unknown, res: Response): boolean {
  const { type, status, expose } = (error ?? {}) as { type?: unknown; status?: unknown; expose?: unknown };
  if (type === "entity.parse.failed") return sendJSONError(new NodeResponse(res), 400, "Request body is not valid JSON");
  if (type === "entity.too.large") return sendJSONError(new NodeResponse(res), 413, "Request body too large");
  if (typeof type === "string" && expose === true && typeof status === "number" && status >= 400 && status < 500) {
    return sendJSONError(new NodeResponse(res), status, "Request body could not be read");
  }
  return false;
}
