import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { Hono } from "hono";
import { serve } from "@hono/node-server";
import type { Auth } from "../../src/engine/create-auth.js";
import { errorHandler, middleware, verifySession as expressVerifySession, type SessionRequest } from "../../src/framework/express/index.js";
import { handleAuthRequest, handler as fetchHandler, verifySession as fetchVerifySession } from "../../src/framework/fetch/index.js";
import { answerNodeError, createNodeHandler, verifyNodeSession } from "../../src/framework/node/index.js";
import { CONFORMANCE_ROUTES, sessionSummary, type MountApp, type MountedApp } from "../../src/testing/conformance-app.js";

/** The app side of the adapter kit, once per bridge: what a user of each framework would write. */

async function listen(server: Server): Promise<MountedApp> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const mountExpress: MountApp = async (auth) => {
  const app = express();
  app.use(express.json());
  app.use(middleware(auth));
  for (const route of CONFORMANCE_ROUTES) {
    app[route.method](route.path, expressVerifySession(route.options, auth), (req: SessionRequest, res) => {
      res.json(sessionSummary(req.session));
    });
  }
  app.use(errorHandler(auth));
  return listen(createServer(app));
};

export const mountNodeHttp: MountApp = async (auth) => {
  const serveAuth = createNodeHandler(auth);
  return listen(
    createServer(async (req, res) => {
      if (await serveAuth(req, res)) return;
      const route = CONFORMANCE_ROUTES.find((r) => r.method === req.method?.toLowerCase() && r.path === new URL(req.url ?? "/", "http://x").pathname);
      if (route === undefined) {
        res.writeHead(404).end();
        return;
      }
      const outcome = await verifyNodeSession(auth, route.options, req, res);
      if ("error" in outcome) {
        if (!(await answerNodeError(auth, outcome.error, req, res))) res.writeHead(500).end();
        return;
      }
      res.setHeader("content-type", "application/json").end(JSON.stringify(sessionSummary(outcome.session)));
    }),
  );
};

/** Hono on its own Node server: auth routes through the Fetch bridge, session checks through its verifySession. */
export const mountHono: MountApp = async (auth: Auth) => {
  const app = new Hono();
  for (const route of CONFORMANCE_ROUTES) {
    const protectedHandler = fetchVerifySession((_request, session) => Response.json(sessionSummary(session)), route.options, auth);
    app.on(route.method.toUpperCase(), route.path, (c) => protectedHandler(c.req.raw));
  }
  app.all("/auth/*", async (c) => (await handleAuthRequest(c.req.raw, auth)) ?? c.notFound());
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started as Server));
  });
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};

/** A bare `(Request) => Response` handler, called in-process: no server, as an edge runtime would. */
export const mountBareFetch: MountApp = async (auth) => {
  const authHandler = fetchHandler(auth);
  const protectedHandlers = CONFORMANCE_ROUTES.map((route) => ({
    route,
    handle: fetchVerifySession((_request, session) => Response.json(sessionSummary(session)), route.options, auth),
  }));
  const app = (request: Request): Promise<Response> => {
    const pathname = new URL(request.url).pathname;
    const match = protectedHandlers.find(({ route }) => route.path === pathname && route.method === request.method.toLowerCase());
    return match !== undefined ? match.handle(request) : authHandler(request);
  };
  return { baseUrl: "http://localhost", fetch: (url, init) => app(new Request(url, init)), close: async () => undefined };
};
