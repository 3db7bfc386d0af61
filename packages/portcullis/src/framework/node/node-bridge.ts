import type { IncomingMessage, ServerResponse } from "node:http";
import type { Auth } from "../../engine/create-auth.js";
import { resolveAuth } from "../../engine/default-instance.js";
import { sendJSONError } from "../../engine/http-errors.js";
import type { SessionContainerInterface, VerifySessionOptions } from "../../recipes/session/types.js";
import { NodeRequest, NodeResponse } from "./node-http.js";

/**
 * The bridge every Node-server framework (Express, Fastify, Koa, Hapi, Loopback, NestJS) goes
 * through: their req/res are Node's IncomingMessage/ServerResponse underneath, so an adapter only
 * hands those over and decides what "next" means for its framework.
 */
export type NodeOutcome = { handled: boolean } | { handled: false; error: unknown };

/** Serves an auth route, answering Portcullis errors; an error that is not ours comes back unanswered. */
export async function serveNode(auth: Auth, req: IncomingMessage, res: ServerResponse): Promise<NodeOutcome> {
  const request = new NodeRequest(req);
  const response = new NodeResponse(res);
  try {
    return { handled: await auth.middleware(request, response) };
  } catch (error) {
    return (await answerNodeError(auth, error, req, res)) ? { handled: true } : { handled: false, error };
  }
}

/** Answers Portcullis errors (401/403 session bodies, 400 bad input); false for anything else. */
export async function answerNodeError(auth: Auth, error: unknown, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  return auth.errorHandler(error, new NodeRequest(req), new NodeResponse(res));
}

/** The verified session, or the error to answer with `answerNodeError` (or to pass on). */
export async function verifyNodeSession(
  auth: Auth,
  options: VerifySessionOptions | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<{ session: SessionContainerInterface | undefined } | { error: unknown }> {
  try {
    return { session: (await auth.verifySession(options, new NodeRequest(req), new NodeResponse(res))) as SessionContainerInterface | undefined };
  } catch (error) {
    return { error };
  }
}

/**
 * A plain `node:http` request listener (or a piece of one): answers auth routes and returns true;
 * returns false for other paths so the app goes on. Unknown errors get a bare 500, never a stack.
 */
export function createNodeHandler(instance?: Auth): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const auth = resolveAuth(instance);
    const outcome = await serveNode(auth, req, res);
    if (!("error" in outcome)) return outcome.handled;
    auth.engine.log.error("Unexpected error while answering an auth request", outcome.error);
    sendJSONError(new NodeResponse(res), 500, "Internal server error");
    return true;
  };
}
