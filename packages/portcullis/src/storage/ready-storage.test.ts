import { describe, expect, it } from "vitest";
import { gateOnMigration } from "./ready-storage.js";
import { StorageUnavailableError } from "./storage-errors.js";
import type { Storage } from "./storage.js";

/** A Storage whose migration finishes when the test says, and whose ports record what ran. */
function fakeStorage() {
  let finish!: (error?: Error) => void;
  const migrated = new Promise<void>((resolve, reject) => {
    finish = (error) => (error ? reject(error) : resolve());
  });
  const calls: string[] = [];
  const port = (name: string) =>
    new Proxy(
      {},
      {
        get: (target, method) =>
          Reflect.get(target, method) ??
          (async (...args: unknown[]) => {
            calls.push(`${name}.${String(method)}(${args.join(",")})`);
            return `${name}.${String(method)}`;
          }),
      },
    );
  let closed = 0;
  const storage = {
    tenants: port("tenants"),
    users: port("users"),
    emailVerification: port("emailVerification"),
    credentials: port("credentials"),
    tokens: port("tokens"),
    sessions: port("sessions"),
    signingKeys: port("signingKeys"),
    outbox: port("outbox"),
    counters: port("counters"),
    migrate: () => migrated,
    close: async () => {
      closed++;
    },
  } as unknown as Storage;
  return { storage, calls, finish, closedCount: () => closed };
}

describe("gateOnMigration", () => {
  it("holds every port's calls until the migration has run, with no list of methods to keep", async () => {
    const fake = fakeStorage();
    const gated = gateOnMigration(fake.storage);
    const pending = Promise.all([gated.counters.increment("k", 1, 2), gated.sessions.get("h"), gated.tokens.revokeForUser("u", undefined)]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fake.calls).toEqual([]);
    fake.finish();
    expect(await pending).toEqual(["counters.increment", "sessions.get", "tokens.revokeForUser"]);
    expect(fake.calls).toEqual(["counters.increment(k,1,2)", "sessions.get(h)", "tokens.revokeForUser(u,)"]);
    expect(gated.sessions).toBe(gated.sessions);
    await gated.migrate();
  });

  it("fails every call with the migration's error, and still closes", async () => {
    const fake = fakeStorage();
    const gated = gateOnMigration(fake.storage);
    fake.finish(new Error("no disk"));
    await expect(gated.users.get("u")).rejects.toThrow("no disk");
    await expect(gated.ready).rejects.toThrow("no disk");
    await gated.close();
    expect(fake.closedCount()).toBe(1);
    expect(fake.calls).toEqual([]);
  });

  it("lets a test wrap a port method around the original", async () => {
    const fake = fakeStorage();
    const gated = gateOnMigration(fake.storage);
    fake.finish();
    const sessions = gated.sessions;
    const original = sessions.get.bind(sessions);
    let wrapped = 0;
    sessions.get = async (handle: string) => {
      wrapped++;
      return original(handle);
    };
    expect(await gated.sessions.get("h")).toBe("sessions.get");
    expect(wrapped).toBe(1);
  });

  it("retries an unreachable database with back-off, failing calls fast meanwhile, and opens the gate when it answers", async () => {
    const fake = fakeStorage();
    let attempts = 0;
    let reachable = false;
    (fake.storage as { migrate: () => Promise<void> }).migrate = async () => {
      attempts++;
      if (!reachable) throw new StorageUnavailableError("unreachable", { detail: "connect ECONNREFUSED" });
    };
    const events: string[] = [];
    const gated = gateOnMigration(fake.storage, {
      retry: { firstDelayMs: 5, maxDelayMs: 20 },
      onWaiting: (error, retryInMs, attempt) => events.push(`waiting ${attempt} ${retryInMs} ${error.reason}`),
      onUp: (count) => events.push(`up ${count}`),
    });
    let ready = false;
    void gated.ready.then(() => (ready = true));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(gated.migrationState().kind).toBe("waiting");
    const started = performance.now();
    await expect(gated.users.get("u")).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(performance.now() - started).toBeLessThan(5);
    expect(ready).toBe(false);
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(events.slice(0, 3)).toEqual(["waiting 1 5 unreachable", "waiting 2 10 unreachable", "waiting 3 20 unreachable"]);

    reachable = true;
    await gated.ready;
    expect(gated.migrationState()).toEqual({ kind: "up" });
    expect(events.at(-1)).toBe(`up ${attempts}`);
    expect(await gated.users.get("u")).toBe("users.get");
    await gated.close();
  });

  it("stops retrying on close, and ready then rejects", async () => {
    const fake = fakeStorage();
    (fake.storage as { migrate: () => Promise<void> }).migrate = async () => {
      throw new StorageUnavailableError("busy");
    };
    const gated = gateOnMigration(fake.storage, { retry: { firstDelayMs: 10_000, maxDelayMs: 10_000 } });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await gated.close();
    await expect(gated.ready).rejects.toThrow("closed before the database became reachable");
    expect(fake.closedCount()).toBe(1);
  });
});
