/**
 * Portcullis benchmark: `npm run bench` (builds the library, then runs this file with tsx).
 *
 * From one run it measures, side by side on the same machine state:
 *   1. authenticated req/s through verifySession() vs the same route without auth, on Express,
 *      Fastify and Hono (@hono/node-server), with 1,000 distinct sessions rotated across requests;
 *   2. sign-ins/s over HTTP vs raw argon2id verifications/s at the same parameters/concurrency;
 *   3. the server's event-loop delay p99 during the sign-in flood;
 *   4. refresh-token rotations/s, each client following its own session's token chain (8 clients, 1 client).
 * The server runs in a child process (bench/server.ts); this process only generates load.
 * See bench/README.md for what each figure means and how it is measured.
 */
import { fork, type ChildProcess } from "node:child_process";
import { Agent, request as httpRequest } from "node:http";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { cpuSnapshot, machineWindow, waitForQuietMachine, type MachineWindow } from "./machine.js";
import { ARGON2_PARAMS, FRAMEWORKS, type Framework, type RawVerifyStats, type ReadyMessage, type Reply, type Request, type WindowStats } from "./protocol.js";

const FRAMEWORK_LABELS: Record<Framework, string> = { express: "Express", fastify: "Fastify", hono: "Hono (node-server)" };

// ---- settings -----------------------------------------------------------------------------------

const ROUTE_CONNECTIONS = 32;
/** Distinct signed-in sessions; every route-pair request carries the next one's access token. */
const ROUTE_SESSIONS = 1_000;
/** Route-pair rounds are a little shorter than the others: three frameworks share the time. */
const ROUTE_ROUND_SECONDS = 4;
/** What both routes of every pair answer. */
const OK_BODY = '{"ok":true}';
const SIGNIN_CONNECTIONS = 16;
const WARMUP_SECONDS = 2;
const ROUND_SECONDS = 5;
const ROUNDS = 4;
/** The library's default hashing concurrency, passed explicitly to the server and used for the raw loop. */
const MAX_CONCURRENT = availableParallelism();
/** CPU that processes other than the bench may use during a window before the window counts as disturbed. */
const FOREIGN_CPU_LIMIT_CORES = 0.15;
/** Before each measured window, wait up to this long for other processes to go quiet... */
const QUIET_WAIT_PER_WINDOW_MS = 8_000;
/** ...but never more than this in total, so the bench stays near three minutes. */
const QUIET_WAIT_TOTAL_MS = 45_000;

/** Refresh phase: clients, each with its own session, always refreshing with the token the previous refresh returned. */
const REFRESH_CLIENTS = 8;

const TARGETS = { routeRatio: 0.8, signinRatio: 0.85, lagP99Ms: 50, refreshPerSecond: 2_000 } as const;

const here = fileURLToPath(new URL(".", import.meta.url));
const resultsDir = join(here, "results");
/** BENCH_CPU_PROF=1 writes a V8 CPU profile of the server child to bench/results/ (for digging, not for figures). */
const cpuProfile = process.env.BENCH_CPU_PROF === "1";

// ---- small helpers ------------------------------------------------------------------------------

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
const round3 = (n: number): number => Math.round(n * 1000) / 1000;
const fmt = (n: number, digits = 0): string => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (cores: number | undefined): string => (cores === undefined ? "n/a" : `${fmt(cores * 100)} %`);
const log = (line: string): void => console.log(line);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---- the server child ---------------------------------------------------------------------------

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type OkReply = Extract<Reply, { ok: true }>;

interface ServerHandle {
  ready: ReadyMessage;
  origin: string;
  call(request: DistributiveOmit<Request, "id">): Promise<OkReply>;
  stop(): Promise<void>;
}

async function startServer(dbFile: string): Promise<ServerHandle> {
  const execArgv = ["--import", "tsx"];
  if (cpuProfile) execArgv.push("--cpu-prof", `--cpu-prof-dir=${resultsDir}`);
  const child: ChildProcess = fork(join(here, "server.ts"), [], {
    execArgv,
    env: { ...process.env, BENCH_DB_FILE: dbFile, BENCH_MAX_CONCURRENT: String(MAX_CONCURRENT) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });

  const pending = new Map<number, { resolve: (reply: OkReply) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exited = false;

  const ready = await new Promise<ReadyMessage>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server child did not become ready within 60 s")), 60_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server child exited during start-up (code ${String(code)})`));
    });
    child.on("message", (message: ReadyMessage | Reply) => {
      if ("type" in message && message.type === "ready") {
        clearTimeout(timer);
        resolve(message);
        return;
      }
      const reply = message as Reply;
      const waiter = pending.get(reply.id);
      if (waiter === undefined) return;
      pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply);
      else waiter.reject(new Error(`server child: ${reply.error}`));
    });
  });
  child.removeAllListeners("exit");
  child.on("exit", (code) => {
    exited = true;
    for (const waiter of pending.values()) waiter.reject(new Error(`server child exited (code ${String(code)})`));
    pending.clear();
  });

  const call: ServerHandle["call"] = (request) =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error("server child is not running"));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ ...request, id } as Request);
    });

  const stop = async (): Promise<void> => {
    if (exited) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      await Promise.race([call({ cmd: "shutdown" }), sleep(10_000)]);
    } catch {
      // it may exit before answering; the wait below covers that
    }
    const killTimer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await gone;
    clearTimeout(killTimer);
  };

  return { ready, origin: `http://127.0.0.1:${ready.port}`, call, stop };
}

