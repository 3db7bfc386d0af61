import type { IncomingMessage, ServerResponse } from "node:http";
import { createParamDecorator, Injectable, IntrinsicException, type CanActivate, type ExecutionContext } from "@nestjs/common";
import type { Auth } from "../engine/create-auth.js";
import { resolveAuth } from "../engine/default-instance.js";
import type { SessionContainerInterface, VerifySessionOptions } from "../recipes/session/types.js";
import { answerNodeError, verifyNodeSession } from "../framework/node/node-bridge.js";

type SessionRequest = IncomingMessage & { session?: SessionContainerInterface };

/**
 * Thrown by AuthGuard after it has answered 401/403 itself: it stops Nest before the controller.
 * An IntrinsicException is not logged by Nest's default filter, which sees the response is sent
 * and only ends it; AuthExceptionFilter ignores it. Filters of your own should do the same.
 */
export class SessionResponseSent extends IntrinsicException {
  constructor() {
    super("The session check has already answered this request");
    this.name = "SessionResponseSent";
  }
}

/**
 * `@UseGuards(new AuthGuard(options))`: verifySession for a Nest route (platform-express). The
 * session goes on `req.session` (read it with `@Session()`); a missing or invalid one is answered
 * with the SDK's 401/403 bodies and the controller does not run. Errors that are not ours go to
 * Nest's exception filters. `@UseGuards(AuthGuard)` (the class) verifies with the defaults.
 */
export class AuthGuard implements CanActivate {
  constructor(
    private readonly options?: VerifySessionOptions,
    private readonly instance?: Auth,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<SessionRequest>();
    const res = http.getResponse<ServerResponse>();
    const auth = resolveAuth(this.instance);
    const outcome = await verifyNodeSession(auth, this.options, req, res);
    if ("error" in outcome) {
      if (await answerNodeError(auth, outcome.error, req, res)) throw new SessionResponseSent();
      throw outcome.error;
    }
    req.session = outcome.session;
    return true;
  }
}
Injectable()(AuthGuard);

/** `@Session() session: SessionContainer`: the session AuthGuard put on the request. */
export const Session = createParamDecorator((_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<SessionRequest>().session);
