/**
 * Portcullis benchmark: `npm run bench` (builds the library, then runs this file with tsx).
 *
 * From one run it measures, side by side on the same machine state:
 *   1. authenticated req/s through verifySession() vs the same Express route without auth;
 *   2. sign-ins/s over HTTP vs raw argon2id verifications/s at the same parameters/concurrency;
 *   3. the server's event-loop delay p99 during the sign-in flood.
 * The server runs in a child process (bench/server.ts); this process only generates load.
 * See bench/README.md for what each figure means.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { ARGON2_PARAMS, type RawVerifyStats, type ReadyMessage, type Reply, type Request, type WindowStats } from "./protocol.js";

// ---- settings -----------------------------------------------------------------------------------

const ROUTE_CONNECTIONS = 32;
const SIGNIN_CONNECTIONS = 16;
const WARMUP_SECONDS = 2;
const ROUND_SECONDS = 5;
const ROUNDS = 4;
/** The library's default hashing concurrency, passed explicitly to the server and used for the raw loop. */
const MAX_CONCURRENT = availableParallelism();

const TARGETS = { routeRatio: 0.8, signinRatio: 0.85, lagP99Ms: 50 } as const;

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
const log = (line: string): void => console.log(line);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---- the server child ---------------------------------------------------------------------------