// ---- load generation ----------------------------------------------------------------------------

interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /**
   * Extra headers per request, taken in turn by every connection (e.g. one access token each).
   * Built once per connection, so the load generator does no more work per request than with one.
   */
  headersInTurn?: Record<string, string>[];
  verifyBody?: (body: string) => boolean;
}

interface LoadResult {
  perSecond: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  seconds: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        pipelining: 1,
        timeout: 30,
        method: options.method ?? "GET",
        ...(options.headers !== undefined ? { headers: options.headers } : {}),
        ...(options.body !== undefined ? { body: options.body } : {}),
        ...(options.verifyBody !== undefined ? { verifyBody: options.verifyBody } : {}),
        ...(options.headersInTurn !== undefined ? { requests: options.headersInTurn.map((headers) => ({ headers })) } : {}),
      },
      (error, result) => {
        if (error !== null) return reject(error);
        resolve({
          // Only successful answers count as throughput: a route answering 401 fast must not look good.
          perSecond: (result["2xx"] - result.mismatches) / result.duration,
          ok: result["2xx"],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          mismatches: result.mismatches,
          seconds: result.duration,
          latencyP50Ms: result.latency.p50,
          latencyP99Ms: result.latency.p99,
        });
      },
    );
  });
}

/** Any failed request makes the whole figure meaningless; stop rather than report it. */
function assertClean(label: string, result: LoadResult): void {
  const bad = result.non2xx + result.errors + result.timeouts + result.mismatches;
  if (bad > 0 || result.ok === 0) {
    throw new Error(
      `${label}: ${result.ok} ok, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts, ` +
        `${result.mismatches} unexpected bodies — refusing to report a throughput built on failures`,
    );
  }
}

// ---- refresh-token chains -----------------------------------------------------------------------

interface RefreshResult {
  perSecond: number;
  rotations: number;
  seconds: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One header-mode refresh; resolves with the status and the new refresh token (if any). */
function postRefresh(agent: Agent, origin: string, refreshToken: string): Promise<{ status: number; next: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${origin}/auth/session/refresh`,
      {
        method: "POST",
        agent,
        headers: { authorization: `Bearer ${refreshToken}`, rid: "session", "st-auth-mode": "header", "content-type": "application/json", "content-length": "2" },
      },
      (res) => {
        const next = res.headers["st-refresh-token"];
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, next: typeof next === "string" && next !== "" ? next : undefined }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end("{}");
  });
}

/**
 * `chains[i]` is client i's current refresh token. Each client refreshes in a loop for `seconds`,
 * always with the token its previous refresh returned (so every request is a real rotation, the first
 * use of a pending child), and leaves its newest token in `chains[i]`. Any refusal aborts the run:
 * a rotated chain must never be taken for theft.
 */
async function runRefreshChains(origin: string, chains: string[], seconds: number): Promise<RefreshResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: chains.length });
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  try {
    await Promise.all(
      chains.map(async (_, client) => {
        while (performance.now() < deadline) {
          const sent = performance.now();
          const { status, next } = await postRefresh(agent, origin, chains[client]!);
          if (status !== 200 || next === undefined || next === chains[client]) {
            throw new Error(`refresh chain ${client}: HTTP ${status}${next === undefined ? ", no new refresh token" : ""} after ${latencies.length} rotations`);
          }
          latencies.push(performance.now() - sent);
          chains[client] = next;
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / elapsed, rotations: latencies.length, seconds: elapsed, latencyP50Ms: percentile(latencies, 50), latencyP99Ms: percentile(latencies, 99) };
}

async function signUpForRefreshToken(origin: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${origin}/auth/signup`, { method: "POST", headers: jsonHeaders, body: credentials(email, password) });
  const token = response.headers.get("st-refresh-token");
  if (response.status !== 200 || token === null || token === "") throw new Error(`sign-up of ${email} for the refresh phase failed: HTTP ${response.status}`);
  return token;
}

// ---- measured windows ---------------------------------------------------------------------------

/** One measured window: what the body returned, what the server saw, who used the CPU. */
interface Measured<T> {
  result: T;
  server: WindowStats;
  cpu: CpuShares;
}

/** Who used the CPU during one measured window. */
interface CpuShares {
  serverCores: number;
  generatorCores: number;
  /** Whole machine, from /proc/stat; undefined where that is not available. */
  machine: MachineWindow | undefined;
  /** machine − server − generator: what other processes took. */
  foreignCores: number | undefined;
  /** Time spent waiting for other processes to go quiet before this window. */
  quietWaitMs: number;
  disturbed: boolean;
}

let quietWaitBudgetMs = QUIET_WAIT_TOTAL_MS;

/**
 * Runs `body` as one measured window: first lets the server finish leftover work and waits (within
 * budget) for other processes to go quiet, then resets the server's lag histogram, runs the body,
 * and accounts the CPU the server, this process and everything else used meanwhile.
 */
