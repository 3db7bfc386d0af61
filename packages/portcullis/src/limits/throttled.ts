import type { BaseResponse } from "../http/base-response.js";
import type { Refusal } from "./limiter.js";

/**
 * A limited request on an FDI route: 200 GENERAL_ERROR, which web-js throws as STGeneralError and
 * auth-react shows as is (a 429 would reach them only as a thrown Response, shown as "Something went
 * wrong"), plus Retry-After for scripts and proxies.
 */
export function throttled(res: BaseResponse, refusal: Refusal): { status: "GENERAL_ERROR"; message: string } {
  res.setHeader("Retry-After", String(refusal.retryAfterSeconds), false);
  return { status: "GENERAL_ERROR", message: refusal.message };
}
