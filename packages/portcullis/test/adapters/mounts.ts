import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { Hono } from "hono";
import { serve } from "@hono/node-server";
import type { Auth } from "../../src/engine/create-auth.js";
import { errorHandler, middleware, verifySession as expressVerifySession, type SessionRequest } from "../../src/framework/express/index.js";
import { handler as fetchHandler, verifySession as fetchVerifySession } from "../../src/framework/fetch/index.js";
import { middleware as honoMiddleware, verifySession as honoVerifySession } from "../../src/framework/hono/index.js";
import { answerNodeError, createNodeHandler, verifyNodeSession } from "../../src/framework/node/index.js";
import {
  CollectingResponse,
  middleware as customMiddleware,
  PreParsedRequest,
  verifySession as customVerifySession,
} from "../../src/framework/custom/index.js";
import { parseCookieHeader } from "../../src/http/cookies.js";
import { MAX_BODY_BYTES } from "../../src/http/body.js";
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

/** Hono on its own Node server, as a Hono user would wire it: middleware() first, verifySession() on the routes. */
export const mountHono: MountApp = async (auth: Auth) => {
  const app = new Hono();
  app.use(honoMiddleware(auth));
  for (const route of CONFORMANCE_ROUTES) {
    app.on(route.method.toUpperCase(), route.path, honoVerifySession(route.options, auth), (c) => c.json(sessionSummary(c.get("session"))));
  }
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

/**
 * The SDK's custom framework as an app would use it: the app parses the request itself into a
 * PreParsedRequest, and copies the CollectingResponse onto whatever its server replies with.
 */
export const mountCustom: MountApp = async (auth) => {
  const serveAuth = customMiddleware<PreParsedRequest, CollectingResponse>(undefined, undefined, auth);
  return listen(
    createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks).toString("utf8");
      // With the custom framework the app owns body parsing, limits included.
      if (raw.length > MAX_BODY_BYTES) {
        res.writeHead(413, { "content-type": "application/json" }).end(JSON.stringify({ message: `Request body larger than ${MAX_BODY_BYTES} bytes` }));
        return;
      }
      const url = new URL(req.url ?? "/", "http://localhost");
      const headers = new Headers(Object.entries(req.headers).map(([key, value]) => [key, String(value)] as [string, string]));
      const request = new PreParsedRequest({
        url: `${url.pathname}${url.search}`,
        method: req.method ?? "GET",
        headers,
        cookies: Object.fromEntries([...parseCookieHeader(req.headers.cookie)].map(([name, values]) => [name, values[0] as string])),
        query: Object.fromEntries(url.searchParams),
        getJSONBody: async () => {
          const parsed = raw === "" ? {} : JSON.parse(raw);
          if (typeof parsed !== "object" || parsed === null) throw new SyntaxError("not an object");
          return parsed;
        },
        getFormBody: async () => Object.fromEntries(new URLSearchParams(raw)),
      });
      const collected = new CollectingResponse();
      const reply = async (response: Response) => {
        res.writeHead(response.status, [...response.headers.entries()].flatMap(([key, value]) => (key === "set-cookie" ? [] : [[key, value]])).concat(response.headers.getSetCookie().map((line) => ["set-cookie", line])) as never);
        res.end(Buffer.from(await response.arrayBuffer()));
      };
      const outcome = await serveAuth(request, collected);
      if (outcome.handled) return reply(collected.toFetchResponse());
      if (outcome.error !== undefined) return reply(Response.json({ message: "Internal server error" }, { status: 500 }));
      const route = CONFORMANCE_ROUTES.find((r) => r.method === request.getMethod() && r.path === url.pathname);
      if (route === undefined) return reply(new Response(null, { status: 404 }));
      const failure = await customVerifySession(route.options, auth)(request, collected);
      if (failure !== undefined || collected.body !== undefined) return reply(collected.toFetchResponse());
      return reply(collected.copyOnto(Response.json(sessionSummary(request.session))));
    }),
  );
};
