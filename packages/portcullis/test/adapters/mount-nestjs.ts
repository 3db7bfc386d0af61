import "reflect-metadata";
import type { AddressInfo } from "node:net";
import { Controller, Get, HttpCode, Module, Post, UseGuards } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import type { NestExpressApplication } from "@nestjs/platform-express";
import type { Auth } from "../../src/engine/create-auth.js";
import { AuthGuard, AuthModule, middleware, Session } from "../../src/nestjs/index.js";
import type { SessionContainerInterface } from "../../src/recipes/session/types.js";
import { CONFORMANCE_ROUTES, sessionSummary, type MountApp } from "../../src/testing/conformance-app.js";

/** The guard a conformance route asks for (its verifySession options), on this instance. */
function guardFor(auth: Auth, method: "get" | "post", path: string): AuthGuard {
  const route = CONFORMANCE_ROUTES.find((r) => r.method === method && r.path === path);
  if (route === undefined) throw new Error(`${method} ${path} is not a conformance route`);
  return new AuthGuard(route.options, auth);
}

/**
 * A Nest 11 app on platform-express as the guide wires it: the auth routes through `app.use`
 * (ahead of Nest's body parser), AuthModule for session errors, one guarded controller method per
 * conformance route.
 */
export const mountNestjs: MountApp = async (auth) => {
  @Controller()
  class ConformanceController {
    @Get("protected")
    @UseGuards(guardFor(auth, "get", "/protected"))
    getProtected(@Session() session: SessionContainerInterface) {
      return sessionSummary(session);
    }

    @Post("protected")
    @HttpCode(200)
    @UseGuards(guardFor(auth, "post", "/protected"))
    postProtected(@Session() session: SessionContainerInterface) {
      return sessionSummary(session);
    }

    @Get("protected-db")
    @UseGuards(guardFor(auth, "get", "/protected-db"))
    getProtectedDb(@Session() session: SessionContainerInterface) {
      return sessionSummary(session);
    }

    @Get("optional")
    @UseGuards(guardFor(auth, "get", "/optional"))
    getOptional(@Session() session: SessionContainerInterface | undefined) {
      return sessionSummary(session);
    }

    @Get("admin-only")
    @UseGuards(guardFor(auth, "get", "/admin-only"))
    getAdminOnly(@Session() session: SessionContainerInterface) {
      return sessionSummary(session);
    }
  }

  @Module({ imports: [AuthModule.forRoot(auth)], controllers: [ConformanceController] })
  class ConformanceModule {}

  const app = await NestFactory.create<NestExpressApplication>(ConformanceModule, { logger: false });
  app.use(middleware(auth));
  await app.listen(0, "127.0.0.1");
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
};
