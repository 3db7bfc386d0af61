import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Auth } from "../../engine/create-auth.js";
import { resolveAuth } from "../../engine/default-instance.js";
import type { SessionContainerInterface, VerifySessionOptions } from "../../recipes/session/types.js";
import { NodeRequest } from "../node/node-http.js";
import { FastifyResponse } from "./fastify-response.js";

/** Fastify on the Node bridge, writing through the reply. */
export interface SessionRequest extends FastifyRequest {
  session?: SessionContainerInterface;
}

export interface PluginOptions {
  /** The instance to serve; default: the one `supertokens.init` made. */
  auth?: Auth;
}

/**
 * Reads the raw request, as every Node bridge does: the auth routes are answered in `onRequest`,
 * before Fastify's content-type parsers, so bodies get the same limits and 400/413 messages as on
 * any other framework, and form posts need no @fastify/formbody.
 */
export function wrapRequest(request: FastifyRequest): NodeRequest {
  const wrapped = new NodeRequest(request.raw);
  wrapped.original = request;
  return wrapped;
}

export const wrapResponse = (reply: FastifyReply): FastifyResponse => new FastifyResponse(reply);

/** `fastify.register(plugin)`: serves the auth routes app-wide; other requests go on to your routes. */
export const plugin = Object.assign(
  async function portcullis(fastify: FastifyInstance, options: PluginOptions): Promise<void> {
    fastify.addHook("onRequest", async (request, reply) => {
      const auth = resolveAuth(options.auth);
      const req = wrapRequest(request);
      const res = wrapResponse(reply);
      try {
        if (await auth.middleware(req, res)) return reply;
      } catch (error) {
        if (await auth.errorHandler(error, req, res)) return reply;
        throw error;
      }
      return undefined;
    });
  },
  // What fastify-plugin does: without it the hook would only cover routes registered inside the plugin.
  { [Symbol.for("skip-override")]: true },
);

/** For `fastify.setErrorHandler`: answers session errors raised in your routes (401/403 bodies the frontends expect). */
export function errorHandler(instance?: Auth): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (error, request, reply) => {
    if (await resolveAuth(instance).errorHandler(error, wrapRequest(request), wrapResponse(reply))) return reply;
    // Rethrown, it reaches Fastify's default handler.
    throw error;
  };
}

/** A `preHandler`: puts the verified session on `req.session`, or answers 401/403 as the SDK does. */
export function verifySession(options?: VerifySessionOptions, instance?: Auth): (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> {
  return async (request, reply) => {
    const auth = resolveAuth(instance);
    const req = wrapRequest(request);
    const res = wrapResponse(reply);
    try {
      (request as SessionRequest).session = (await auth.verifySession(options, req, res)) as SessionContainerInterface | undefined;
    } catch (error) {
      if (await auth.errorHandler(error, req, res)) return reply;
      throw error;
    }
    return undefined;
  };
}
