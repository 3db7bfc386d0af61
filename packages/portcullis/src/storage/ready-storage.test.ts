import { describe, expect, it } from "vitest";
import { gateOnMigration } from "./ready-storage.js";
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
});
