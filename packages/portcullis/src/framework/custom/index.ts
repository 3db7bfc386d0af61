import type { Auth } from "../../engine/create-auth.js";
import { resolveAuth } from "../../engine/default-instance.js";
import type { BaseRequest } from "../../http/base-request.js";
import type { BaseResponse } from "../../http/base-response.js";
import type { SessionContainerInterface, VerifySessionOptions } from "../../recipes/session/types.js";

/**
 * The SDK's `custom` framework: the app wraps its own request/response into BaseRequest/BaseResponse
 * (or uses PreParsedRequest and CollectingResponse) and calls these.
 */
export type NextFunction = (error?: unknown) => void;

export function middleware<Req = BaseRequest, Res = BaseResponse>(
  wrapRequest: (req: Req) => BaseRequest = (req) => req as unknown as BaseRequest,
  wrapResponse: (res: Res) => BaseResponse = (res) => res as unknown as BaseResponse,
  instance?: Auth,
): (req: Req, res: Res, next?: NextFunction) => Promise<{ handled: boolean; error?: unknown }> {
  return async (req, res, next) => {
    const auth = resolveAuth(instance);
    const request = wrapRequest(req);
    const response = wrapResponse(res);
    try {
      if (await auth.middleware(request, response)) return { handled: true };
      next?.();
      return { handled: false };
    } catch (error) {
      if (await auth.errorHandler(error, request, response).catch(() => false)) return { handled: true };
      next?.(error);
      return { handled: false, error };
    }
  };
}

export function errorHandler(instance?: Auth): (error: unknown, req: BaseRequest, res: BaseResponse, next: NextFunction) => Promise<void> {
  return async (error, req, res, next) => {
    try {
      if (!(await resolveAuth(instance).errorHandler(error, req, res))) next(error);
    } catch (handlerError) {
      next(handlerError);
    }
  };
}

/** `portcullis/recipe/session/framework/custom`: sets `req.session`; returns the error it could not answer. */
export function verifySession<Req extends BaseRequest & { session?: SessionContainerInterface }>(
  options?: VerifySessionOptions,
  instance?: Auth,
): (req: Req, res: BaseResponse, next?: NextFunction) => Promise<unknown> {
  return async (req, res, next) => {
    const auth = resolveAuth(instance);
    try {
      req.session = (await auth.verifySession(options, req, res)) as SessionContainerInterface | undefined;
      next?.();
      return undefined;
    } catch (error) {
      if (await auth.errorHandler(error, req, res).catch(() => false)) return undefined;
      next?.(error);
      return error;
    }
  };
}

export { PreParsedRequest, type PreParsedRequestInfo } from "./pre-parsed-request.js";
export { CollectingResponse, type CookieInfo } from "../../http/collecting-response.js";
