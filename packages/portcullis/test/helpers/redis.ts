/**
 * Redis for the tests that use it: a random key prefix per suite, and only those keys deleted
 * afterwards (other suites and processes may share the server).
 */
import { randomBytes } from "node:crypto";
import { createClient } from "redis";

export const REDIS_URL = process.env["PORTCULLIS_TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379";

/** Whether Redis answers; under CI=true its absence is a failure, never a silent skip. */
export async function redisAvailable(): Promise<boolean> {
  const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 1000, reconnectStrategy: false } });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (process.env["CI"] === "true") throw new Error(`Redis is required under CI but not reachable at ${REDIS_URL}: ${String(error)}`);
    console.warn(`[tests] Redis not reachable at ${REDIS_URL}; skipping the Redis tests`);
    return false;
  } finally {
    if (client.isOpen) await client.close().catch(() => client.destroy());
  }
}

export function testKeyPrefix(): string {
  return `portcullis-test:${randomBytes(6).toString("hex")}:`;
}

/** Deletes every key under `prefix` (which testKeyPrefix made unique to one suite). */
export async function deleteKeys(prefix: string): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
    if (keys.length > 0) await client.del(keys);
  } finally {
    await client.close();
  }
}

/** A connected client of the test's own, as an app would pass in `limits.store.redis`. */
export async function connectedClient() {
  const client = createClient({ url: REDIS_URL, disableOfflineQueue: true });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}
