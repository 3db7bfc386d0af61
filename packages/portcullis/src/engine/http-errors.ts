import { PAYLOAD_TOO_LARGE, PortcullisError, UnknownTenantError } from "../core/errors.js";
import { HashingOverloadedError } from "../crypto/password/semaphore.js";
import { PasswordTooLongError } from "../crypto/password/password-too-long-error.js";
import type { BaseResponse } from "../framework/base-response.js";

/**
 * Errors every recipe shares, answered with a JSON `{ message }`. Returns false for errors that are
 * not ours to answer (they go on to the app's own error handling).
 */
export function answerGenericError(error: unknown, res: BaseResponse): boolean {
  if (PortcullisError.isErrorFromSuperTokens(error)) {
    if (error.type === PortcullisError.BAD_INPUT_ERROR) return send(res, 400, error.message);
    if (error.type === PAYLOAD_TOO_LARGE) return send(res, 413, error.message);
    return false;
  }
  if (error instanceof UnknownTenantError) return send(res, 400, error.message);
  if (error instanceof PasswordTooLongError) return send(res, 400, error.message);
  if (error instanceof HashingOverloadedError) {
    res.setHeader("Retry-After", "1", false);
    return send(res, 503, "Too many sign-in attempts in progress, please retry shortly");
  }
  // Body-parser errors from a JSON middleware mounted before ours (express.json()).
  const parserError = error as { type?: unknown; status?: unknown } | undefined;
  if (parserError?.type === "entity.parse.failed") return send(res, 400, "Request body is not valid JSON");
  if (parserError?.type === "entity.too.large") return send(res, 413, "Request body too large");
  return false;
}

function send(res: BaseResponse, status: number, message: string): true {
  res.setStatusCode(status);
  res.sendJSONResponse({ message });
  return true;
}
