import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Callback, Context, Handler } from "aws-lambda";
import type { Auth } from "../../engine/create-auth.js";
import { resolveAuth } from "../../engine/default-instance.js";
import { CollectingResponse } from "../../http/collecting-response.js";
import { serializeCookie } from "../../http/cookies.js";
import type { SessionContainerInterface, VerifySessionOptions } from "../../recipes/session/types.js";
import { attachResponse, isV2Event, LambdaRequest, type LambdaEvent } from "./lambda-request.js";

/**
 * AWS Lambda and Netlify functions: API Gateway REST (v1) and HTTP API (v2) events in, proxy
 * results out. The engine writes into a CollectingResponse, which becomes (or is merged into) the
 * result: v1 sends several Set-Cookie in `multiValueHeaders`, v2 in `cookies`.
 */
export interface SessionEvent extends APIGatewayProxyEvent {
  session?: SessionContainerInterface;
}

export interface SessionEventV2 extends APIGatewayProxyEventV2 {
  session?: SessionContainerInterface;
}

/** A proxy result as handlers write it; `statusCode` may be a string, as in the SDK's guides. */
interface ProxyResult {
  statusCode?: number | string;
  headers?: Record<string, string | number | boolean>;
  multiValueHeaders?: Record<string, (string | number | boolean)[]>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types these handlers as Handler<any, any>
type AnyHandler = Handler<any, any>;

/** Answers the auth routes; any other request goes to `handler` (or gets a JSON 404). */
export function middleware(handler?: AnyHandler, instance?: Auth): Handler<LambdaEvent, ProxyResult> {
  return async (event, context, callback) => {
    const auth = resolveAuth(instance);
    const req = new LambdaRequest(event, auth.engine.appInfo.apiGatewayPath);
    const res = new CollectingResponse();
    attachResponse(event, res);
    try {
      if (await auth.middleware(req, res)) return toResult(event, res, undefined);
      if (handler === undefined) return toResult(event, res, { statusCode: 404, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ message: "Not found" }) });
      return toResult(event, res, await handler(event, context, callback));
    } catch (error) {
      return answerError(auth, error, event, req, res);
    }
  };
}

/** `portcullis/recipe/session/framework/awsLambda`: runs `handler` with `event.session` set, or answers 401/403. */
export function verifySession(handler: AnyHandler, options?: VerifySessionOptions, instance?: Auth): Handler<LambdaEvent, ProxyResult> {
  return async (event, context: Context, callback: Callback) => {
    const auth = resolveAuth(instance);
    const req = new LambdaRequest(event, auth.engine.appInfo.apiGatewayPath);
    const res = new CollectingResponse();
    attachResponse(event, res);
    try {
      (event as SessionEvent).session = (await auth.verifySession(options, req, res)) as SessionContainerInterface | undefined;
      return toResult(event, res, await handler(event, context, callback));
    } catch (error) {
      return answerError(auth, error, event, req, res);
    }
  };
}

/**
 * Session errors (also those a handler raises, e.g. from getSession) get their FDI answer; others
 * propagate, so Lambda logs them and API Gateway answers a bare 502, never a stack.
 */
async function answerError(auth: Auth, error: unknown, event: LambdaEvent, req: LambdaRequest, res: CollectingResponse): Promise<ProxyResult> {
  if (await auth.errorHandler(error, req, res)) return toResult(event, res, undefined);
  throw error;
}

/**
 * The app's result (or, when undefined, the engine's own answer) plus the headers and cookies the
 * engine set. v2 accepts a bare value as a 200 JSON body, so that shape is normalised first.
 */
function toResult(event: LambdaEvent, res: CollectingResponse, appResult: unknown): ProxyResult {
  const result: ProxyResult =
    appResult === undefined
      ? { statusCode: res.statusCode, headers: {}, body: res.body ?? "" }
      : isStructured(appResult)
        ? { ...appResult, headers: { ...appResult.headers } }
        : { statusCode: 200, headers: { "Content-Type": "application/json" }, body: typeof appResult === "string" ? appResult : JSON.stringify(appResult) };
  result.statusCode = Number(result.statusCode ?? 200);
  const headers = result.headers ?? {};
  res.headers.forEach((value, key) => {
    const existing = Object.keys(headers).find((name) => name.toLowerCase() === key);
    if (existing !== undefined && appResult !== undefined && key === "content-type") return;
    if (existing !== undefined && key === "access-control-expose-headers") headers[existing] = `${String(headers[existing])}, ${value}`;
    else headers[existing ?? key] = value;
  });
  result.headers = headers;
  const setCookies = res.cookies.map((cookie) => serializeCookie(cookie.key, cookie.value, cookie));
  if (setCookies.length === 0) return result;
  if (isV2Event(event)) return { ...result, cookies: [...(result.cookies ?? []), ...setCookies] };
  const multi = { ...result.multiValueHeaders };
  const key = Object.keys(multi).find((name) => name.toLowerCase() === "set-cookie") ?? "Set-Cookie";
  multi[key] = [...(multi[key] ?? []), ...setCookies];
  return { ...result, multiValueHeaders: multi };
}

function isStructured(value: unknown): value is ProxyResult {
  return typeof value === "object" && value !== null && "statusCode" in value;
}

export { LambdaRequest, type LambdaEvent } from "./lambda-request.js";
export { CollectingResponse } from "../../http/collecting-response.js";
export const wrapRequest = (event: LambdaEvent, instance?: Auth): LambdaRequest => new LambdaRequest(event, resolveAuth(instance).engine.appInfo.apiGatewayPath);
export const wrapResponse = (): CollectingResponse => new CollectingResponse();
