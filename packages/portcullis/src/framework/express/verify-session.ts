import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Auth } from "../../engine/create-auth.js";
import { makeRequestUserContext } from "../../core/user-context.js";
import type { SessionRecipe } from "../../recipes/session/session-recipe.js";
import type { VerifySessionOptions } from "../../recipes/session/types.js";
import { answerOrForward, resolveInstance, wrapRequest, wrapResponse } from "./adapter.js";
import type { SessionRequest } from "./index.js";

/** Puts the verified session on `req.session`, or answers 401/403 as the SDK does. */
export function verifySession(options?: VerifySessionOptions, instance?: Auth): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const auth = resolveInstance(instance);
    const request = wrapRequest(req);
    const response = wrapResponse(res);
    const sessionRecipe = auth.engine.requireRecipe<SessionRecipe>("session");
    sessionRecipe
      .verifySession(options, request, response, makeRequestUserContext(request))
      .then((session) => {
        (req as SessionRequest).session = session;
        next();
      })
      .catch((error: unknown) => answerOrForward(auth, error, req, res, next));
  };
}
