/**
 * SQLite faults: another process holding the write lock (at start-up and under load), and a full
 * disk (PRAGMA max_page_count on the app's own connection, which yields SQLITE_FULL).
 * @see issue #6, part 4 "Faults"
 */
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { sqliteFileDatabase, type TestDatabase } from "../helpers/databases.js";
import { createSqlStorage } from "../../src/storage/create-storage.js";
import { TestClient } from "../../src/testing/http-client.js";
import { SqlStorage } from "../../src/storage/sql/sql-storage.js";
import { createSqliteDialect, createSqliteKysely } from "../../src/storage/sql/sqlite-dialect.js";
import { StorageUnavailableError } from "../../src/storage/storage-errors.js";
import { lagProbe, recordingLogger, signUpBody, spawnNode, startFaultApp, waitFor, type FaultApp } from "./fault-kit.js";

// Holds a lock on the file for argv[3] ms: "immediate" in WAL mode (other readers go on), or
// "exclusive" in rollback-journal mode (nobody else may even read or switch it to WAL).
const LOCK_HOLDER = `
const Database = require("better-sqlite3");
const [, path, mode, ms] = process.argv;
const db = new Database(path);
if (mode === "exclusive") db.pragma("journal_mode = DELETE"); else db.pragma("journal_mode = WAL");
db.exec(mode === "exclusive" ? "begin exclusive" : "begin immediate");
console.log("locked");
setTimeout(() => { db.exec("commit"); db.close(); console.log("released"); }, Number(ms));
`;

function holdLock(path: string, mode: "immediate" | "exclusive", ms: number) {
  return spawnNode(["-e", LOCK_HOLDER, path, mode, String(ms)], /^locked$/);
}

const pathOf = (database: TestDatabase) => database.url.slice("sqlite:".length);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function track(app: FaultApp, database: TestDatabase): FaultApp {
  cleanups.push(() => database.cleanup(), () => app.close());
  return app;
}

