/**
 * What portcullis/nextjs does beyond the shared conformance kit: superTokensNextWrapper's promise
 * (never settles once the request was answered, so the protected part of a route never runs for a
 * refused caller, and is then garbage collected), withSession's error and header hand-over,
 * withPreParsedRequestResponse, the app router's 404, and getSSRSession's local verification.
 */
import { createServer } from "node:http";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { setTimeout as sleep } from "node:timers/promises";
import { NextRequest, NextResponse } from "next/server.js";
import { afterEach, describe, expect, it } from "vitest";
import type { Auth } from "../../src/engine/create-auth.js";
import { verifySession, type SessionRequest } from "../../src/framework/express/index.js";
import { NodeRequest, NodeResponse } from "../../src/framework/node/index.js";
import { getAppDirRequestHandler, getSSRSession, superTokensNextWrapper, withPreParsedRequestResponse, withSession } from "../../src/nextjs/index.js";
import { BooleanClaim } from "../../src/recipes/session/claims/boolean-claim.js";
import type { SessionContainerInterface, VerifySessionOptions } from "../../src/recipes/session/types.js";
import { credentials, databaseVariants, startConformanceApp, type MountApp, type TestApp, type TestDatabase } from "../../src/testing/index.js";
import { asNextApi, authApiRoute, listen, routeHandlersListener } from "./mount-nextjs.js";

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

const admins = new Set<string>();
const IsAdmin = new BooleanClaim({ key: "is-admin", fetchValue: (userId) => admins.has(userId) });
const adminOnly: VerifySessionOptions = { overrideGlobalClaimValidators: (globals) => [...globals, IsAdmin.validators.isTrue()] };

/** What the pages routes saw: how often the protected part ran, and every wrapper promise made. */
const pages = { routeRan: 0, settled: 0, wrappers: [] as WeakRef<Promise<unknown>>[], rejections: [] as unknown[] };
let withSessionErrors: (Error | undefined)[] = [];

const mountBehaviour: MountApp = async (auth: Auth) => {
  const authRoute = authApiRoute(auth);
  const appRoutes = routeHandlersListener(async (request) => appRoute(auth, request));
  return listen(
    createServer((rawReq, rawRes) => {
      const path = new URL(rawReq.url ?? "/", "http://localhost").pathname;
      if (path.startsWith("/app/")) return appRoutes(rawReq, rawRes);
      const { req, res } = asNextApi(rawReq, rawRes);
      const failed = (error: unknown) => {
        pages.rejections.push(error);
        res.status(500).json({ message: "Internal Server Error" });
      };
      if (path.startsWith("/auth/")) return void authRoute(req, res).catch(failed);
      if (path === "/pages/admin-only") {
        return void (async () => {
          const wrapped = superTokensNextWrapper(
            async (next) => {
              await verifySession(adminOnly, auth)(req as never, res as never, next);
            },
            req,
            res,
            auth,
          );
          pages.wrappers.push(new WeakRef(wrapped));
          wrapped.then(() => pages.settled++, () => pages.settled++);
          await wrapped;
          // The protected part: with the seed, Passwordless.signInUp for the invitee.
          pages.routeRan++;
          res.status(200).json({ userId: (req as unknown as SessionRequest).session?.getUserId() });
        })().catch(failed);
      }
      if (path === "/pages/get-session") {
        // The SDK's other idiom: the wrapper around Session.getSession, resolving with its result.
        return void (async () => {
          const session = (await superTokensNextWrapper(async () => auth.verifySession(undefined, new NodeRequest(req), new NodeResponse(res)), req, res, auth)) as
            | SessionContainerInterface
            | undefined;
          res.status(200).json({ userId: session?.getUserId() });
        })().catch(failed);
      }
      if (path === "/pages/boom") {
        return void (async () => {
          await superTokensNextWrapper(async (next) => next(new Error("not a session error")), req, res, auth);
          res.status(200).json({ reached: true });
        })().catch(failed);
      }
      res.status(404).json({ message: "Not found" });
    }),
  );
};