async function measured<T>(server: ServerHandle, body: () => Promise<T>): Promise<Measured<T>> {
  await server.call({ cmd: "settle", maxMs: 5_000 });
  const quiet = await waitForQuietMachine(FOREIGN_CPU_LIMIT_CORES, Math.min(QUIET_WAIT_PER_WINDOW_MS, Math.max(0, quietWaitBudgetMs)));
  quietWaitBudgetMs -= quiet.waitedMs;

  await server.call({ cmd: "mark" });
  const machineBefore = cpuSnapshot();
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  const result = await body();
  const elapsedMs = performance.now() - started;
  const own = process.cpuUsage(ownBefore);
  const machine = machineWindow(machineBefore, cpuSnapshot());
  const window = (await server.call({ cmd: "read" })).window!;

  const generatorCores = (own.user + own.system) / 1000 / elapsedMs;
  const foreignCores = machine === undefined ? undefined : Math.max(0, machine.busyCores - window.cpuCores - generatorCores);
  return {
    result,
    server: window,
    cpu: {
      serverCores: window.cpuCores,
      generatorCores,
      machine,
      foreignCores,
      quietWaitMs: quiet.waitedMs,
      disturbed: foreignCores !== undefined && foreignCores > FOREIGN_CPU_LIMIT_CORES,
    },
  };
}

// ---- setup over HTTP ----------------------------------------------------------------------------

function credentials(email: string, password: string): string {
  return JSON.stringify({
    formFields: [
      { id: "email", value: email },
      { id: "password", value: password },
    ],
  });
}

const jsonHeaders = { "content-type": "application/json", "st-auth-mode": "header", rid: "emailpassword" };

async function signUp(origin: string, email: string, password: string): Promise<{ userId: string }> {
  const response = await fetch(`${origin}/auth/signup`, { method: "POST", headers: jsonHeaders, body: credentials(email, password) });
  const body = (await response.json()) as { status?: string; user?: { id?: string } };
  if (response.status !== 200 || body.status !== "OK" || typeof body.user?.id !== "string") {
    throw new Error(`sign-up of ${email} failed: HTTP ${response.status}, ${JSON.stringify(body)}`);
  }
  return { userId: body.user.id };
}

async function expectStatus(url: string, init: RequestInit, status: number, what: string): Promise<string> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (response.status !== status) throw new Error(`sanity check failed: ${what} answered ${response.status}, expected ${status}: ${text}`);
  return text;
}

// ---- pairing and verdicts -----------------------------------------------------------------------

interface Pair {
  /** A: the case under test. */
  a: number;
  /** B: its baseline. */
  b: number;
  disturbed: boolean;
}

interface PairSummary {
  medianA: number;
  medianB: number;
  ratio: number;
  medianOfRoundRatios: number;
  roundsUsed: number;
  roundsDisturbed: number;
  /** True when fewer than 3 undisturbed rounds were left, so every round was used. */
  unreliable: boolean;
}

/**
 * Medians over the rounds in which no other process took more than FOREIGN_CPU_LIMIT_CORES during
 * either half; if fewer than 3 such rounds remain, over all rounds, and the figure is flagged.
 * (The selection uses only CPU accounting measured independently of the throughput itself.)
 */
function summarisePairs(pairs: Pair[]): PairSummary {
  const clean = pairs.filter((pair) => !pair.disturbed);
  const used = clean.length >= 3 ? clean : pairs;
  const medianA = median(used.map((pair) => pair.a));
  const medianB = median(used.map((pair) => pair.b));
  return {
    medianA,
    medianB,
    ratio: medianA / medianB,
    medianOfRoundRatios: median(used.map((pair) => pair.a / pair.b)),
    roundsUsed: used.length,
    roundsDisturbed: pairs.length - clean.length,
    unreliable: clean.length < 3,
  };
}

/** The same round selection as summarisePairs, for a figure with no baseline. */
function summariseSingles(rounds: { value: number; disturbed: boolean }[]): { median: number; roundsUsed: number; roundsDisturbed: number; unreliable: boolean } {
  const clean = rounds.filter((round) => !round.disturbed);
  const used = clean.length >= 3 ? clean : rounds;
  return { median: median(used.map((round) => round.value)), roundsUsed: used.length, roundsDisturbed: rounds.length - clean.length, unreliable: clean.length < 3 };
}

// ---- the benchmark ------------------------------------------------------------------------------