describe("SQLite locked by another process", () => {
  it("starts while the file is locked: 503 from health, then serves once the lock is gone, without a restart", async () => {
    const database = sqliteFileDatabase();
    const holder = await holdLock(pathOf(database), "exclusive", 2_500);
    cleanups.push(async () => void holder.child.kill());
    const { lines, logger } = recordingLogger();
    const app = track(await startFaultApp(database.url, logger), database);
    let readyAt: number | undefined;
    void app.auth.ready.then(() => (readyAt = performance.now()));

    const health = await app.client.request("GET", "/auth/health");
    expect(health.status).toBe(503);
    expect(health.body.status).toBe("UNAVAILABLE");
    expect(health.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(readyAt).toBeUndefined();

    await waitFor("ready", () => readyAt !== undefined, 15_000);
    await waitFor("health OK", async () => (await app.client.request("GET", "/auth/health")).status === 200, 5_000);
    const signUp = await app.client.request("POST", "/auth/signup", { body: signUpBody("after-lock@example.com") });
    expect(signUp.status).toBe(200);
    expect(signUp.body.status).toBe("OK");
    expect(lines.filter((line) => line.startsWith("error"))).toEqual([]);
  });

  it("keeps the event loop free while a write waits for the lock; requests succeed or get 503", async () => {
    const database = sqliteFileDatabase();
    const app = track(await startFaultApp(database.url, recordingLogger().logger), database);
    await app.auth.ready;
    const signedIn = await app.client.request("POST", "/auth/signup", { body: signUpBody("before@example.com"), headers: { "st-auth-mode": "cookie" } });
    expect(signedIn.status).toBe(200);
    expect(app.client.cookie("sAccessToken")).toBeDefined();

    const holder = await holdLock(pathOf(database), "immediate", 3_000);
    cleanups.push(async () => void holder.child.kill());
    const released = new Promise<void>((resolve) => holder.child.once("exit", () => resolve()));
    const probe = lagProbe();
    const started = performance.now();
    // Writes (sign-ups) that must wait for the other process, and while they wait, stateless
    // session checks and reads, which must not.
    const writes = Array.from({ length: 4 }, (_, i) => new TestClient(app.baseUrl).request("POST", "/auth/signup", { body: signUpBody(`during-${i}@example.com`) }));
    const quick: number[] = [];
    const quickStatuses: number[] = [];
    while (performance.now() - started < 2_500) {
      const t0 = performance.now();
      const verified = await app.client.request("GET", "/protected");
      const exists = await app.client.request("GET", "/auth/emailpassword/email/exists?email=before%40example.com");
      quick.push(performance.now() - t0);
      quickStatuses.push(verified.status, exists.status);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const writeResults = await Promise.all(writes);
    const lag = probe.stop();
    await released;
    console.log(
      `[faults] SQLite lock 3 s: event-loop lag p50 ${lag.p50.toFixed(1)} ms, p99 ${lag.p99.toFixed(1)} ms, max ${lag.max.toFixed(1)} ms; ` +
        `${quick.length} stateless+read rounds, slowest ${Math.max(...quick).toFixed(1)} ms; writes: ${writeResults.map((r) => r.status).join(",")} after ${(performance.now() - started).toFixed(0)} ms`,
    );

    expect(lag.p99).toBeLessThan(50);
    expect(new Set(quickStatuses)).toEqual(new Set([200]));
    for (const result of writeResults) {
      expect([200, 503]).toContain(result.status);
      if (result.status === 503) expect(result.body).toEqual({ message: expect.stringMatching(/busy/) });
    }
    // The lock is gone: writing works again.
    const after = await app.client.request("POST", "/auth/signup", { body: signUpBody("after@example.com") });
    expect(after.body.status).toBe("OK");
  });

  it("gives up after the lock wait with StorageUnavailableError (busy), blocking the loop only a few ms at a time", async () => {
    const database = sqliteFileDatabase();
    cleanups.push(() => database.cleanup());
    const namespace = createSqlStorage(database.url).namespace;
    const storage = new SqlStorage({ db: createSqliteKysely(pathOf(database)), dialect: createSqliteDialect({ lockWaitMs: 400 }), namespace, ownsDb: true });
    cleanups.push(() => storage.close());
    await storage.migrate();
    const holder = await holdLock(pathOf(database), "immediate", 2_000);
    cleanups.push(async () => void holder.child.kill());

    const probe = lagProbe();
    const started = performance.now();
    const error = await storage.tenants.upsert("t1", {}, 1).then(() => undefined, (caught: unknown) => caught);
    const waited = performance.now() - started;
    const lag = probe.stop();
    expect(StorageUnavailableError.is(error)).toBe(true);
    expect((error as StorageUnavailableError).reason).toBe("busy");
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(waited).toBeLessThan(1_500);
    expect(lag.p99).toBeLessThan(50);
    // Reads are not blocked by a writer in WAL mode.
    expect(await storage.tenants.get("t1")).toBeUndefined();
  });
});

describe("SQLite disk full", () => {
  it("answers 503 with a clear message, leaves no user row, and recovers once space is back", async () => {
    const database = sqliteFileDatabase();
    cleanups.push(() => database.cleanup());
    // The app's own connection, so the test can cap its size: max_page_count is per connection.
    const raw = new BetterSqlite3(pathOf(database));
    raw.pragma("journal_mode = WAL");
    const kysely = new Kysely({ dialect: new SqliteDialect({ database: raw }) });
    cleanups.push(async () => void raw.close());
    const app = await startFaultApp(kysely, recordingLogger().logger);
    cleanups.push(() => app.close());
    await app.auth.ready;

    raw.pragma(`max_page_count = ${raw.pragma("page_count", { simple: true }) as number}`);
    let full: { email: string; status: number; body: unknown } | undefined;
    for (let i = 0; i < 300 && full === undefined; i++) {
      const email = `user-${i}@example.com`;
      const response = await app.client.request("POST", "/auth/signup", { body: signUpBody(email) });
      if (response.status !== 200) full = { email, status: response.status, body: response.body };
      else expect(response.body.status).toBe("OK");
    }
    expect(full).toMatchObject({ status: 503, body: { message: expect.stringMatching(/out of space/) } });
    expect(JSON.stringify(full!.body)).not.toMatch(/SQLITE|sqlite|\//);
    const rows = raw.prepare("select count(*) as n from portcullis_users where email = ?").get(full!.email) as { n: number };
    expect(rows.n).toBe(0);
    expect((raw.prepare("select count(*) as n from portcullis_user_tenants where email = ?").get(full!.email) as { n: number }).n).toBe(0);
    const users = raw.prepare("select count(*) as n from portcullis_users").get() as { n: number };

    raw.pragma("max_page_count = 1073741823");
    const again = await app.client.request("POST", "/auth/signup", { body: signUpBody(full!.email) });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe("OK");
    expect((raw.prepare("select count(*) as n from portcullis_users").get() as { n: number }).n).toBe(users.n + 1);
  });
});
