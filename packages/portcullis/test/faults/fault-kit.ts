/**
 * What the fault-injection suites share: an app whose start-up is not awaited, a TCP proxy that
 * can refuse and later forward, a child process to hold locks or serve, and an event-loop lag probe.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createInterface } from "node:readline";
import type { Auth } from "../../src/engine/create-auth.js";
import type { TypeInput } from "../../src/engine/types.js";
import { createAuth } from "../../src/instance/create-auth.js";
import { initEmailPassword } from "../../src/recipes/emailpassword/emailpassword-recipe.js";
import { initSession } from "../../src/recipes/session/session-recipe.js";
import { TestClient } from "../../src/testing/http-client.js";
import { mountExpress } from "../adapters/mounts.js";

export const PASSWORD = "Faults-test-pass-7f3k2q9z";

export function signUpBody(email: string) {
  return { formFields: [{ id: "email", value: email }, { id: "password", value: PASSWORD }] };
}

/** Every line the instance logs, at any level, as text. */
export function recordingLogger() {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (...args: unknown[]) =>
      lines.push(`${level} ${args.map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : typeof arg === "string" ? arg : JSON.stringify(arg))).join(" ")}`);
  return { lines, logger: { debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") } };
}

export interface FaultApp {
  auth: Auth;
  client: TestClient;
  baseUrl: string;
  close(): Promise<void>;
}

/** An instance on Express, served at once: unlike the conformance app, it does not wait for `ready`. */
export async function startFaultApp(database: NonNullable<TypeInput["database"]>, logger: TypeInput["logger"]): Promise<FaultApp> {
  const auth = createAuth({
    appInfo: { appName: "Portcullis faults", apiDomain: "http://localhost", websiteDomain: "http://localhost" },
    database,
    recipeList: [initEmailPassword(), initSession()],
    ...(logger !== undefined ? { logger } : {}),
    passwordHashing: { maxConcurrent: 2 },
  });
  const mounted = await mountExpress(auth);
  return {
    auth,
    baseUrl: mounted.baseUrl,
    client: new TestClient(mounted.baseUrl),
    close: async () => {
      await mounted.close();
      await auth.close();
    },
  };
}

/** Polls `check` every `everyMs` until it returns true; throws after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 100): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A free TCP port on 127.0.0.1 (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A TCP proxy on a fixed port to `target`. While down, nothing listens there (clients get
 * ECONNREFUSED); `down()` also cuts every forwarded connection, as a crashed server would.
 */
export function tcpProxy(port: number, target: { host: string; port: number }) {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  return {
    port,
    async up(): Promise<void> {
      if (server !== undefined) return;
      server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        track(client);
        track(upstream);
        client.pipe(upstream);
        upstream.pipe(client);
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
      });
      const listening = server;
      await new Promise<void>((resolve, reject) => {
        listening.once("error", reject);
        listening.listen(port, "127.0.0.1", resolve);
      });
    },
    async down(): Promise<void> {
      const closing = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      if (closing !== undefined) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
  };
}

/** A child `node` process; resolves once it printed a line matching `readyLine`, with that line. */
export async function spawnNode(args: string[], readyLine: RegExp, env: Record<string, string> = {}): Promise<{ child: ChildProcess; line: string; stderr: () => string }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not get ready in 20 s; stderr: ${stderr}`)), 20_000);
    lines.on("line", (text) => {
      if (readyLine.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited with ${code} before getting ready; stderr: ${stderr}`));
    });
  });
  return { child, line, stderr: () => stderr };
}

/** Event-loop delay over a stretch of time, in ms (perf_hooks histogram, 1 ms resolution). */
export function lagProbe() {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      return { p50: histogram.percentile(50) / 1e6, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6, samples: histogram.count };
    },
  };
}