async function main(): Promise<void> {
  const benchStarted = performance.now();
  mkdirSync(resultsDir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), "portcullis-bench-"));
  const dbFile = join(tmp, "bench.db");
  let server: ServerHandle | undefined;

  try {
    server = await startServer(dbFile);
    const { origin, ready } = server;
    const cpuModel = cpus()[0]?.model ?? "unknown";
    log(`Portcullis bench — node ${process.version}, ${cpus().length} CPUs (${cpuModel}), availableParallelism ${availableParallelism()}`);
    log(`server child (node ${ready.node}) on ${origin}; hashing maxConcurrent ${ready.maxConcurrent}; UV_THREADPOOL_SIZE ${ready.uvThreadpoolSize}`);

    // Users over HTTP, then ROUTE_SESSIONS sessions made server-side for them in turn (about 31
    // each, as users signed in on several devices): 1,000 real sessions, each with its own token.
    const password = "bench-Password-123";
    const userIds: string[] = [];
    for (let i = 0; i < ROUTE_CONNECTIONS; i++) userIds.push((await signUp(origin, `bench-${i}@example.com`, password)).userId);
    const signinEmail = "bench-0@example.com";
    const sessionsStarted = performance.now();
    const tokens = (await server.call({ cmd: "create-sessions", userIds, count: ROUTE_SESSIONS })).tokens!;
    if (new Set(tokens).size !== ROUTE_SESSIONS) throw new Error(`expected ${ROUTE_SESSIONS} distinct access tokens, got ${new Set(tokens).size}`);
    log(`${fmt(ROUTE_SESSIONS)} sessions for ${userIds.length} users created server-side in ${fmt((performance.now() - sessionsStarted) / 1000, 1)} s`);
    const frameworkOrigin = (framework: Framework): string => `http://127.0.0.1:${ready.ports[framework]}`;

    // Sanity: on every framework the protected route really is protected and the tokens really work;
    // sign-in really signs in.
    for (const framework of FRAMEWORKS) {
      const base = frameworkOrigin(framework);
      await expectStatus(`${base}/bench/private`, {}, 401, `${framework}: GET /bench/private without a token`);
      await expectStatus(`${base}/bench/private`, { headers: { authorization: "Bearer not-a-token" } }, 401, `${framework}: GET /bench/private with a junk token`);
      for (const token of [tokens[0]!, tokens[ROUTE_SESSIONS - 1]!]) {
        const body = await expectStatus(`${base}/bench/private`, { headers: { authorization: `Bearer ${token}` } }, 200, `${framework}: GET /bench/private with a token`);
        if (body !== OK_BODY) throw new Error(`sanity check failed: ${framework} /bench/private answered ${body}`);
      }
      await expectStatus(`${base}/bench/plain`, {}, 200, `${framework}: GET /bench/plain`);
      await expectStatus(`${base}/bench/noop`, {}, 200, `${framework}: GET /bench/noop`);
    }
    const signinBody = await expectStatus(`${origin}/auth/signin`, { method: "POST", headers: jsonHeaders, body: credentials(signinEmail, password) }, 200, "POST /auth/signin");
    if (!signinBody.includes('"status":"OK"')) throw new Error(`sanity check failed: sign-in answered ${signinBody}`);
    const wrong = await expectStatus(`${origin}/auth/signin`, { method: "POST", headers: jsonHeaders, body: credentials(signinEmail, "wrong-Password-1") }, 200, "POST /auth/signin, wrong password");
    if (wrong.includes('"status":"OK"')) throw new Error("sanity check failed: sign-in accepted a wrong password");

    // Both routes get the very same requests, Authorization header included: the only difference
    // measured is verifySession() itself, not the cost of sending and parsing a larger request.
    // Each connection sends the 1,000 tokens in turn, one per request.
    const sameRequests = tokens.map((token) => ({ authorization: `Bearer ${token}` }));
    const routeLoad = (framework: Framework, path: string): LoadOptions => ({
      url: `${frameworkOrigin(framework)}${path}`,
      connections: ROUTE_CONNECTIONS,
      seconds: ROUTE_ROUND_SECONDS,
      headersInTurn: sameRequests,
      verifyBody: (body) => body === OK_BODY,
    });
    const signinLoad: LoadOptions = {
      url: `${origin}/auth/signin`,
      connections: SIGNIN_CONNECTIONS,
      seconds: ROUND_SECONDS,
      method: "POST",
      headers: jsonHeaders,
      body: credentials(signinEmail, password),
      verifyBody: (body) => body.includes('"status":"OK"'),
    };
    const floorLoad: LoadOptions = { ...signinLoad, url: `${origin}/bench/verify-only` };
    const rawVerify = (seconds: number): Promise<RawVerifyStats> =>
      server!.call({ cmd: "raw-verify", durationMs: seconds * 1000, concurrency: MAX_CONCURRENT }).then((reply) => reply.raw!);

    // 1. verifySession vs the bare route, per framework: warm both, then alternate.
    log(
      `\n[1/3] route pairs on ${FRAMEWORKS.map((f) => FRAMEWORK_LABELS[f]).join(", ")}: ${ROUTE_CONNECTIONS} connections, ${fmt(ROUTE_SESSIONS)} tokens in turn, ` +
        `warm-up ${WARMUP_SECONDS} s each, ${ROUNDS} alternating rounds of ${ROUTE_ROUND_SECONDS} s`,
    );
    const routeRounds = {} as Record<Framework, { plain: Measured<LoadResult>; auth: Measured<LoadResult>; noop: Measured<LoadResult> }[]>;
    for (const framework of FRAMEWORKS) {
      const plainLoad = routeLoad(framework, "/bench/plain");
      const authLoad = routeLoad(framework, "/bench/private");
      const noopLoad = routeLoad(framework, "/bench/noop");
      assertClean(`${framework} warm-up plain`, await runLoad({ ...plainLoad, seconds: WARMUP_SECONDS }));
      assertClean(`${framework} warm-up verifySession`, await runLoad({ ...authLoad, seconds: WARMUP_SECONDS }));
      assertClean(`${framework} warm-up no-op middleware`, await runLoad({ ...noopLoad, seconds: WARMUP_SECONDS }));
      const rounds: (typeof routeRounds)[Framework] = (routeRounds[framework] = []);
      for (let round = 1; round <= ROUNDS; round++) {
        const plain = await measured(server, () => runLoad(plainLoad));
        assertClean(`${framework} plain round ${round}`, plain.result);
        const auth = await measured(server, () => runLoad(authLoad));
        assertClean(`${framework} verifySession round ${round}`, auth.result);
        const noop = await measured(server, () => runLoad(noopLoad));
        assertClean(`${framework} no-op middleware round ${round}`, noop.result);
        rounds.push({ plain, auth, noop });
        log(
          `  ${framework.padEnd(7)} round ${round}: plain ${fmt(plain.result.perSecond)} req/s | verifySession ${fmt(auth.result.perSecond)} req/s | ratio ${(auth.result.perSecond / plain.result.perSecond).toFixed(3)} | no-op middleware ${fmt(noop.result.perSecond)} req/s` +
          ` | server CPU ${pct(plain.cpu.serverCores)} / ${pct(auth.cpu.serverCores)}, generator ${pct(plain.cpu.generatorCores)} / ${pct(auth.cpu.generatorCores)}` +
          `, others ${pct(plain.cpu.foreignCores)} / ${pct(auth.cpu.foreignCores)}${plain.cpu.disturbed || auth.cpu.disturbed ? "  [disturbed]" : ""}`,
        );
      }
    }
    // What the library's verified-token cache did for those figures (see bench/README.md).
    const probe = (await server.call({ cmd: "cache-probe", benchTokens: tokens, userIds, count: ROUTE_SESSIONS })).cacheProbe!;
    // Cached if the first pass over them cost about what the second (all hits) did, not a miss more.
    const benchTokensCached = probe.benchTokensMicros - probe.benchTokensAgainMicros < (probe.coldMicros - probe.warmMicros) / 2;
    log(
      `  token cache: verify ${fmt(probe.coldMicros, 1)} µs first sight (miss) vs ${fmt(probe.warmMicros, 1)} µs cached (hit), ${fmt(probe.count)} fresh tokens in-process; ` +
        `the ${fmt(ROUTE_SESSIONS)} bench tokens re-verified after the load: ${fmt(probe.benchTokensMicros, 1)} µs, then ${fmt(probe.benchTokensAgainMicros, 1)} µs ` +
        `(${benchTokensCached ? "all still cached: each token missed once, on its first request, and hit on every later one" : "NOT cached: the route pairs paid for misses"})`,
    );

    // 2. sign-in flood vs raw argon2id in the server process, alternating.
    log(
      `\n[2/3] sign-in vs raw argon2id: ${SIGNIN_CONNECTIONS} connections / ${MAX_CONCURRENT} verifications in flight, ` +
        `warm-up ${WARMUP_SECONDS} s each, ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s`,
    );
    assertClean("warm-up sign-in", await runLoad({ ...signinLoad, seconds: WARMUP_SECONDS }));
    await server.call({ cmd: "settle", maxMs: 5_000 });
    assertClean("warm-up verify-only", await runLoad({ ...floorLoad, seconds: WARMUP_SECONDS }));
    await server.call({ cmd: "settle", maxMs: 5_000 });
    await rawVerify(WARMUP_SECONDS);
    const signinRounds = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const signin = await measured(server, () => runLoad(signinLoad));
      assertClean(`sign-in round ${round}`, signin.result);
      const floor = await measured(server, () => runLoad(floorLoad));
      assertClean(`verify-only round ${round}`, floor.result);
      const raw = await measured(server, () => rawVerify(ROUND_SECONDS));
      signinRounds.push({ signin, floor, raw });
      log(
        `  round ${round}: sign-in ${fmt(signin.result.perSecond, 1)}/s | verify-only route ${fmt(floor.result.perSecond, 1)}/s | raw verify ${fmt(raw.result.perSecond, 1)}/s` +
          ` | ratio ${(signin.result.perSecond / raw.result.perSecond).toFixed(3)}` +
          ` | loop-delay p99 ${fmt(signin.server.lag.p99Ms, 1)} ms, HTTP p99 ${fmt(signin.result.latencyP99Ms)} ms` +
          ` | server CPU ${pct(signin.cpu.serverCores)} / ${pct(raw.cpu.serverCores)}, others ${pct(signin.cpu.foreignCores)} / ${pct(raw.cpu.foreignCores)}` +
          `${signin.cpu.disturbed || raw.cpu.disturbed ? "  [disturbed]" : ""}`,
      );
    }

    // 3. refresh-token rotations, each client on its own session's token chain: 8 clients, then 1.
    log(`\n[3/3] refresh rotations: ${REFRESH_CLIENTS} clients and 1 client, each on its own token chain, warm-up ${WARMUP_SECONDS} s each, ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s`);
    const chains: string[] = [];
    for (let i = 0; i < REFRESH_CLIENTS; i++) chains.push(await signUpForRefreshToken(origin, `bench-refresh-${i}@example.com`, password));
    const single = [await signUpForRefreshToken(origin, "bench-refresh-single@example.com", password)];
    // Sanity: a refreshed-away token really is refused (theft), on a session of its own.
    const victim = await signUpForRefreshToken(origin, "bench-refresh-victim@example.com", password);
    const victimChain = [victim];
    await runRefreshChains(origin, victimChain, 0.2);
    await runRefreshChains(origin, victimChain, 0.2);
    const reuse = await expectStatus(`${origin}/auth/session/refresh`, { method: "POST", headers: { authorization: `Bearer ${victim}`, rid: "session", "st-auth-mode": "header" } }, 401, "refresh with a rotated-away token");
    if (!reuse.includes("token theft detected")) throw new Error(`sanity check failed: a rotated-away refresh token answered ${reuse}`);
    await runRefreshChains(origin, chains, WARMUP_SECONDS);
    await runRefreshChains(origin, single, WARMUP_SECONDS);
    const refreshRounds = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const many = await measured(server, () => runRefreshChains(origin, chains, ROUND_SECONDS));
      const one = await measured(server, () => runRefreshChains(origin, single, ROUND_SECONDS));
      refreshRounds.push({ many, one });
      log(
        `  round ${round}: ${REFRESH_CLIENTS} clients ${fmt(many.result.perSecond)} rotations/s (p50 ${fmt(many.result.latencyP50Ms, 1)} ms, p99 ${fmt(many.result.latencyP99Ms, 1)} ms)` +
          ` | 1 client ${fmt(one.result.perSecond)} rotations/s (p50 ${fmt(one.result.latencyP50Ms, 2)} ms)` +
          ` | server CPU ${pct(many.cpu.serverCores)} / ${pct(one.cpu.serverCores)}, generator ${pct(many.cpu.generatorCores)} / ${pct(one.cpu.generatorCores)}` +
          `, others ${pct(many.cpu.foreignCores)} / ${pct(one.cpu.foreignCores)}${many.cpu.disturbed || one.cpu.disturbed ? "  [disturbed]" : ""}`,
      );
    }

    await server.stop();
    server = undefined;

    // ---- verdicts -------------------------------------------------------------------------------
    const routes = Object.fromEntries(
      FRAMEWORKS.map((framework) => [
        framework,
        summarisePairs(
          routeRounds[framework].map((r) => ({ a: r.auth.result.perSecond, b: r.plain.result.perSecond, disturbed: r.auth.cpu.disturbed || r.plain.cpu.disturbed })),
        ),
      ]),
    ) as Record<Framework, PairSummary>;
    // Informational: what a middleware that does nothing costs on the same framework, the floor under verifySession().
    const noops = Object.fromEntries(
      FRAMEWORKS.map((framework) => [
        framework,
        summarisePairs(
          routeRounds[framework].map((r) => ({ a: r.noop.result.perSecond, b: r.plain.result.perSecond, disturbed: r.noop.cpu.disturbed || r.plain.cpu.disturbed })),
        ),
      ]),
    ) as Record<Framework, PairSummary>;
    const signin = summarisePairs(
      signinRounds.map((r) => ({ a: r.signin.result.perSecond, b: r.raw.result.perSecond, disturbed: r.signin.cpu.disturbed || r.raw.cpu.disturbed })),
    );
    // Informational: where the sign-in's distance to the raw loop goes (HTTP + Express vs Portcullis).
    const floorVsRaw = summarisePairs(
      signinRounds.map((r) => ({ a: r.floor.result.perSecond, b: r.raw.result.perSecond, disturbed: r.floor.cpu.disturbed || r.raw.cpu.disturbed })),
    );
    const signinVsFloor = summarisePairs(
      signinRounds.map((r) => ({ a: r.signin.result.perSecond, b: r.floor.result.perSecond, disturbed: r.signin.cpu.disturbed || r.floor.cpu.disturbed })),
    );
    // Lag belongs to the sign-in half of each round; same round selection as the sign-in ratio.
    const lagRounds = signin.unreliable ? signinRounds : signinRounds.filter((r) => !(r.signin.cpu.disturbed || r.raw.cpu.disturbed));
    const lagP99s = lagRounds.map((r) => r.signin.server.lag.p99Ms);
    const lagMedian = median(lagP99s);
    const lagWorstAll = Math.max(...signinRounds.map((r) => r.signin.server.lag.p99Ms));
    const lagResolutionMs = signinRounds[0]?.signin.server.lag.resolutionMs ?? 10;

    const refreshMany = summariseSingles(refreshRounds.map((r) => ({ value: r.many.result.perSecond, disturbed: r.many.cpu.disturbed })));
    const refreshOne = summariseSingles(refreshRounds.map((r) => ({ value: r.one.result.perSecond, disturbed: r.one.cpu.disturbed })));

    const note = (s: Pick<PairSummary, "unreliable" | "roundsDisturbed" | "roundsUsed">): string =>
      s.unreliable ? `only ${ROUNDS - s.roundsDisturbed}/${ROUNDS} undisturbed rounds: all used, UNRELIABLE` : `${s.roundsUsed}/${ROUNDS} rounds`;
    const rows: { metric: string; a: string; b: string; ratio: string; target: string; pass: boolean | undefined; note: string }[] = [
      ...FRAMEWORKS.flatMap((framework) => [
        {
          metric: `verifySession vs bare route, ${FRAMEWORK_LABELS[framework]}`,
          a: `${fmt(routes[framework].medianA)} req/s`,
          b: `${fmt(routes[framework].medianB)} req/s`,
          ratio: routes[framework].ratio.toFixed(3),
          target: `>= ${TARGETS.routeRatio}`,
          pass: routes[framework].ratio >= TARGETS.routeRatio,
          note: `${note(routes[framework])}; ${fmt(ROUTE_SESSIONS)} sessions`,
        },
        {
          metric: `  floor: a no-op middleware vs bare route`,
          a: `${fmt(noops[framework].medianA)} req/s`,
          b: `${fmt(noops[framework].medianB)} req/s`,
          ratio: noops[framework].ratio.toFixed(3),
          target: "-",
          pass: undefined,
          note: `${note(noops[framework])}; the framework's own cost of a middleware`,
        },
      ]),
      {
        metric: "  token verify, first sight vs cached (µs)",
        a: `${fmt(probe.coldMicros, 1)} µs`,
        b: `${fmt(probe.warmMicros, 1)} µs`,
        ratio: (probe.coldMicros / probe.warmMicros).toFixed(1),
        target: "-",
        pass: undefined,
        note: `in-process; the ${fmt(ROUTE_SESSIONS)} bench tokens: ${fmt(probe.benchTokensMicros, 1)} µs after the load, ${benchTokensCached ? "all cached (hit rate ~100 % after each token's first request)" : "NOT cached"}`,
      },
      {
        metric: "sign-ins/s (HTTP) vs raw argon2id verify/s",
        a: `${fmt(signin.medianA, 1)} /s`,
        b: `${fmt(signin.medianB, 1)} /s`,
        ratio: signin.ratio.toFixed(3),
        target: `>= ${TARGETS.signinRatio}`,
        pass: signin.ratio >= TARGETS.signinRatio,
        note: note(signin),
      },
      {
        metric: "  of which: verify-only route vs raw (HTTP floor)",
        a: `${fmt(floorVsRaw.medianA, 1)} /s`,
        b: `${fmt(floorVsRaw.medianB, 1)} /s`,
        ratio: floorVsRaw.ratio.toFixed(3),
        target: "-",
        pass: undefined,
        note: note(floorVsRaw),
      },
      {
        metric: "  and: sign-ins/s vs verify-only route",
        a: `${fmt(signinVsFloor.medianA, 1)} /s`,
        b: `${fmt(signinVsFloor.medianB, 1)} /s`,
        ratio: signinVsFloor.ratio.toFixed(3),
        target: "-",
        pass: undefined,
        note: note(signinVsFloor),
      },
      {
        metric: "event-loop delay p99 during sign-in flood",
        a: `${fmt(lagMedian, 1)} ms`,
        b: "-",
        ratio: "-",
        target: `<= ${TARGETS.lagP99Ms} ms`,
        pass: lagMedian <= TARGETS.lagP99Ms,
        note: `${note(signin)}; worst round ${fmt(lagWorstAll, 1)} ms`,
      },
      {
        metric: `refresh rotations/s, ${REFRESH_CLIENTS} clients (own token chains)`,
        a: `${fmt(refreshMany.median)} /s`,
        b: "-",
        ratio: "-",
        target: `>= ${fmt(TARGETS.refreshPerSecond)} /s`,
        pass: refreshMany.median >= TARGETS.refreshPerSecond,
        note: note(refreshMany),
      },
      {
        metric: "refresh rotations/s, 1 client",
        a: `${fmt(refreshOne.median)} /s`,
        b: "-",
        ratio: "-",
        target: "-",
        pass: undefined,
        note: note(refreshOne),
      },
    ];

    const header = { metric: "metric", a: "value A", b: "value B", ratio: "ratio A/B", target: "target", verdict: "verdict", note: "rounds" };
    const verdictOf = (pass: boolean | undefined): string => (pass === undefined ? "info" : pass ? "PASS" : "FAIL");
    const table = [header, ...rows.map((row) => ({ ...row, verdict: verdictOf(row.pass) }))];
    const width = (key: "metric" | "a" | "b" | "ratio" | "target"): number => Math.max(...table.map((r) => r[key].length));
    const line = (r: (typeof table)[number]): string =>
      `${r.metric.padEnd(width("metric"))}  ${r.a.padStart(width("a"))}  ${r.b.padStart(width("b"))}  ${r.ratio.padStart(width("ratio"))}  ` +
      `${r.target.padEnd(width("target"))}  ${r.verdict.padEnd(7)}  ${r.note}`;

    const rule = "=".repeat(120);
    log("\n" + rule);
    log(`node ${process.version} | ${cpus().length} CPUs (${cpuModel}) | availableParallelism ${availableParallelism()} | UV_THREADPOOL_SIZE ${ready.uvThreadpoolSize}`);
    log(
      `argon2id m=${ARGON2_PARAMS.memoryCost} KiB, t=${ARGON2_PARAMS.timeCost}, p=${ARGON2_PARAMS.parallelism} | ` +
        `hashing maxConcurrent ${MAX_CONCURRENT}; raw loop: same concurrency, in the server child while it serves nothing`,
    );
    log(
      `route pairs: ${ROUTE_CONNECTIONS} connections, ${fmt(ROUTE_SESSIONS)} tokens in turn, rounds of ${ROUTE_ROUND_SECONDS} s; sign-in: ${SIGNIN_CONNECTIONS} connections; refresh: ${REFRESH_CLIENTS} clients / 1 client; ${ROUNDS} alternating rounds x ${ROUND_SECONDS} s ` +
        `after ${WARMUP_SECONDS} s warm-ups; values are medians over rounds, ratio = median A / median B`,
    );
    log("-".repeat(120));
    for (const r of table) log(line(r));
    log("-".repeat(120));
    log("A = value under test, B = its baseline. Per round:");
    for (const framework of FRAMEWORKS) {
      const label = `${framework} plain req/s`.padEnd(28);
      log(`  ${label}${routeRounds[framework].map((r) => fmt(r.plain.result.perSecond)).join(", ")}`);
      log(
        `  ${`${framework} verifySession req/s`.padEnd(28)}${routeRounds[framework].map((r) => fmt(r.auth.result.perSecond)).join(", ")}` +
          `   (median of per-round ratios ${routes[framework].medianOfRoundRatios.toFixed(3)})`,
      );
    }
    log(`  sign-ins/s           ${signinRounds.map((r) => fmt(r.signin.result.perSecond, 1)).join(", ")}`);
    log(`  verify-only route/s  ${signinRounds.map((r) => fmt(r.floor.result.perSecond, 1)).join(", ")}`);
    log(`  raw verify/s         ${signinRounds.map((r) => fmt(r.raw.result.perSecond, 1)).join(", ")}   (median of per-round ratios ${signin.medianOfRoundRatios.toFixed(3)})`);
    log(
      `  loop-delay p99 ms    ${signinRounds.map((r) => fmt(r.signin.server.lag.p99Ms, 1)).join(", ")}   ` +
        `(monitorEventLoopDelay, resolution ${lagResolutionMs} ms: samples include the ${lagResolutionMs} ms timer interval, an idle loop reads ~${lagResolutionMs} ms)`,
    );
    log(`  refresh ${REFRESH_CLIENTS} clients/s  ${refreshRounds.map((r) => fmt(r.many.result.perSecond)).join(", ")}`);
    log(`  refresh 1 client/s   ${refreshRounds.map((r) => fmt(r.one.result.perSecond)).join(", ")}`);
    const disturbedWindows = [
      ...FRAMEWORKS.flatMap((framework) => routeRounds[framework].flatMap((r) => [r.plain, r.auth, r.noop])),
      ...signinRounds.flatMap((r) => [r.signin, r.floor, r.raw]),
      ...refreshRounds.flatMap((r) => [r.many, r.one]),
    ].filter((w) => w.cpu.disturbed).length;
    const waited = QUIET_WAIT_TOTAL_MS - quietWaitBudgetMs;
    log(
      `  other processes took > ${fmt(FOREIGN_CPU_LIMIT_CORES * 100)} % CPU in ${disturbedWindows} of ${ROUNDS * (2 * FRAMEWORKS.length + 5)} windows; ` +
        `waited ${fmt(waited / 1000, 1)} s for quiet; total bench time ${fmt((performance.now() - benchStarted) / 1000, 1)} s`,
    );

    const report = {
      generatedAt: new Date().toISOString(),
      environment: {
        node: process.version,
        cpuCount: cpus().length,
        cpuModel,
        availableParallelism: availableParallelism(),
        uvThreadpoolSize: ready.uvThreadpoolSize,
      },
      parameters: {
        argon2id: ARGON2_PARAMS,
        hashingMaxConcurrent: MAX_CONCURRENT,
        rawLoopConcurrency: MAX_CONCURRENT,
        rawLoopProcess: "server child, serving nothing meanwhile",
        routeConnections: ROUTE_CONNECTIONS,
        routeSessions: ROUTE_SESSIONS,
        routeRoundSeconds: ROUTE_ROUND_SECONDS,
        signinConnections: SIGNIN_CONNECTIONS,
        refreshClients: REFRESH_CLIENTS,
        warmupSeconds: WARMUP_SECONDS,
        roundSeconds: ROUND_SECONDS,
        rounds: ROUNDS,
        lagResolutionMs,
        foreignCpuLimitCores: FOREIGN_CPU_LIMIT_CORES,
      },
      summary: rows.map((row) => ({ ...row, verdict: verdictOf(row.pass) })),
      figures: {
        routes: Object.fromEntries(
          FRAMEWORKS.map((framework) => [
            framework,
            {
              plainReqPerSecMedian: round1(routes[framework].medianB),
              verifySessionReqPerSecMedian: round1(routes[framework].medianA),
              ratio: round3(routes[framework].ratio),
              medianOfRoundRatios: round3(routes[framework].medianOfRoundRatios),
              roundsUsed: routes[framework].roundsUsed,
              unreliable: routes[framework].unreliable,
            },
          ]),
        ),
        tokenCache: {
          coldVerifyMicros: round1(probe.coldMicros),
          warmVerifyMicros: round1(probe.warmMicros),
          benchTokensAfterLoadMicros: round1(probe.benchTokensMicros),
          benchTokensAgainMicros: round1(probe.benchTokensAgainMicros),
          benchTokensCached,
        },
        signinPerSecMedian: round1(signin.medianA),
        rawArgon2VerifyPerSecMedian: round1(signin.medianB),
        signinRatio: round3(signin.ratio),
        signinMedianOfRoundRatios: round3(signin.medianOfRoundRatios),
        signinRoundsUsed: signin.roundsUsed,
        signinUnreliable: signin.unreliable,
        verifyOnlyRoutePerSecMedian: round1(floorVsRaw.medianA),
        verifyOnlyVsRawRatio: round3(floorVsRaw.ratio),
        signinVsVerifyOnlyRatio: round3(signinVsFloor.ratio),
        lagP99MsMedian: round1(lagMedian),
        lagP99MsWorstRound: round1(lagWorstAll),
        refreshPerSecMedian8Clients: round1(refreshMany.median),
        refreshPerSecMedian1Client: round1(refreshOne.median),
        refreshRoundsUsed: refreshMany.roundsUsed,
        refreshUnreliable: refreshMany.unreliable || refreshOne.unreliable,
        disturbedWindows,
        quietWaitSeconds: round1(waited / 1000),
        totalSeconds: round1((performance.now() - benchStarted) / 1000),
      },
      targets: TARGETS,
      rounds: { route: routeRounds, signin: signinRounds, refresh: refreshRounds },
    };
    writeFileSync(join(resultsDir, "latest.json"), JSON.stringify(report, null, 2) + "\n");
    log(`\nwritten: ${join(resultsDir, "latest.json")}`);
  } finally {
    if (server !== undefined) await server.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error("bench failed:", error);
  process.exitCode = 1;
});
