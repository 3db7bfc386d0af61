import type { NextFunction, Request, Response } from "express";
import type { Auth } from "../../engine/create-auth.js";
import { getDefaultInstance } from "../../facade/default-instance.js";
import { NodeRequest, NodeResponse } from "../node-http.js";

/** Express hands us Node's request/response; the adapter is only this translation. */
export function wrapRequest(req: Request): NodeRequest {
  return new NodeRequest(req);
}

export function wrapResponse(res: Response): NodeResponse {
  return new NodeResponse(res);
}

export function resolveInstance(instance: Auth | undefined): Auth {
  return instance ?? getDefaultInstance();
}

/** Our errors get their FDI answer here; anything else continues to the app's error handling. */
export async function answerOrForward(auth: Auth, error: unknown, req: Request, res: Response, next: NextFunction): Promise<void> {
  try {
    if (!(await auth.errorHandler(error, wrapRequest(req), wrapResponse(res)))) next(error);
  } catch (handlerError) {
    next(handlerError);
  }
}
