import { PAYLOAD_TOO_LARGE, PortcullisError, UnknownTenantError } from "../core/errors.js";
import { HashingOverloadedError } from "../crypto/password/semaphore.js";
import { PasswordTooLongError } from "../crypto/password/password-too-long-error.js";
import type { BaseResponse } from "../http/base-response.js";
import { StorageUnavailableError } from "../storage/storage-errors.js";

/**
 * Errors every recipe shares, answered with a JSON `{ message }`. Returns false for errors that are
 * not ours to answer (they go on to the app's own error handling).
 */
export function answerGenericError(error: unknown, res: BaseResponse): boolean {
  if (PortcullisError.isErrorFromSuperTokens(error)) {
    if (error.type === PortcullisError.BAD_INPUT_ERROR) return sendJSONError(res, 400, error.message);
    if (error.type === PAYLOAD_TOO_LARGE) return sendJSONError(res, 413, error.message);
    return false;
  }
  if (error instanceof UnknownTenantError) return sendJSONError(res, 400, error.message);
  if (error instanceof PasswordTooLongError) return sendJSONError(res, 400, error.message);
  if (StorageUnavailableError.is(error)) {
    // An outage, not a bug: the client may retry; the driver's message stays in the server log.
    res.setHeader("Retry-After", String(error.retryAfterSeconds), false);
    return sendJSONError(res, 503, error.publicMessage);
  }
  if (error instanceof HashingOverloadedError) {
    res.setHeader("Retry-After", "1", false);
    return sendJSONError(res, 503, "Too many sign-in attempts in progress, please retry shortly");
  }
  return false;
}

export function sendJSONError(res: BaseResponse, status: number, message: string): true {
  res.setStatusCode(status);
  res.sendJSONResponse({ message });
  return true;
}
