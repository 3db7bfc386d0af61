import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { NextRequest, NextResponse } from "next/server.js";
import type { Auth } from "../../src/engine/create-auth.js";
import { middleware, verifySession, type SessionRequest } from "../../src/framework/express/index.js";
import { parseCookieHeader } from "../../src/http/cookies.js";
import { getAppDirRequestHandler, superTokensNextWrapper, withSession } from "../../src/nextjs/index.js";
import { CONFORMANCE_ROUTES, sessionSummary, type MountApp, type MountedApp } from "../../src/testing/conformance-app.js";

/**
 * Next.js as an app would write it, on node:http: the pages router's API routes (Next's req/res are
 * Node's, with a few helpers added) and the app router's route handlers (NextRequest in, Response
 * out). The real `next start` runs in examples/test/nextjs.test.ts; these serve the conformance kit.
 */

export type NextApiRequest = IncomingMessage & { query: Record<string, string>; cookies: Record<string, string> };
export type NextApiResponse = ServerResponse & { status(code: number): NextApiResponse; json(body: unknown): void };

/**
 * The part of Next's API resolver the routes use: `req.query`, `req.cookies`, `res.status()`,
 * `res.json()`. No body parsing: the auth route is declared with `bodyParser: false`, as the README
 * advises, so Portcullis reads the body with its own limit and error answers.
 */
export function asNextApi(req: IncomingMessage, res: ServerResponse): { req: NextApiRequest; res: NextApiResponse } {
  const apiReq = req as NextApiRequest;
  apiReq.query = Object.fromEntries(new URL(req.url ?? "/", "http://localhost").searchParams);
  apiReq.cookies = Object.fromEntries([...parseCookieHeader(req.headers.cookie)].map(([name, values]) => [name, values[0] ?? ""]));
  const apiRes = res as NextApiResponse;
  apiRes.status = (code) => {
    apiRes.statusCode = code;
    return apiRes;
  };
  apiRes.json = (body) => {
    apiRes.setHeader("Content-Type", "application/json; charset=utf-8");
    apiRes.end(JSON.stringify(body));
  };
  return { req: apiReq, res: apiRes };
}

export async function listen(server: Server): Promise<MountedApp> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `pages/api/auth/[[...path]].ts`, as in the SDK's guide. */
export function authApiRoute(auth: Auth) {
  return async (req: NextApiRequest, res: NextApiResponse): Promise<void> => {
    await superTokensNextWrapper(
      async (next) => {
        await middleware(auth)(req as never, res as never, next);
      },
      req,
      res,
      auth,
    );
    if (!res.writableEnded) res.status(404).json({ message: "Not found" });
  };
}

/** A protected `pages/api/...` route: the wrapper around verifySession, then the route's own code. */
function protectedApiRoute(auth: Auth, options: (typeof CONFORMANCE_ROUTES)[number]["options"]) {
  return async (req: NextApiRequest, res: NextApiResponse): Promise<void> => {
    await superTokensNextWrapper(
      async (next) => {
        await verifySession(options, auth)(req as never, res as never, next);
      },
      req,
      res,
      auth,
    );
    res.status(200).json(sessionSummary((req as unknown as SessionRequest).session));
  };
}

export const mountNextPages: MountApp = async (auth) => {
  const authRoute = authApiRoute(auth);
  const routes = CONFORMANCE_ROUTES.map((route) => ({ route, handle: protectedApiRoute(auth, route.options) }));
  return listen(
    createServer((rawReq, rawRes) => {
      const { req, res } = asNextApi(rawReq, rawRes);
      const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
      const match = routes.find(({ route }) => route.path === pathname && route.method === req.method?.toLowerCase());
      // Next's resolver catches what a route throws and answers 500 without the stack.
      const answerFailure = () => (res.headersSent ? res.end() : res.status(500).json({ message: "Internal Server Error" }));
      if (match !== undefined) void match.handle(req, res).catch(answerFailure);
      else if (pathname === "/auth" || pathname.startsWith("/auth/")) void authRoute(req, res).catch(answerFailure);
      else res.status(404).json({ message: "Not found" });
    }),
  );
};

/** What `next start` does for route handlers: Node's request as a NextRequest, the Response written back. */
export function serveRouteHandlers(app: (request: NextRequest) => Promise<Response>): Server {
  return createServer(routeHandlersListener(app));
}

export function routeHandlersListener(app: (request: NextRequest) => Promise<Response>): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const request = new NextRequest(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
        method: req.method ?? "GET",
        headers,
        ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: "half" } : {}),
      } as ConstructorParameters<typeof NextRequest>[1]);
      const response = await app(request).catch(() => NextResponse.json({ message: "Internal Server Error" }, { status: 500 }));
      const outgoing: [string, string][] = [];
      response.headers.forEach((value, key) => key !== "set-cookie" && outgoing.push([key, value]));
      for (const cookie of response.headers.getSetCookie()) outgoing.push(["set-cookie", cookie]);
      // A body the handler stopped reading (over the size limit) leaves the connection unusable.
      if (hasBody && !req.complete) outgoing.push(["connection", "close"]);
      res.writeHead(response.status, outgoing.flat());
      res.end(Buffer.from(await response.arrayBuffer()));
    })();
  };
}

/** `app/api/auth/[[...path]]/route.ts` plus one route handler per protected path, each with withSession. */
export const mountNextApp: MountApp = async (auth) => {
  const authHandler = getAppDirRequestHandler(auth);
  const routes = CONFORMANCE_ROUTES.map((route) => ({
    route,
    handle: (request: NextRequest) =>
      withSession(
        request,
        async (error, session) => (error !== undefined ? NextResponse.json({ message: error.message }, { status: 500 }) : NextResponse.json(sessionSummary(session))),
        route.options,
        undefined,
        auth,
      ),
  }));
  return listen(
    serveRouteHandlers(async (request) => {
      const pathname = request.nextUrl.pathname;
      const match = routes.find(({ route }) => route.path === pathname && route.method === request.method.toLowerCase());
      if (match !== undefined) return match.handle(request);
      if (pathname === "/auth" || pathname.startsWith("/auth/")) return authHandler(request);
      return NextResponse.json({ message: "Not found" }, { status: 404 });
    }),
  );
};