async function appRoute(auth: Auth, request: NextRequest): Promise<Response> {
  const path = request.nextUrl.pathname;
  const recordingHandler = (status: number) => async (error: Error | undefined, session: SessionContainerInterface | undefined) => {
    withSessionErrors.push(error);
    if (error !== undefined) return NextResponse.json({ message: error.message }, { status: 503 });
    return NextResponse.json({ userId: session?.getUserId() }, { status });
  };
  if (path === "/app/admin-only") return withSession(request, recordingHandler(201), adminOnly, undefined, auth);
  if (path === "/app/broken-validators") {
    const broken: VerifySessionOptions = {
      overrideGlobalClaimValidators: () => {
        throw new Error("validators unavailable");
      },
    };
    return withSession(request, recordingHandler(200), broken, undefined, auth);
  }
  if (path === "/app/pre-parsed") {
    return withPreParsedRequestResponse(request, async (baseRequest, baseResponse) => {
      const ownCache = request.nextUrl.searchParams.get("cache");
      if (request.nextUrl.searchParams.has("write")) {
        baseResponse.setCookie("flavour", "oat", undefined, false, true, Date.now() + 60_000, "/", "lax");
        baseResponse.setHeader("x-collected", "yes", false);
      }
      const headers: Record<string, string> = ownCache !== null ? { "cache-control": ownCache } : {};
      return NextResponse.json({ sawCookie: baseRequest.getCookieValue("greeting") ?? null }, { headers });
    });
  }
  return NextResponse.json({ message: "Not found" }, { status: 404 });
}

