/**
 * The counters port on Redis, for deployments that want the abuse-limit counters shared by many
 * instances without writing them to the SQL database. Optional: the `redis` package (node-redis)
 * is loaded on first use, only when `limits.store.redis` is configured.
 *
 * Each counter is a hash `{ n: hits, s: windowStartedAt }` under `keyPrefix + key`. An increment
 * is one Lua script, which Redis runs atomically, with the SQL store's fixed-window rule: a key
 * that is new, or whose window has closed by `now`, opens a new window at `now` with count 1.
 */
import { createHash } from "node:crypto";
import { loadDriver } from "../../core/load-driver.js";
import type { CounterValue } from "../records.js";
import type { CounterStore } from "../storage.js";
import { driverDetail, StorageUnavailableError, type StorageUnavailableReason } from "../storage-errors.js";

/**
 * What Portcullis needs of a client you pass in: node-redis's `createClient()` result, connected,
 * fits. Portcullis neither connects nor closes a client it did not create.
 */
export interface RedisClientLike {
  sendCommand(args: string[]): Promise<unknown>;
  readonly isReady: boolean;
}

/** `limits.store`: where the abuse-limit counters live instead of the SQL database. */
export interface RedisCounterStoreOptions {
  /** A `redis://` or `rediss://` URL (Portcullis creates, connects and closes the client), or a connected client of yours. */
  redis: string | RedisClientLike;
  /** Prepended to every key, so several apps (or test runs) can share one Redis. Default `portcullis:`; must not be empty. */
  keyPrefix?: string;
  /** A command that has no answer within this many ms counts as an outage. Default 1000. */
  commandTimeoutMs?: number;
}

export interface RedisCounterStoreDependencies {
  /**
   * How long a counter outlives the opening of its window, at least: the longest window any reader
   * uses (a key written with a 1 ms window may be read with a 15-minute one). Default 24 h.
   */
  retentionMs?: number;
  /** Called once when the connection fails, and again only after it was back up. */
  onConnectionError?: (error: unknown) => void;
}

export interface RedisCounterStore extends CounterStore {
  /** Closes the client if Portcullis created it; a client passed in is left open. */
  close(): Promise<void>;
}

const DAY = 24 * 60 * 60 * 1000;
const DEFAULT_PREFIX = "portcullis:";
const DEFAULT_TIMEOUT_MS = 1000;
const SCAN_BATCH = 500;

/** KEYS[1]; ARGV: windowMs, now, retentionMs. Returns { count, windowStartedAt }. */
const INCREMENT_SCRIPT = `
local started = redis.call('HGET', KEYS[1], 's')
if started == false or tonumber(started) + tonumber(ARGV[1]) <= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'n', 1, 's', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {1, ARGV[2]}
end
return {redis.call('HINCRBY', KEYS[1], 'n', 1), started}
`;

/** KEYS: candidate counters; ARGV[1]: startedBefore. Deletes those whose window opened earlier; returns how many. */
const DELETE_BEFORE_SCRIPT = `
local deleted = 0
for _, key in ipairs(KEYS) do
  if redis.call('TYPE', key).ok == 'hash' then
    local started = tonumber(redis.call('HGET', key, 's'))
    if started ~= nil and started < tonumber(ARGV[1]) then
      redis.call('DEL', key)
      deleted = deleted + 1
    end
  end
end
return deleted
`;

interface Script {
  source: string;
  sha: string;
}

const script = (source: string): Script => ({ source, sha: createHash("sha1").update(source).digest("hex") });

export function createRedisCounterStore(options: RedisCounterStoreOptions, deps: RedisCounterStoreDependencies = {}): RedisCounterStore {
  const settings = checkOptions(options);
  const retentionMs = deps.retentionMs ?? DAY;
  const increment = script(INCREMENT_SCRIPT);
  const deleteBefore = script(DELETE_BEFORE_SCRIPT);
  const connection = new Connection(settings.redis, settings.commandTimeoutMs, deps.onConnectionError);
  const keyOf = (key: string) => settings.keyPrefix + key;

  async function evalScript(which: Script, keys: string[], args: string[]): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await connection.send(["EVALSHA", which.sha, ...tail]);
    } catch (error) {
      // The server has not cached the script yet (first use, restart, SCRIPT FLUSH): send it whole once.
      if (!isReplyError(error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return connection.send(["EVAL", which.source, ...tail]);
    }
  }

  return {
    async increment(key, windowMs, now) {
      checkWindow(windowMs);
      const reply = (await evalScript(increment, [keyOf(key)], [String(windowMs), String(now), String(Math.max(windowMs, retentionMs))])) as [unknown, unknown];
      return { count: Number(reply[0]), windowStartedAt: Number(reply[1]) };
    },

    async get(key, windowMs, now) {
      checkWindow(windowMs);
      const [hits, started] = (await connection.send(["HMGET", keyOf(key), "n", "s"])) as [string | null, string | null];
      if (hits === null || started === null) return undefined;
      const value: CounterValue = { count: Number(hits), windowStartedAt: Number(started) };
      return value.windowStartedAt + windowMs <= now ? undefined : value;
    },

    async reset(key) {
      await connection.send(["DEL", keyOf(key)]);
    },

    /**
     * Redis forgets a counter by itself `retentionMs` after its window opened (PEXPIRE), so this is
     * needed only to forget sooner. It walks this prefix's keys with SCAN (incremental, never
     * blocking Redis) and deletes, atomically per batch, those whose window opened before the time.
     */
    async deleteStartedBefore(startedBefore) {
      const pattern = `${escapeGlob(settings.keyPrefix)}*`;
      let cursor = "0";
      let deleted = 0;
      do {
        const [next, keys] = (await connection.send(["SCAN", cursor, "MATCH", pattern, "COUNT", String(SCAN_BATCH)])) as [string, string[]];
        cursor = String(next);
        if (keys.length > 0) deleted += Number(await evalScript(deleteBefore, keys, [String(startedBefore)]));
      } while (cursor !== "0");
      return deleted;
    },

    close: () => connection.close(),
  };
}

