/**
 * PostgreSQL faults: backends terminated under load (the app runs in a child process, which must
 * stay up), and the server unreachable at start-up or later (through a TCP proxy we control, so
 * the shared server is never touched). Only this suite's connections are terminated: they carry
 * an application_name of their own.
 * @see issue #6, part 4 "Faults"
 */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POSTGRES_BASE_URL, postgresAvailable, postgresDatabase } from "../helpers/databases.js";
import { TestClient, type HttpResponse } from "../../src/testing/http-client.js";
import { freePort, recordingLogger, signUpBody, PASSWORD, spawnNode, startFaultApp, tcpProxy, waitFor } from "./fault-kit.js";

const available = await postgresAvailable();
const target = new URL(POSTGRES_BASE_URL);

/** The base URL with our schema, our application_name, and optionally another host:port. */
function appUrl(schemaUrl: string, applicationName: string, port?: number): string {
  const url = new URL(schemaUrl);
  url.searchParams.set("application_name", applicationName);
  if (port !== undefined) {
    url.host = `127.0.0.1:${port}`;
    // trust auth ignores it; it is here to prove no log line ever shows it.
    url.password = "not-a-real-secret";
  }
  return url.toString();
}

async function terminateBackends(applicationName: string): Promise<number> {
  const admin = new pg.Client({ connectionString: POSTGRES_BASE_URL });
  await admin.connect();
  try {
    const result = await admin.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = $1 and pid <> pg_backend_pid()",
      [applicationName],
    );
    return result.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

describe.runIf(available)("PostgreSQL backends terminated under load", () => {
  const database = postgresDatabase();
  const applicationName = `pc_faults_${randomBytes(4).toString("hex")}`;
  let app: Awaited<ReturnType<typeof spawnNode>>;
  let client: TestClient;

  beforeAll(async () => {
    app = await spawnNode(["--import", "tsx", fileURLToPath(new URL("./serve-app.ts", import.meta.url))], /^listening \d+$/, {
      DATABASE_URL: appUrl(database.url, applicationName),
    });
    client = new TestClient(`http://127.0.0.1:${app.line.split(" ")[1]}`);
    await waitFor("health OK", async () => (await client.request("GET", "/auth/health")).status === 200, 15_000);
  });
  afterAll(async () => {
    app?.child.kill();
    await database.cleanup();
  });

  it("stays up, answers only 200 or 503 (never 500), and serves again within seconds", async () => {
    for (let i = 0; i < 4; i++) expect((await client.request("POST", "/auth/signup", { body: signUpBody(`load-${i}@example.com`) })).body.status).toBe("OK");
    const statuses = new Map<number, number>();
    const bodies503: unknown[] = [];
    let stop = false;
    const record = (response: HttpResponse) => {
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status === 503) bodies503.push({ body: response.body, retryAfter: response.headers.get("retry-after") });
    };
    // Four clients: sign-in (a credential read and a session insert), an email lookup and a passwordless code, in a loop.
    const clients = Array.from({ length: 4 }, async (_, i) => {
      const own = new TestClient(client.baseUrl);
      try {
        while (!stop) {
          record(await own.request("POST", "/auth/signin", { body: signUpBody(`load-${i}@example.com`) }));
          record(await own.request("GET", `/auth/emailpassword/email/exists?email=load-${i}%40example.com`));
          // Passwordless: a code request (device, code, outbox and counter writes) and a consume (a locked transaction).
          const code = await own.request("POST", "/auth/signinup/code", { body: { email: `code-${i}@example.com` } });
          record(code);
          const device = code.body as { preAuthSessionId?: string; deviceId?: string } | undefined;
          if (device?.preAuthSessionId !== undefined) {
            record(await own.request("POST", "/auth/signinup/code/consume", { body: { preAuthSessionId: device.preAuthSessionId, deviceId: device.deviceId, userInputCode: "000000" } }));
          }
        }
      } catch {
        statuses.set(0, (statuses.get(0) ?? 0) + 1); // no answer at all: the process is gone
      }
    });
    let terminated = 0;
    for (let round = 0; round < 5; round++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      terminated += await terminateBackends(applicationName);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop = true;
    await Promise.all(clients);

    expect(app.child.exitCode, `the app process exited; stderr: ${app.stderr()}`).toBeNull();
    expect(app.child.signalCode).toBeNull();
    expect(statuses.has(0)).toBe(false);
    expect(terminated).toBeGreaterThan(0);
    const recovery = await waitFor(
      "a sign-in after the terminations",
      async () => (await client.request("POST", "/auth/signin", { body: { formFields: [{ id: "email", value: "load-0@example.com" }, { id: "password", value: PASSWORD }] } })).body?.status === "OK",
      5_000,
      50,
    );
    console.log(`[faults] pg_terminate_backend x5 under 4 clients: ${terminated} backends killed; statuses ${JSON.stringify([...statuses])}; serving again after ${recovery.toFixed(0)} ms`);
    expect([...statuses.keys()].filter((status) => status !== 200 && status !== 503)).toEqual([]);
    for (const answer of bodies503) expect(answer).toEqual({ body: { message: expect.any(String) }, retryAfter: expect.stringMatching(/^\d+$/) });
    expect(app.child.exitCode).toBeNull();
    expect(app.stderr()).not.toMatch(/Unhandled|uncaught/i);
  });
});

describe.runIf(available)("PostgreSQL unreachable", () => {
  it("starts while the server is unreachable, logs what it waits for, and serves once it answers, without a restart", async () => {
    const database = postgresDatabase();
    const proxy = tcpProxy(await freePort(), { host: target.hostname, port: Number(target.port || 5432) });
    const { lines, logger } = recordingLogger();
    const app = await startFaultApp(appUrl(database.url, `pc_faults_${randomBytes(4).toString("hex")}`, proxy.port), logger);
    try {
      let ready = false;
      void app.auth.ready.then(() => (ready = true));
      await waitFor("the first failed attempt", () => lines.some((line) => line.includes("Waiting for the database")), 5_000, 20);

      const health = await app.client.request("GET", "/auth/health");
      expect(health.status).toBe(503);
      expect(health.body).toEqual({ status: "UNAVAILABLE", message: expect.stringMatching(/unreachable/) });
      expect(health.headers.get("retry-after")).toMatch(/^\d+$/);
      const signUp = await app.client.request("POST", "/auth/signup", { body: signUpBody("early@example.com") });
      expect(signUp.status).toBe(503);
      expect(signUp.body).toEqual({ message: expect.stringMatching(/unreachable/) });
      expect(signUp.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await app.auth.health()).toMatchObject({ status: "UNAVAILABLE" });
      expect(ready).toBe(false);

      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await proxy.up();
      const upAfter = await waitFor("ready", () => ready, 15_000, 20);
      console.log(`[faults] PostgreSQL down at start-up: ready ${upAfter.toFixed(0)} ms after it came back`);
      expect(upAfter).toBeLessThan(12_000);
      await waitFor("health OK", async () => (await app.client.request("GET", "/auth/health")).status === 200, 3_000);
      expect((await app.client.request("POST", "/auth/signup", { body: signUpBody("early@example.com") })).body.status).toBe("OK");

      const waiting = lines.filter((line) => line.includes("Waiting for the database"));
      expect(waiting).toHaveLength(1);
      expect(waiting[0]).toMatch(/^warn .*127\.0\.0\.1:\d+/);
      expect(lines.some((line) => /^info .*database .* is up/.test(line))).toBe(true);
      expect(lines.join("\n")).not.toContain("not-a-real-secret");

      // An outage after start-up: 503s, never 500s, and back without a restart.
      await proxy.down();
      const during = await app.client.request("POST", "/auth/signin", { body: signUpBody("early@example.com") });
      expect(during.status).toBe(503);
      expect(during.body).toEqual({ message: expect.stringMatching(/unreachable/) });
      await waitFor("health 503", async () => (await app.client.request("GET", "/auth/health")).status === 503, 3_000);
      await proxy.up();
      await waitFor("health OK again", async () => (await app.client.request("GET", "/auth/health")).status === 200, 5_000);
      expect((await app.client.request("POST", "/auth/signin", { body: signUpBody("early@example.com") })).body.status).toBe("OK");
      expect(lines.filter((line) => line.startsWith("error"))).toEqual([]);
    } finally {
      await app.close();
      await proxy.down();
      await database.cleanup();
    }
  });
});
