import type { Lifecycle, Plugin, Request, ResponseObject } from "@hapi/hapi";
import type { Auth } from "../../engine/create-auth.js";
import { resolveAuth } from "../../engine/default-instance.js";
import { CollectingResponse } from "../../http/collecting-response.js";
import { serializeCookie } from "../../http/cookies.js";
import type { SessionContainerInterface, VerifySessionOptions } from "../../recipes/session/types.js";
import { NodeRequest } from "../node/node-http.js";

/**
 * Hapi 21 over the Node bridge's request (Portcullis reads the raw request itself); what Portcullis
 * writes is collected and handed to Hapi as (or put on) its response, so Hapi's CORS and other
 * extensions still apply.
 */
export interface SessionRequest extends Request {
  session?: SessionContainerInterface;
}

/**
 * Headers and cookies Portcullis wrote for this request (auth route, verifySession, session
 * methods in the handler), kept on the request so onPreResponse puts them on whatever Hapi sends.
 */
function collectorOf(request: Request): CollectingResponse {
  const plugins = request.plugins as Record<string, unknown>;
  plugins["portcullis"] ??= new CollectingResponse();
  return plugins["portcullis"] as CollectingResponse;
}

/**
 * `await server.register(plugin)` after `supertokens.init`: a catch-all route under apiBasePath
 * answers the auth routes (Hapi's own routes win on a more specific path), and onPreResponse turns
 * session errors thrown anywhere into the 401/403 bodies the frontends expect.
 */
export const plugin: Plugin<{ auth?: Auth }> = {
  name: "portcullis",
  register(server, options) {
    const auth = resolveAuth(options.auth);
    server.route({
      method: "*",
      path: `${routePathUnderPrefix(auth.engine.appInfo.apiBasePath, server.realm.modifiers.route.prefix)}/{portcullisPath*}`,
      // The raw body is left unread for Portcullis, which parses it with its own size limit and messages.
      options: { payload: { parse: false, output: "stream" } },
      handler: async (request, h) => {
        const collected = collectorOf(request);
        if (!(await auth.middleware(new NodeRequest(request.raw.req), collected))) {
          return h.response({ statusCode: 404, error: "Not Found", message: "Not Found" }).code(404);
        }
        return h.response(collected.body).code(collected.statusCode);
      },
    });
    server.ext("onPreResponse", async (request, h) => {
      const collected = collectorOf(request);
      const response = request.response;
      if (!("isBoom" in response && response.isBoom)) {
        copyHeaders(collected, response as ResponseObject);
        return h.continue;
      }
      if (!(await auth.errorHandler(response, new NodeRequest(request.raw.req), collected))) return h.continue;
      // A response returned here does not pass through onPreResponse again: it gets its headers now.
      return copyHeaders(collected, h.response(collected.body).code(collected.statusCode));
    });
  },
};

/**
 * Hapi puts a registration's route prefix (`register(plugin, { routes: { prefix } })`) in front of
 * our route, while the engine matches the whole path against apiBasePath: the prefix must be the
 * start of apiBasePath, and the route gets the rest.
 */
function routePathUnderPrefix(apiBasePath: string, prefix: string | undefined): string {
  if (prefix === undefined || prefix === "") return apiBasePath;
  if (apiBasePath.startsWith(`${prefix}/`)) return apiBasePath.slice(prefix.length);
  throw new Error(`portcullis: the Hapi route prefix "${prefix}" must be the start of appInfo.apiBasePath ("${apiBasePath}"), e.g. apiBasePath "${prefix}/auth"`);
}

/** For `options.pre`: puts the verified session on `request.session`; session errors go to onPreResponse. */
export function verifySession(options?: VerifySessionOptions, instance?: Auth): Lifecycle.Method {
  return async (request: SessionRequest, h) => {
    const auth = resolveAuth(instance);
    request.session = (await auth.verifySession(options, new NodeRequest(request.raw.req), collectorOf(request))) as SessionContainerInterface | undefined;
    return h.continue;
  };
}

/** Copies collected headers and cookies onto a Hapi response; each cookie its own Set-Cookie line. */
function copyHeaders(collected: CollectingResponse, response: ResponseObject): ResponseObject {
  collected.headers.forEach((value, key) => {
    // Hapi's CORS support may have listed its own exposed headers: ours are added to the list.
    response.header(key, value, { append: key === "access-control-expose-headers", separator: ", " });
  });
  for (const cookie of collected.cookies) response.header("set-cookie", serializeCookie(cookie.key, cookie.value, cookie), { append: true });
  return response;
}
