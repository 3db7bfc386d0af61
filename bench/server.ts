/**
 * The server under test, run as a child process of bench/run.ts (forked with `--import tsx`), so
 * the load generator never shares this event loop. It takes its settings from the environment:
 *   BENCH_DB_FILE         SQLite file to use (the parent creates and deletes it)
 *   BENCH_MAX_CONCURRENT  passwordHashing.maxConcurrent, passed explicitly
 * and talks to the parent over the IPC channel (see protocol.ts).
 *
 * One Portcullis instance serves three apps, each on its own port: Express (which also has the
 * sign-in floor route), Fastify and Hono on @hono/node-server. Each has the auth API plus a bare
 * route and a verifySession() route sharing one handler body. Only one app is loaded at a time.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import express from "express";
import Fastify from "fastify";
import { Hono, type Context } from "hono";
import { serve as serveHono } from "@hono/node-server";
import { hash as argon2Hash, verify as argon2Verify } from "@node-rs/argon2";
import supertokens, { convertToRecipeUserId } from "portcullis";
import EmailPassword from "portcullis/recipe/emailpassword";
import Session from "portcullis/recipe/session";
import { errorHandler, middleware } from "portcullis/framework/express";
import { verifySession } from "portcullis/recipe/session/framework/express";
import { errorHandler as fastifyErrorHandler, plugin as fastifyPlugin } from "portcullis/framework/fastify";
import { verifySession as fastifyVerifySession } from "portcullis/recipe/session/framework/fastify";
import { middleware as honoMiddleware } from "portcullis/framework/hono";
import { verifySession as honoVerifySession } from "portcullis/recipe/session/framework/hono";
import { getDefaultInstance } from "portcullis/engine";
import { ARGON2_PARAMS, type CacheProbeStats, type LagStats, type RawVerifyStats, type ReadyMessage, type Reply, type Request as IpcRequest } from "./protocol.js";

const LAG_RESOLUTION_MS = 10;

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`bench/server.ts: ${name} is not set`);
  return value;
}

const dbFile = requiredEnv("BENCH_DB_FILE");
const maxConcurrent = Number(requiredEnv("BENCH_MAX_CONCURRENT"));
if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new Error(`BENCH_MAX_CONCURRENT must be a positive integer`);
if (process.send === undefined) throw new Error("bench/server.ts must be started by bench/run.ts (it needs an IPC channel)");

// Info and warnings would only interleave with the parent's report; real errors still reach stderr.
const quietLogger = {
  info: () => {},
  warn: () => {},
  error: (message: string, error?: unknown) => console.error(`[bench server] ${message}`, error ?? ""),
};

// Listen first (port 0: the kernel picks a free one), so appInfo can name the real origin.
const httpServer = createServer();
await new Promise<void>((resolve, reject) => {
  httpServer.once("error", reject);
  httpServer.listen(0, "127.0.0.1", () => resolve());
});
const port = (httpServer.address() as AddressInfo).port;
const origin = `http://127.0.0.1:${port}`;

supertokens.init({
  appInfo: { appName: "bench", apiDomain: origin, websiteDomain: origin, apiBasePath: "/auth", websiteBasePath: "/auth" },
  database: `sqlite:${dbFile}`,
  passwordHashing: { maxConcurrent },
  logger: quietLogger,
  recipeList: [EmailPassword.init(), Session.init()],
});
// Migrations run before the first request is accepted, so no measured request pays for them.
await getDefaultInstance().ready;

const app = express();
app.disable("x-powered-by");
app.disable("etag");
// The auth API (/auth/signup, /auth/signin, ...). Both benchmark routes sit behind it, so it costs
// them the same and the route pair isolates verifySession() itself.
app.use(middleware());

// One handler body for both routes.
const handler = (_req: express.Request, res: express.Response): void => {
  res.json({ ok: true });
};
app.get("/bench/plain", handler);
app.get("/bench/private", verifySession(), handler);
// The framework's own price of any middleware in front of a route: the floor under verifySession().
app.get("/bench/noop", (_req: express.Request, _res: express.Response, next: express.NextFunction) => next(), handler);

// The HTTP floor of a sign-in: the same request body, parsed, and the library's own hasher (its
// semaphore and argon2id) verifying the password, but no user lookup, session or token. What a
// sign-in costs beyond this route is Portcullis's own work; what this route costs beyond the raw
// loop is HTTP and Express.
const FLOOR_PASSWORD = "bench-Password-123";
const hasher = getDefaultInstance().engine.passwordHasher;
const floorHash = await hasher.hash(FLOOR_PASSWORD);
app.post("/bench/verify-only", express.json(), (req: express.Request, res: express.Response, next: express.NextFunction) => {
  const password = String((req.body as { formFields?: { value?: unknown }[] }).formFields?.[1]?.value ?? "");
  hasher.verify(floorHash, password).then((verification) => res.json({ status: verification.valid ? "OK" : "WRONG_CREDENTIALS_ERROR" }), next);
});

app.use(errorHandler());
app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  console.error("[bench server] unhandled error", error);
  if (!res.headersSent) res.status(500).json({ message: "internal error" });
});
httpServer.on("request", app);

// Fastify: the plugin serves the auth API; the protected route has verifySession() as its preHandler.
const fastifyApp = Fastify({ logger: false });
await fastifyApp.register(fastifyPlugin);
const fastifyHandler = async (): Promise<{ ok: boolean }> => ({ ok: true });
fastifyApp.get("/bench/plain", fastifyHandler);
fastifyApp.get("/bench/private", { preHandler: fastifyVerifySession() }, fastifyHandler);
fastifyApp.get("/bench/noop", { preHandler: async () => {} }, fastifyHandler);
fastifyApp.setErrorHandler(fastifyErrorHandler());
await fastifyApp.listen({ port: 0, host: "127.0.0.1" });
const fastifyPort = (fastifyApp.server.address() as AddressInfo).port;

// Hono on Node (@hono/node-server): middleware() serves the auth API; verifySession() guards one route.
const honoApp = new Hono();
honoApp.use(honoMiddleware());
const honoHandler = (c: Context): Response => c.json({ ok: true });
honoApp.get("/bench/plain", honoHandler);
honoApp.get("/bench/private", honoVerifySession(), honoHandler);
honoApp.get("/bench/noop", async (_c, next) => { await next(); }, honoHandler);
const honoServer = await new Promise<Server>((resolve) => {
  const started = serveHono({ fetch: honoApp.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started as Server));
});
const honoPort = (honoServer.address() as AddressInfo).port;

/** Sessions made server-side for signed-up users (in turn), as a sign-in would make them; their access tokens. */
async function createSessions(userIds: string[], count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const session = await Session.createNewSessionWithoutRequestResponse("public", convertToRecipeUserId(userIds[i % userIds.length]!));
    tokens.push(session.getAccessToken());
  }
  return tokens;
}

