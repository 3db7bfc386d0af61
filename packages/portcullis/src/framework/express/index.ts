import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from "express";
import type { Auth } from "../../engine/create-auth.js";
import type { SessionContainerInterface } from "../../recipes/session/types.js";
import { answerOrForward, resolveInstance, wrapRequest, wrapResponse } from "./adapter.js";

export interface SessionRequest extends Request {
  session?: SessionContainerInterface;
}

/** Serves the auth routes (`app.use(middleware())`); other requests continue down the chain. */
export function middleware(instance?: Auth): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const auth = resolveInstance(instance);
    auth
      .middleware(wrapRequest(req), wrapResponse(res))
      .then((handled) => {
        if (!handled) next();
      })
      .catch((error: unknown) => answerOrForward(auth, error, req, res, next));
  };
}

/** Mount after your routes: answers session errors raised there (401/403 bodies the frontends expect). */
export function errorHandler(instance?: Auth): ErrorRequestHandler {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    void answerOrForward(resolveInstance(instance), error, req, res, next);
  };
}

export { wrapRequest, wrapResponse };
