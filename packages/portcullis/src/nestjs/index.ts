import type { ServerResponse } from "node:http";
import { Catch, Module, type ArgumentsHost, type DynamicModule, type HttpServer } from "@nestjs/common";
import { APP_FILTER, BaseExceptionFilter, HttpAdapterHost } from "@nestjs/core";
import type { Auth } from "../engine/create-auth.js";
import { resolveAuth } from "../engine/default-instance.js";
import { answerNodeError } from "../framework/node/node-bridge.js";
import { SessionResponseSent } from "./auth-guard.js";

export { AuthGuard, Session, SessionResponseSent } from "./auth-guard.js";
/** The auth routes: `app.use(middleware())` in main.ts, so they run before Nest's body parser. */
export { middleware, type SessionRequest } from "../framework/express/index.js";
export type { VerifySessionOptions } from "../recipes/session/types.js";

/**
 * Answers session errors thrown in controllers or services (Session.getSession, claim checks) with
 * the SDK's 401/403 bodies; everything else goes to Nest's own handling (BaseExceptionFilter).
 */
export class AuthExceptionFilter extends BaseExceptionFilter {
  constructor(
    applicationRef?: HttpServer,
    private readonly instance?: Auth,
  ) {
    super(applicationRef);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (exception instanceof SessionResponseSent) return;
    if (host.getType() !== "http") return super.catch(exception, host);
    void this.answer(exception, host);
  }

  private async answer(exception: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const res = http.getResponse<ServerResponse>();
    try {
      if (await answerNodeError(resolveAuth(this.instance), exception, http.getRequest(), res)) return;
    } catch (handlerError) {
      return super.catch(handlerError, host);
    }
    super.catch(exception, host);
  }
}
Catch()(AuthExceptionFilter);

/** `imports: [AuthModule.forRoot()]`: installs AuthExceptionFilter for the whole app. */
export class AuthModule {
  static forRoot(instance?: Auth): DynamicModule {
    return {
      module: AuthModule,
      providers: [
        {
          provide: APP_FILTER,
          useFactory: (adapterHost: HttpAdapterHost) => new AuthExceptionFilter(adapterHost.httpAdapter, instance),
          inject: [HttpAdapterHost],
        },
      ],
    };
  }
}
Module({})(AuthModule);