/**
 * One client, created on first use from a URL (or the app's own). Commands never wait for a
 * reconnection: with Redis down, a call fails at once (or after the timeout) with
 * StorageUnavailableError, which the engine answers with 503.
 */
class Connection {
  private client: Promise<RedisClientLike> | undefined;
  private owned: { close(): Promise<unknown>; destroy(): void; readonly isOpen: boolean } | undefined;
  private reported = false;
  private closed = false;

  constructor(
    private readonly source: string | RedisClientLike,
    private readonly timeoutMs: number,
    private readonly onConnectionError: ((error: unknown) => void) | undefined,
  ) {}

  async send(args: string[]): Promise<unknown> {
    if (this.closed) throw new Error("counters: the Redis counter store is closed");
    const client = await this.withTimeout(this.ready(), "no connection to Redis");
    if (!client.isReady) throw new StorageUnavailableError("unreachable", { detail: "Redis is not connected" });
    try {
      return await this.withTimeout(client.sendCommand(args), `no answer from Redis to ${args[0]}`);
    } catch (error) {
      throw classify(error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const owned = this.owned;
    this.owned = undefined;
    if (owned === undefined) return;
    // A clean QUIT when connected; otherwise stop the reconnection attempts.
    if (owned.isOpen) await owned.close().catch(() => owned.destroy());
    else owned.destroy();
  }

  /** Resolves once the first connection is up; later outages are seen through isReady. */
  private ready(): Promise<RedisClientLike> {
    if (typeof this.source !== "string") return Promise.resolve(this.source);
    this.client ??= this.connect(this.source);
    return this.client;
  }

  private async connect(url: string): Promise<RedisClientLike> {
    const { createClient } = await loadDriver("redis");
    const client = createClient({
      url,
      // Fail commands while disconnected instead of queueing them for an unknown time.
      disableOfflineQueue: true,
      socket: { connectTimeout: this.timeoutMs, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5000) },
    });
    // Without a listener an 'error' event would crash the process.
    client.on("error", (error: unknown) => {
      if (this.reported) return;
      this.reported = true;
      this.onConnectionError?.(error);
    });
    client.on("ready", () => {
      this.reported = false;
    });
    this.owned = client;
    const connected = client.connect().then(() => client as unknown as RedisClientLike);
    // The first attempt may fail; the client keeps retrying and `connected` resolves when it succeeds.
    connected.catch(() => undefined);
    return connected;
  }

  private withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StorageUnavailableError("unreachable", { detail: `${what} within ${this.timeoutMs} ms` })), this.timeoutMs);
      timer.unref();
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}

/** Errors Redis answered with (`ERR …`, `NOSCRIPT …`), as opposed to connection failures. */
function isReplyError(error: unknown): error is Error {
  for (let proto: unknown = error; proto !== null && typeof proto === "object"; proto = Object.getPrototypeOf(proto)) {
    if ((proto as { constructor?: { name?: string } }).constructor?.name === "ErrorReply") return true;
  }
  return false;
}

const REPLY_OUTAGES: [RegExp, StorageUnavailableReason][] = [
  [/^OOM\b/, "full"],
  [/^READONLY\b/, "read-only"],
  [/^(BUSY|TRYAGAIN)\b/, "busy"],
  [/^(LOADING|MASTERDOWN|CLUSTERDOWN)\b/, "unreachable"],
];

/** Outages become StorageUnavailableError (503); other replies (a bug) pass through unchanged. */
function classify(error: unknown): unknown {
  if (StorageUnavailableError.is(error)) return error;
  if (isReplyError(error)) {
    const match = REPLY_OUTAGES.find(([pattern]) => pattern.test(error.message));
    return match === undefined ? error : new StorageUnavailableError(match[1], { cause: error, detail: `Redis: ${driverDetail(error)}` });
  }
  return new StorageUnavailableError("unreachable", { cause: error, detail: `Redis: ${driverDetail(error)}` });
}

function checkOptions(options: RedisCounterStoreOptions): Required<RedisCounterStoreOptions> {
  const { redis, keyPrefix = DEFAULT_PREFIX, commandTimeoutMs = DEFAULT_TIMEOUT_MS } = options ?? ({} as RedisCounterStoreOptions);
  if (typeof redis === "string") {
    if (!/^rediss?:\/\//.test(redis)) throw new Error("limits.store.redis must be a redis:// or rediss:// URL, or a connected node-redis client");
  } else if (typeof redis !== "object" || redis === null || typeof redis.sendCommand !== "function") {
    throw new Error("limits.store.redis must be a redis:// or rediss:// URL, or a connected node-redis client");
  }
  if (typeof keyPrefix !== "string" || keyPrefix === "") throw new Error("limits.store.keyPrefix must be a non-empty string");
  if (!Number.isSafeInteger(commandTimeoutMs) || commandTimeoutMs < 1) throw new Error("limits.store.commandTimeoutMs must be a positive integer");
  return { redis, keyPrefix, commandTimeoutMs };
}

function checkWindow(windowMs: number): void {
  if (!Number.isSafeInteger(windowMs) || windowMs < 1) throw new RangeError("counters: windowMs must be a positive integer");
}

/** SCAN's MATCH is a glob: a prefix is matched literally. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}
