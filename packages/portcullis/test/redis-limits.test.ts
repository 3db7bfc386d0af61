/**
 * Abuse limits with their counters in Redis (`limits.store.redis`): two instances on two different
 * SQLite files share the sign-in throttle through one Redis, nothing is counted in SQL, and an
 * unreachable Redis makes the limited routes answer 503 (fail closed) while the others go on.
 * @see issue #6
 */
import { afterAll, describe, expect, it } from "vitest";
import { sqliteFileDatabase, type TestDatabase } from "./helpers/databases.js";
import { connectedClient, deleteKeys, redisAvailable, REDIS_URL, testKeyPrefix } from "./helpers/redis.js";
import { credentials, startTestApp, type TestApp } from "./helpers/test-app.js";

const available = await redisAvailable();
const keyPrefix = testKeyPrefix();
const databases: TestDatabase[] = [];
const apps: TestApp[] = [];

afterAll(async () => {
  for (const app of apps) await app.close();
  for (const database of databases) await database.cleanup();
  if (available) await deleteKeys(keyPrefix);
});

async function start(store: { redis: string; keyPrefix?: string; commandTimeoutMs?: number }): Promise<TestApp> {
  const database = sqliteFileDatabase();
  databases.push(database);
  const app = await startTestApp({ database: database.url, limits: { store } });
  apps.push(app);
  return app;
}

const signIn = (app: TestApp, email: string, password: string) => app.client().post("/auth/signin", credentials(email, password));

describe.runIf(available)("abuse limits in Redis", () => {
  it("shares the per-account throttle between instances on different databases, and counts nothing in SQL", async () => {
    const a = await start({ redis: REDIS_URL, keyPrefix });
    const b = await start({ redis: REDIS_URL, keyPrefix });
    const email = `redis-${Date.now()}@example.com`;
    // The same account on both instances' own databases.
    for (const app of [a, b]) expect((await app.client().post("/auth/signup", credentials(email, "rightpassword1"))).body.status).toBe("OK");

    for (let i = 0; i < 5; i++) expect((await signIn(a, email, "wrongpassword")).body.status).toBe("WRONG_CREDENTIALS_ERROR");
    // Instance B never saw a failure, yet it makes the sixth attempt wait: the count is in Redis.
    const fromB = await signIn(b, email, "wrongpassword");
    expect(fromB.body.status).toBe("GENERAL_ERROR");
    expect(Number(fromB.headers.get("retry-after"))).toBe(2);
    expect((await signIn(b, email, "rightpassword1")).body.status).toBe("GENERAL_ERROR");

    // Neither SQL database holds a counter; Redis holds them, under the prefix, keyed by hashes only.
    for (const app of [a, b]) expect(await app.auth.engine.storage.counters.deleteStartedBefore(Number.MAX_SAFE_INTEGER)).toBe(0);
    const client = await connectedClient();
    try {
      const keys: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `${keyPrefix}*`, COUNT: 500 })) keys.push(...batch);
      expect(keys.length).toBeGreaterThanOrEqual(2);
      for (const key of keys) expect(key).toMatch(new RegExp(`^${keyPrefix}[a-z-]+:password:[0-9a-f]{64}$`));
    } finally {
      await client.close();
    }

    // Once the wait is over the owner signs in through B, which clears the count for A too.
    b.clock.advance(2_000);
    expect((await signIn(b, email, "rightpassword1")).body.status).toBe("OK");
    a.clock.advance(2_000);
    for (let i = 0; i < 5; i++) expect((await signIn(a, email, "wrongpassword")).body.status).toBe("WRONG_CREDENTIALS_ERROR");
    expect((await signIn(b, email, "wrongpassword")).body.status).toBe("GENERAL_ERROR");
  });
});

describe("abuse limits in an unreachable Redis", () => {
  it("answer 503 with Retry-After on limited routes (fail closed), never 500, and leave the others alone", async () => {
    const app = await start({ redis: "redis://127.0.0.1:1", keyPrefix: "unreachable:", commandTimeoutMs: 300 });
    const email = `redis-down-${Date.now()}@example.com`;
    // Sign-up counts nothing, so it works without Redis.
    expect((await app.client().post("/auth/signup", credentials(email, "rightpassword1"))).body.status).toBe("OK");
    for (const password of ["wrongpassword", "rightpassword1"]) {
      const response = await signIn(app, email, password);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(response.body).toEqual({ message: expect.stringMatching(/unreachable/) });
    }
  });
});