interface ServerHandle {
  ready: ReadyMessage;
  origin: string;
  call(request: DistributiveOmit<Request, "id">): Promise<Extract<Reply, { ok: true }>>;
  stop(): Promise<void>;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

async function startServer(dbFile: string): Promise<ServerHandle> {
  const execArgv = ["--import", "tsx"];
  if (cpuProfile) execArgv.push("--cpu-prof", `--cpu-prof-dir=${resultsDir}`);
  const child: ChildProcess = fork(join(here, "server.ts"), [], {
    execArgv,
    env: { ...process.env, BENCH_DB_FILE: dbFile, BENCH_MAX_CONCURRENT: String(MAX_CONCURRENT) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });

  const pending = new Map<number, { resolve: (reply: Extract<Reply, { ok: true }>) => void; reject: (error: Error) => void }>();
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
  /** Per-connection headers (e.g. a different access token on each connection). */
  headersForConnection?: (index: number) => Record<string, string>;
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
  /** CPU the load generator (this process) used, in cores. */
  generatorCpuCores: number;
}

function runLoad(options: LoadOptions): Promise<LoadResult> {
  let connectionIndex = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
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
        ...(options.headersForConnection !== undefined
          ? {
              setupClient: (client) => {
                client.setHeaders({ ...options.headers, ...options.headersForConnection!(connectionIndex++) });
              },
            }
          : {}),
      },
      (error, result) => {
        if (error !== null) return reject(error);
        const cpu = process.cpuUsage(cpuBefore);
        const wallMs = performance.now() - started;
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
          generatorCpuCores: (cpu.user + cpu.system) / 1000 / wallMs,
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

async function signUp(origin: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${origin}/auth/signup`, { method: "POST", headers: jsonHeaders, body: credentials(email, password) });
  const body = (await response.json()) as { status?: string };
  const token = response.headers.get("st-access-token");
  if (response.status !== 200 || body.status !== "OK" || token === null) {
    throw new Error(`sign-up of ${email} failed: HTTP ${response.status}, ${JSON.stringify(body)}`);
  }
  return token;
}

async function expectStatus(url: string, headers: Record<string, string>, status: number, what: string): Promise<void> {
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  if (response.status !== status) throw new Error(`sanity check failed: ${what} answered ${response.status}, expected ${status}`);
}

// ---- the benchmark ------------------------------------------------------------------------------

interface RouteRound {
  plain: LoadResult & { server: WindowStats };
  auth: LoadResult & { server: WindowStats };
}

interface SigninRound {
  signin: LoadResult & { server: WindowStats };
  raw: RawVerifyStats;
}

async function measure(server: ServerHandle, options: LoadOptions): Promise<LoadResult & { server: WindowStats }> {
  await server.call({ cmd: "mark" });
  const result = await runLoad(options);
  const window = (await server.call({ cmd: "read" })).window!;
  return { ...result, server: window };
}

async function main(): Promise<void> {
  const benchStarted = performance.now();
  mkdirSync(resultsDir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), "portcullis-bench-"));
  const dbFile = join(tmp, "bench.db");
  let server: ServerHandle | undefined;

  try {
    server = await startServer(dbFile);
    const { origin, ready } = server;
    log(`Portcullis bench — node ${process.version}, ${cpus().length} CPUs, availableParallelism ${availableParallelism()}`);
    log(`server child (node ${ready.node}) on ${origin}; hashing maxConcurrent ${ready.maxConcurrent}; UV_THREADPOOL_SIZE ${ready.uvThreadpoolSize}`);

    // Users and tokens: one header-mode access token per connection, each from an HTTP sign-up.
    const password = "bench-Password-123";
    const tokens: string[] = [];
    for (let i = 0; i < ROUTE_CONNECTIONS; i++) tokens.push(await signUp(origin, `bench-${i}@example.com`, password));
    const signinEmail = "bench-0@example.com";

    // Sanity: the protected route really is protected, and the tokens really work.
    await expectStatus(`${origin}/bench/private`, {}, 401, "GET /bench/private without a token");
    await expectStatus(`${origin}/bench/private`, { authorization: "Bearer not-a-token" }, 401, "GET /bench/private with a junk token");
    await expectStatus(`${origin}/bench/private`, { authorization: `Bearer ${tokens[0]!}` }, 200, "GET /bench/private with a token");
    await expectStatus(`${origin}/bench/plain`, {}, 200, "GET /bench/plain");

    const plainLoad: LoadOptions = { url: `${origin}/bench/plain`, connections: ROUTE_CONNECTIONS, seconds: ROUND_SECONDS };
    const authLoad: LoadOptions = {
      url: `${origin}/bench/private`,
      connections: ROUTE_CONNECTIONS,
      seconds: ROUND_SECONDS,
      headersForConnection: (index) => ({ authorization: `Bearer ${tokens[index % tokens.length]!}` }),
    };
    const signinLoad: LoadOptions = {
      url: `${origin}/auth/signin`,
      connections: SIGNIN_CONNECTIONS,
      seconds: ROUND_SECONDS,
      method: "POST",
      headers: jsonHeaders,
      body: credentials(signinEmail, password),
      verifyBody: (body) => body.includes('"status":"OK"'),
    };

    // 1. verifySession vs plain: warm both, then alternate.
    log(`\n[1/2] route pair: ${ROUTE_CONNECTIONS} connections, warm-up ${WARMUP_SECONDS} s each, ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s`);
    assertClean("warm-up plain", await runLoad({ ...plainLoad, seconds: WARMUP_SECONDS }));
    assertClean("warm-up verifySession", await runLoad({ ...authLoad, seconds: WARMUP_SECONDS }));
    const routeRounds: RouteRound[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const plain = await measure(server, plainLoad);
      assertClean(`plain round ${round}`, plain);
      const auth = await measure(server, authLoad);
      assertClean(`verifySession round ${round}`, auth);
      routeRounds.push({ plain, auth });
      log(
        `  round ${round}: plain ${fmt(plain.perSecond)} req/s (server ${fmt(plain.server.cpuCores * 100)} % CPU, generator ${fmt(plain.generatorCpuCores * 100)} %)` +
          ` | verifySession ${fmt(auth.perSecond)} req/s (server ${fmt(auth.server.cpuCores * 100)} %, generator ${fmt(auth.generatorCpuCores * 100)} %)` +
          ` | ratio ${(auth.perSecond / plain.perSecond).toFixed(3)}`,
      );
    }

    // 2. sign-in flood vs raw argon2id in the same process, then alternate.
    log(`\n[2/2] sign-in vs raw argon2id: ${SIGNIN_CONNECTIONS} connections / ${MAX_CONCURRENT} verifications in flight, warm-up ${WARMUP_SECONDS} s each, ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s`);
    assertClean("warm-up sign-in", await runLoad({ ...signinLoad, seconds: WARMUP_SECONDS }));
    await server.call({ cmd: "raw-verify", durationMs: WARMUP_SECONDS * 1000, concurrency: MAX_CONCURRENT });
    const signinRounds: SigninRound[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const signin = await measure(server, signinLoad);
      assertClean(`sign-in round ${round}`, signin);
      const raw = (await server.call({ cmd: "raw-verify", durationMs: ROUND_SECONDS * 1000, concurrency: MAX_CONCURRENT })).raw!;
      signinRounds.push({ signin, raw });
      log(
        `  round ${round}: sign-in ${fmt(signin.perSecond, 1)}/s (p99 ${fmt(signin.latencyP99Ms)} ms, loop-delay p99 ${fmt(signin.server.lag.p99Ms, 1)} ms, server ${fmt(signin.server.cpuCores * 100)} % CPU)` +
          ` | raw verify ${fmt(raw.perSecond, 1)}/s | ratio ${(signin.perSecond / raw.perSecond).toFixed(3)}`,
      );
    }

    await server.stop();
    server = undefined;

    // ---- verdicts -------------------------------------------------------------------------------
    const plainMedian = median(routeRounds.map((r) => r.plain.perSecond));
    const authMedian = median(routeRounds.map((r) => r.auth.perSecond));
    const signinMedian = median(signinRounds.map((r) => r.signin.perSecond));
    const rawMedian = median(signinRounds.map((r) => r.raw.perSecond));
    const lagP99s = signinRounds.map((r) => r.signin.server.lag.p99Ms);
    const lagMedian = median(lagP99s);
    const lagWorst = Math.max(...lagP99s);
    const routeRatio = authMedian / plainMedian;
    const signinRatio = signinMedian / rawMedian;

    const rows = [
      {
        metric: "verifySession req/s vs same route without auth",
        a: `${fmt(authMedian)} req/s`,
        b: `${fmt(plainMedian)} req/s`,
        ratio: routeRatio.toFixed(3),
        target: `>= ${TARGETS.routeRatio}`,
        pass: routeRatio >= TARGETS.routeRatio,
      },
      {
        metric: "sign-ins/s (HTTP) vs raw argon2id verify/s",
        a: `${fmt(signinMedian, 1)} /s`,
        b: `${fmt(rawMedian, 1)} /s`,
        ratio: signinRatio.toFixed(3),
        target: `>= ${TARGETS.signinRatio}`,
        pass: signinRatio >= TARGETS.signinRatio,
      },
      {
        metric: "event-loop delay p99 during sign-in flood",
        a: `${fmt(lagMedian, 1)} ms`,
        b: "-",
        ratio: "-",
        target: `<= ${TARGETS.lagP99Ms} ms`,
        pass: lagMedian <= TARGETS.lagP99Ms,
      },
    ];

    const header = { metric: "metric", a: "value A", b: "value B", ratio: "ratio A/B", target: "target", verdict: "verdict" };
    const table = [header, ...rows.map((row) => ({ ...row, verdict: row.pass ? "PASS" : "FAIL" }))];
    const widths = {
      metric: Math.max(...table.map((r) => r.metric.length)),
      a: Math.max(...table.map((r) => r.a.length)),
      b: Math.max(...table.map((r) => r.b.length)),
      ratio: Math.max(...table.map((r) => r.ratio.length)),
      target: Math.max(...table.map((r) => r.target.length)),
    };
    const line = (r: (typeof table)[number]): string =>
      `${r.metric.padEnd(widths.metric)}  ${r.a.padStart(widths.a)}  ${r.b.padStart(widths.b)}  ${r.ratio.padStart(widths.ratio)}  ${r.target.padEnd(widths.target)}  ${r.verdict}`;

    const cpuModel = cpus()[0]?.model ?? "unknown";
    log("\n" + "=".repeat(100));
    log(`node ${process.version} | ${cpus().length} CPUs (${cpuModel}) | availableParallelism ${availableParallelism()}`);
    log(
      `argon2id m=${ARGON2_PARAMS.memoryCost} KiB, t=${ARGON2_PARAMS.timeCost}, p=${ARGON2_PARAMS.parallelism} | ` +
        `hashing maxConcurrent ${MAX_CONCURRENT} (raw loop: same, in the server child) | UV_THREADPOOL_SIZE ${ready.uvThreadpoolSize}`,
    );
    log(
      `route pair: ${ROUTE_CONNECTIONS} connections; sign-in: ${SIGNIN_CONNECTIONS} connections; ` +
        `${ROUNDS} alternating rounds x ${ROUND_SECONDS} s after ${WARMUP_SECONDS} s warm-ups; figures are medians of rounds`,
    );
    log("-".repeat(100));
    for (const r of table) log(line(r));
    log("-".repeat(100));
    log("A = value under test, B = its baseline. Per-round values:");
    log(`  plain req/s:          ${routeRounds.map((r) => fmt(r.plain.perSecond)).join(", ")}`);
    log(`  verifySession req/s:  ${routeRounds.map((r) => fmt(r.auth.perSecond)).join(", ")}`);
    log(`  sign-ins/s:           ${signinRounds.map((r) => fmt(r.signin.perSecond, 1)).join(", ")}`);
    log(`  raw verify/s:         ${signinRounds.map((r) => fmt(r.raw.perSecond, 1)).join(", ")}`);
    log(
      `  loop-delay p99 ms:    ${lagP99s.map((v) => fmt(v, 1)).join(", ")} (worst ${fmt(lagWorst, 1)}; histogram values include the ` +
        `${signinRounds[0]?.signin.server.lag.resolutionMs ?? 10} ms timer interval, so an idle loop reads ~10 ms)`,
    );
    log(`total bench time ${fmt((performance.now() - benchStarted) / 1000, 1)} s`);

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
        rawLoopProcess: "server child (idle during the raw loop)",
        routeConnections: ROUTE_CONNECTIONS,
        signinConnections: SIGNIN_CONNECTIONS,
        warmupSeconds: WARMUP_SECONDS,
        roundSeconds: ROUND_SECONDS,
        rounds: ROUNDS,
        lagResolutionMs: signinRounds[0]?.signin.server.lag.resolutionMs ?? 10,
      },
      summary: rows.map((row) => ({ ...row, verdict: row.pass ? "PASS" : "FAIL" })),
      figures: {
        plainReqPerSecMedian: round1(plainMedian),
        verifySessionReqPerSecMedian: round1(authMedian),
        routeRatio: round3(routeRatio),
        signinPerSecMedian: round1(signinMedian),
        rawArgon2VerifyPerSecMedian: round1(rawMedian),
        signinRatio: round3(signinRatio),
        lagP99MsMedian: round1(lagMedian),
        lagP99MsWorst: round1(lagWorst),
      },
      targets: TARGETS,
      rounds: { route: routeRounds, signin: signinRounds },
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
