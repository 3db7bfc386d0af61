import { attachedResponse, isLambdaEvent, LambdaRequest } from "../framework/awsLambda/lambda-request.js";
import { FetchRequest, isFetchRequest } from "../framework/fetch/fetch-request.js";
import { NodeRequest, NodeResponse } from "../framework/node/node-http.js";
import type { BaseRequest } from "../http/base-request.js";
import type { BaseResponse } from "../http/base-response.js";
import { CollectingResponse } from "../http/collecting-response.js";

/**
 * `Session.getSession(req, res)` and friends accept the app's own request objects, as the SDK does.
 * The kind is recognised from the object itself, not from the `framework` setting, so a Fetch
 * `Request` is never read as a Node request (whose cookies it would silently lack).
 */
export function toBaseRequest(req: unknown): BaseRequest {
  if (isWrapped(req)) return req as BaseRequest;
  if (isFetchRequest(req)) return new FetchRequest(req);
  // The path is not read when verifying a session, so the stage prefix (apiGatewayPath) does not matter here.
  if (isLambdaEvent(req)) return new LambdaRequest(req, "");
  const fromFramework = (req as { raw?: unknown; req?: unknown } | undefined) ?? {};
  // Fastify's request and Koa's context carry Node's IncomingMessage as `raw` / `req`.
  if (isNodeRequest(fromFramework.raw)) return new NodeRequest(fromFramework.raw as never);
  if (isNodeRequest(fromFramework.req)) return new NodeRequest(fromFramework.req as never);
  if (isNodeRequest(req)) return new NodeRequest(req as never);
  throw new Error("Unsupported request object: pass a Node/Express request, a Fetch Request, or a BaseRequest");
}

/** Fetch-style callers have no response object: what the session writes is then collected and dropped. */
export function toBaseResponse(res: unknown): BaseResponse {
  if (isWrapped(res)) return res as BaseResponse;
  // Inside middleware()/verifySession(), writes join that invocation's result; elsewhere they are dropped.
  if (isLambdaEvent(res)) return attachedResponse(res) ?? new CollectingResponse();
  const fromFramework = (res as { raw?: unknown; res?: unknown } | undefined) ?? {};
  if (isNodeResponse(fromFramework.raw)) return new NodeResponse(fromFramework.raw as never);
  if (isNodeResponse(fromFramework.res)) return new NodeResponse(fromFramework.res as never);
  if (isNodeResponse(res)) return new NodeResponse(res as never);
  return new CollectingResponse();
}

function isWrapped(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { wrapperUsed?: unknown }).wrapperUsed === true;
}

function isNodeRequest(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { headers?: unknown }).headers === "object" && typeof (value as { on?: unknown }).on === "function";
}

function isNodeResponse(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { setHeader?: unknown }).setHeader === "function" && typeof (value as { end?: unknown }).end === "function";
}
