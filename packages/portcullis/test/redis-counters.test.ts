/**
 * The Redis counter store passes the counters conformance suite the SQL store passes, from two
 * clients (its own, from a URL, and an app's connected client), and turns an unreachable Redis
 * into StorageUnavailableError within its timeout.
 * @see issue #6
 */
import { afterAll, describe, expect, it } from "vitest";
import { createRedisCounterStore } from "../src/storage/redis/redis-counter-store.js";
import { StorageUnavailableError } from "../src/storage/storage-errors.js";
import { describeCounterStoreConformance } from "../src/testing/storage/counters.js";
import { connectedClient, deleteKeys, redisAvailable, REDIS_URL, testKeyPrefix } from "./helpers/redis.js";

const available = await redisAvailable();
const keyPrefix = testKeyPrefix();

describe.runIf(available)("Redis counter store", () => {
  const clients: Awaited<ReturnType<typeof connectedClient>>[] = [];
  afterAll(async () => {
    for (const client of clients) await client.close();
    await deleteKeys(keyPrefix);
  });

  let made = 0;
  describeCounterStoreConformance("Redis", async () => {
    // One store on a URL (its own client), the other on a client the app connected itself.
    if (made++ % 2 === 0) return createRedisCounterStore({ redis: REDIS_URL, keyPrefix });
    const client = await connectedClient();
    clients.push(client);
    return createRedisCounterStore({ redis: client, keyPrefix });
  });

  it("stores one hash per counter under the prefix, which expires with the retention", async () => {
    const store = createRedisCounterStore({ redis: REDIS_URL, keyPrefix }, { retentionMs: 60_000 });
    const client = await connectedClient();
    clients.push(client);
    try {
      await store.increment("shape", 1000, 5_000);
      expect(await client.hGetAll(`${keyPrefix}shape`)).toEqual({ n: "1", s: "5000" });
      const ttl = await client.pTTL(`${keyPrefix}shape`);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      await store.close();
    }
  });

  it("reloads its script after SCRIPT FLUSH", async () => {
    const store = createRedisCounterStore({ redis: REDIS_URL, keyPrefix });
    const client = await connectedClient();
    clients.push(client);
    try {
      await store.increment("flush", 1000, 1);
      await client.scriptFlush();
      expect(await store.increment("flush", 1000, 2)).toEqual({ count: 2, windowStartedAt: 1 });
    } finally {
      await store.close();
    }
  });
});

describe("Redis counter store, Redis unreachable", () => {
  it("fails with StorageUnavailableError within the command timeout, never hangs", async () => {
    // Port 1 on localhost refuses connections.
    const store = createRedisCounterStore({ redis: "redis://127.0.0.1:1", keyPrefix: "unreachable:", commandTimeoutMs: 300 });
    try {
      const started = performance.now();
      const error = await store.increment("k", 1000, 1).catch((caught: unknown) => caught);
      expect(StorageUnavailableError.is(error)).toBe(true);
      expect((error as StorageUnavailableError).reason).toBe("unreachable");
      expect(performance.now() - started).toBeLessThan(2000);
      await expect(store.get("k", 1000, 1)).rejects.toSatisfy(StorageUnavailableError.is);
    } finally {
      await store.close();
    }
  });

  it("refuses a malformed configuration at once", () => {
    expect(() => createRedisCounterStore({ redis: "http://127.0.0.1:6379" })).toThrow(/redis:\/\//);
    expect(() => createRedisCounterStore({ redis: REDIS_URL, keyPrefix: "" })).toThrow(/keyPrefix/);
  });
});
