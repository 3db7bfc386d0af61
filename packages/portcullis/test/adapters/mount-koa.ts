import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Koa from "koa";
import KoaRouter from "koa-router";
import { middleware, verifySession, type SessionContext } from "../../src/framework/koa/index.js";
import { CONFORMANCE_ROUTES, sessionSummary, type MountApp } from "../../src/testing/conformance-app.js";

/** Koa 3 with koa-router, as a Koa user would wire it: middleware() first, then the routes. */
export const mountKoa: MountApp = async (auth) => {
  const app = new Koa();
  const router = new KoaRouter();
  app.use(middleware(auth));
  for (const route of CONFORMANCE_ROUTES) {
    router[route.method](route.path, verifySession(route.options, auth), (ctx: SessionContext) => {
      ctx.body = sessionSummary(ctx.session);
    });
  }
  app.use(router.routes());
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