/**
 * How much the library's verified-token cache saves, through the public API (a Fetch Request, as
 * the Hono adapter passes it). First the bench's own tokens, which the route pairs used, twice: the
 * first pass costs no more than the second (all hits) if they were all still cached. Then fresh tokens: first cold, each one a cache
 * miss (parse + RS256 signature check), then twice warm. Run after the HTTP load, so the JIT is warm.
 */
async function cacheProbe(benchTokens: string[], userIds: string[], count: number): Promise<CacheProbeStats> {
  const requests = (tokens: string[]): Request[] => tokens.map((token) => new Request(`${origin}/bench/private`, { headers: { authorization: `Bearer ${token}` } }));
  // Request objects are built before each pass, so a pass times verification only.
  const pass = async (batch: Request[]): Promise<number> => {
    const started = performance.now();
    for (const request of batch) await Session.getSession(request, undefined);
    return ((performance.now() - started) * 1000) / batch.length;
  };
  const benchTokensMicros = await pass(requests(benchTokens));
  const benchTokensAgainMicros = await pass(requests(benchTokens));
  const fresh = await createSessions(userIds, count);
  const coldMicros = await pass(requests(fresh));
  const warmMicros = Math.min(await pass(requests(fresh)), await pass(requests(fresh)));
  return { count, benchTokensMicros, benchTokensAgainMicros, coldMicros, warmMicros };
}

// ---- measurement hooks -------------------------------------------------------------------------

const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
lag.enable();
let markedAt = performance.now();
let markedCpu = process.cpuUsage();