describe.each((await databaseVariants()).map((make) => [make().name, make] as const))("nextjs adapter on %s", (_name, makeDatabase) => {
  let app: TestApp | undefined;
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await app?.close();
    await database?.cleanup();
    app = undefined;
    database = undefined;
  });
  const start = async () => {
    database = makeDatabase();
    app = await startConformanceApp(mountBehaviour, { database: database.url });
    return app;
  };
  let counter = 0;
  const signUp = async (running: TestApp) => {
    const response = await running.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials(`next${++counter}-${Date.now()}@example.com`, "password123"));
    expect(response.body.status).toBe("OK");
    return {
      userId: response.body.user.id as string,
      accessToken: response.headers.get("st-access-token") as string,
      refreshToken: response.headers.get("st-refresh-token") as string,
    };
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  describe("superTokensNextWrapper (pages router)", () => {
    it("never resolves once verifySession answered 401/403, so the protected part never runs", async () => {
      const running = await start();
      pages.routeRan = 0;
      pages.settled = 0;
      const anonymous = await running.client().post("/pages/admin-only");
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({ message: "unauthorised" });
      const member = await signUp(running);
      const refused = await running.client().post("/pages/admin-only", {}, bearer(member.accessToken));
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ message: "invalid claim", claimValidationErrors: [{ id: "is-admin" }] });
      await sleep(50);
      expect(pages.routeRan).toBe(0);
      expect(pages.settled).toBe(0);

      const admin = await signUp(running);
      admins.add(admin.userId);
      const allowed = await running.client().post("/pages/admin-only", {}, bearer(admin.accessToken));
      expect(allowed.status).toBe(200);
      expect(allowed.body).toEqual({ userId: admin.userId });
      expect(pages.routeRan).toBe(1);
    });

    it("leaves nothing behind: the promises that never settle are garbage collected", async () => {
      const running = await start();
      pages.wrappers = [];
      pages.settled = 0;
      const member = await signUp(running);
      for (let i = 0; i < 20; i++) expect((await running.client().post("/pages/admin-only", {}, bearer(member.accessToken))).status).toBe(403);
      expect(pages.wrappers).toHaveLength(20);
      let alive = pages.wrappers.length;
      for (let round = 0; round < 50 && alive > 0; round++) {
        await sleep(20);
        collectGarbage();
        alive = pages.wrappers.filter((ref) => ref.deref() !== undefined).length;
      }
      expect(alive).toBe(0);
      expect(pages.settled).toBe(0);
    });

    it("resolves with the wrapped function's result (Session.getSession), and answers its session errors", async () => {
      const running = await start();
      const user = await signUp(running);
      expect((await running.client().get("/pages/get-session", bearer(user.accessToken))).body).toEqual({ userId: user.userId });
      const anonymous = await running.client().get("/pages/get-session");
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({ message: "unauthorised" });
    });

    it("rejects with an error that is not ours, for Next's own error path", async () => {
      const running = await start();
      pages.rejections = [];
      const response = await running.client().get("/pages/boom");
      expect(response.status).toBe(500);
      expect(response.body).toEqual({ message: "Internal Server Error" });
      expect(pages.rejections).toEqual([new Error("not a session error")]);
    });

    it("serves the auth routes and leaves other /auth paths to the route's 404", async () => {
      const running = await start();
      expect((await running.client().get("/auth/nothing-here")).status).toBe(404);
      const badJson = await running.client().request("POST", "/auth/signin", { rawBody: "{", headers: { "content-type": "application/json" } });
      expect(badJson.status).toBe(400);
      expect(badJson.body).toEqual({ message: "Request body is not valid JSON" });
    });
  });

  describe("withSession and withPreParsedRequestResponse (app router)", () => {
    it("answers session errors itself with the FDI bodies; the handler runs only with a session", async () => {
      const running = await start();
      withSessionErrors = [];
      const anonymous = await running.client().get("/app/admin-only");
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({ message: "unauthorised" });
      const member = await signUp(running);
      const refused = await running.client().get("/app/admin-only", bearer(member.accessToken));
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ message: "invalid claim", claimValidationErrors: [{ id: "is-admin", reason: { message: "wrong value" } }] });
      expect(withSessionErrors).toEqual([]);
    });

    it("adds what verification wrote (a token carrying the refetched claim) to the handler's Response", async () => {
      const running = await start();
      const admin = await signUp(running);
      admins.add(admin.userId);
      const response = await running.client().get("/app/admin-only", bearer(admin.accessToken));
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ userId: admin.userId });
      const newToken = response.headers.get("st-access-token");
      expect(newToken).toBeTruthy();
      expect(newToken).not.toBe(admin.accessToken);
      expect(response.headers.get("front-token")).toBeTruthy();
      expect(response.headers.get("cache-control")).toBe("no-cache, no-store, max-age=0, must-revalidate");
      // The claim is now in the token: the next call writes nothing.
      const again = await running.client().get("/app/admin-only", bearer(newToken as string));
      expect(again.status).toBe(201);
      expect(again.headers.get("st-access-token")).toBeNull();
      expect(again.headers.get("cache-control")).toBeNull();
    });

    it("hands other verification errors to the handler as its first argument", async () => {
      const running = await start();
      withSessionErrors = [];
      const user = await signUp(running);
      const response = await running.client().get("/app/broken-validators", bearer(user.accessToken));
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ message: "validators unavailable" });
      expect(withSessionErrors).toEqual([new Error("validators unavailable")]);
    });

    it("copies collected cookies and headers onto the Response, with no-cache unless the handler chose", async () => {
      const running = await start();
      const written = await running.client().get("/app/pre-parsed?write", { cookie: "greeting=hello" });
      expect(written.body).toEqual({ sawCookie: "hello" });
      expect(written.headers.getSetCookie()).toEqual([expect.stringMatching(/^flavour=oat; .*HttpOnly/)]);
      expect(written.headers.get("x-collected")).toBe("yes");
      expect(written.headers.get("content-type")).toMatch(/^application\/json/);
      expect(written.headers.get("cache-control")).toBe("no-cache, no-store, max-age=0, must-revalidate");
      expect((await running.client().get("/app/pre-parsed?write&cache=private")).headers.get("cache-control")).toBe("private");
      const untouched = await running.client().get("/app/pre-parsed");
      expect(untouched.headers.get("cache-control")).toBeNull();
      expect(untouched.headers.getSetCookie()).toEqual([]);
    });

    it("getAppDirRequestHandler answers other paths with a JSON 404, whatever Next passes second", async () => {
      const running = await start();
      const handle = getAppDirRequestHandler(running.auth) as (request: Request, context: unknown) => Promise<Response>;
      const response = await handle(new NextRequest("http://localhost/api/elsewhere"), { params: Promise.resolve({ path: ["elsewhere"] }) });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: "Not found" });
    });
  });

  describe("getSSRSession", () => {
    const accessCookie = (value: string) => [{ name: "other", value: "x" }, { name: "sAccessToken", value }];

    it("verifies the access token cookie and returns its payload; no cookie means no token", async () => {
      const running = await start();
      const user = await signUp(running);
      const ssr = await getSSRSession(accessCookie(user.accessToken), running.auth);
      expect(ssr).toMatchObject({ hasToken: true, error: undefined, accessTokenPayload: { sub: user.userId, tId: "public" } });
      const fromStore = await getSSRSession({ getAll: () => accessCookie(user.accessToken) }, running.auth);
      expect(fromStore.accessTokenPayload?.sub).toBe(user.userId);
      expect(await getSSRSession([{ name: "other", value: "x" }], running.auth)).toEqual({ accessTokenPayload: undefined, hasToken: false, error: undefined });
    });

    it("reports an expired token as a token to refresh, and a forged or foreign one as an error", async () => {
      const running = await start();
      const user = await signUp(running);
      const [header, payload, signature] = user.accessToken.split(".") as [string, string, string];
      const forged = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), sub: "someone-else" })).toString("base64url")}.${signature}`;
      const forgedResult = await getSSRSession(accessCookie(forged), running.auth);
      expect(forgedResult).toMatchObject({ accessTokenPayload: undefined, hasToken: true });
      expect(forgedResult.error?.message).toMatch(/signature/);
      const foreignHeader = Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT", version: "5", kid: "d-1" })).toString("base64url");
      expect((await getSSRSession(accessCookie(`${foreignHeader}.${payload}.${signature}`), running.auth)).error?.message).toMatch(/No signing key/);
      expect((await getSSRSession(accessCookie("not-a-token"), running.auth)).error?.message).toMatch(/structure/);

      running.clock.advance(3600 * 1000);
      expect(await getSSRSession(accessCookie(user.accessToken), running.auth)).toEqual({ accessTokenPayload: undefined, hasToken: true, error: undefined });
    });

    it("never writes: the first use of a refreshed token is left for a real verification to confirm", async () => {
      const running = await start();
      const user = await signUp(running);
      const refreshed = await running.client({ rid: "session" }).post("/auth/session/refresh", {}, bearer(user.refreshToken));
      const childToken = refreshed.headers.get("st-access-token") as string;
      const handle = (await getSSRSession(accessCookie(childToken), running.auth)).accessTokenPayload?.sessionHandle as string;
      expect(handle).toBeTruthy();
      const before = await running.auth.engine.storage.sessions.get(handle);
      expect(before?.pendingRefreshTokenHash2).not.toBeNull();
      expect((await getSSRSession(accessCookie(childToken), running.auth)).accessTokenPayload?.parentRefreshTokenHash1).not.toBeNull();
      expect(await running.auth.engine.storage.sessions.get(handle)).toEqual(before);
      // A real verification does confirm it, so the comparison above could have failed.
      expect((await running.client().get("/app/admin-only", bearer(childToken))).status).toBe(403);
      expect((await running.auth.engine.storage.sessions.get(handle))?.pendingRefreshTokenHash2).toBeNull();
    });

    it("asks for the cookies instead of reading next/headers", async () => {
      const running = await start();
      await expect(getSSRSession(undefined as never, running.auth)).rejects.toThrow(/needs the request's cookies/);
    });
  });
});