function lagStats(): LagStats {
  const ms = (ns: number): number => ns / 1e6;
  // An empty histogram reports min as a huge sentinel and the rest as NaN / 0.
  const empty = lag.count === 0;
  return {
    count: lag.count,
    resolutionMs: LAG_RESOLUTION_MS,
    minMs: empty ? 0 : ms(lag.min),
    meanMs: empty ? 0 : ms(lag.mean),
    p50Ms: empty ? 0 : ms(lag.percentile(50)),
    p99Ms: empty ? 0 : ms(lag.percentile(99)),
    maxMs: empty ? 0 : ms(lag.max),
  };
}

/**
 * The raw argon2id baseline runs HERE, in the server process, while no HTTP load is running: the
 * same kind of process (tsx-loaded Node, same @node-rs/argon2 binary, same libuv thread-pool size,
 * same heap) that served the sign-ins a moment earlier, and the parent's load generator is idle,
 * so the only difference between the two figures is the HTTP + library work around each verify.
 * It loops exactly as the library's semaphore does at saturation: `concurrency` verifications in
 * flight, each followed immediately by the next.
 */
async function rawVerify(durationMs: number, concurrency: number): Promise<RawVerifyStats> {
  const password = "bench-Password-123";
  const stored = await argon2Hash(password, {
    algorithm: 2, // Argon2id; `Algorithm` is a type-only const enum in @node-rs/argon2 2.2.1
    memoryCost: ARGON2_PARAMS.memoryCost,
    timeCost: ARGON2_PARAMS.timeCost,
    parallelism: ARGON2_PARAMS.parallelism,
    outputLen: 32,
  });
  let verifications = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      if (!(await argon2Verify(stored, password))) throw new Error("raw argon2 verify returned false");
      verifications += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - started;
  return { verifications, elapsedMs, perSecond: (verifications * 1000) / elapsedMs, concurrency };
}

async function handle(request: IpcRequest): Promise<Reply> {
  switch (request.cmd) {
    case "mark":
      lag.reset();
      markedAt = performance.now();
      markedCpu = process.cpuUsage();
      return { id: request.id, ok: true };
    case "read": {
      const elapsedMs = performance.now() - markedAt;
      const cpu = process.cpuUsage(markedCpu);
      const cpuCores = (cpu.user + cpu.system) / 1000 / elapsedMs;
      return { id: request.id, ok: true, window: { lag: lagStats(), elapsedMs, cpuCores } };
    }
    case "settle": {
      const started = performance.now();
      let quietWindows = 0;
      while (quietWindows < 2 && performance.now() - started < request.maxMs) {
        const before = process.cpuUsage();
        const windowStart = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 100));
        const used = process.cpuUsage(before);
        const share = (used.user + used.system) / 1000 / (performance.now() - windowStart);
        quietWindows = share < 0.05 ? quietWindows + 1 : 0;
      }
      return { id: request.id, ok: true, settledAfterMs: performance.now() - started };
    }
    case "create-sessions":
      return { id: request.id, ok: true, tokens: await createSessions(request.userIds, request.count) };
    case "cache-probe":
      return { id: request.id, ok: true, cacheProbe: await cacheProbe(request.benchTokens, request.userIds, request.count) };
    case "raw-verify":
      return { id: request.id, ok: true, raw: await rawVerify(request.durationMs, request.concurrency) };
    case "shutdown":
      lag.disable();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await fastifyApp.close();
      honoServer.closeAllConnections();
      await new Promise<void>((resolve) => honoServer.close(() => resolve()));
      await getDefaultInstance().close();
      return { id: request.id, ok: true };
  }
}

process.on("message", (message: IpcRequest) => {
  handle(message)
    .catch((error: unknown): Reply => ({ id: message.id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }))
    .then((reply) => {
      process.send!(reply, () => {
        if (message.cmd === "shutdown") process.disconnect();
      });
    });
});

// If the parent dies, do not linger holding the port and the database.
process.on("disconnect", () => process.exit(0));

const ready: ReadyMessage = {
  type: "ready",
  port,
  ports: { express: port, fastify: fastifyPort, hono: honoPort },
  node: process.version,
  argon2: { ...ARGON2_PARAMS },
  maxConcurrent,
  uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? "4 (default)",
};
process.send(ready);
