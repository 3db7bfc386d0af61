/**
 * Messages between the load generator (bench/run.ts, parent) and the server (bench/server.ts,
 * child), over the IPC channel that child_process.fork opens. Every request carries an id and
 * gets exactly one reply with the same id.
 */

/** Event-loop delay as seen by monitorEventLoopDelay, converted to milliseconds. */
export interface LagStats {
  /** Histogram samples; each is the time between two ticks of a timer that asks for `resolutionMs`. */
  count: number;
  /** The timer interval the histogram was created with; an idle loop reads about this much. */
  resolutionMs: number;
  minMs: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** What the server did between a "mark" and the following "read". */
export interface WindowStats {
  lag: LagStats;
  elapsedMs: number;
  /** user + system CPU time of the server process over the window, as a share of one core (1 = 100 %). */
  cpuCores: number;
}

export interface RawVerifyStats {
  verifications: number;
  elapsedMs: number;
  perSecond: number;
  concurrency: number;
}

/** The frameworks whose verifySession() is measured against the same framework's bare route. */
export const FRAMEWORKS = ["express", "fastify", "hono"] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/**
 * Cold vs warm access-token verification, timed in the server process: `count` fresh sessions,
 * verified once (each a miss of the library's verified-token cache) and then twice more (hits);
 * and the bench's own tokens, re-verified after the load, which shows whether they were still cached.
 */
export interface CacheProbeStats {
  count: number;
  /** Mean per verification of the route pairs' tokens, timed before the fresh sessions exist... */
  benchTokensMicros: number;
  /** ...and right after, when every one of them is surely cached. */
  benchTokensAgainMicros: number;
  /** Mean per verification, first sight of each token. */
  coldMicros: number;
  /** Mean per verification, tokens already verified once (the better of two passes). */
  warmMicros: number;
}

export type Request =
  /** Resets the lag histogram and remembers the CPU clock: the start of a measured window. */
  | { id: number; cmd: "mark" }
  /** Stats since the last mark. */
  | { id: number; cmd: "read" }
  /**
   * Waits until this process is idle (under 5 % of a core for two 100 ms windows in a row, at most
   * `maxMs`): requests a finished load run left queued, e.g. sign-ins waiting for a hashing slot,
   * are still being worked off after the load generator closed its sockets.
   */
  | { id: number; cmd: "settle"; maxMs: number }
  /** Creates `count` sessions server-side, spread over `userIds` in turn; replies with their access tokens. */
  | { id: number; cmd: "create-sessions"; userIds: string[]; count: number }
  /** Times `benchTokens`' verification, then `count` fresh sessions' cold and warm (see CacheProbeStats). */
  | { id: number; cmd: "cache-probe"; benchTokens: string[]; userIds: string[]; count: number }
  /** Runs raw argon2id verifications in this process for `durationMs`, `concurrency` in flight. */
  | { id: number; cmd: "raw-verify"; durationMs: number; concurrency: number }
  /** Closes the HTTP server and the database, then exits. */
  | { id: number; cmd: "shutdown" };

export type Reply =
  | { id: number; ok: true; window?: WindowStats; raw?: RawVerifyStats; settledAfterMs?: number; tokens?: string[]; cacheProbe?: CacheProbeStats }
  | { id: number; ok: false; error: string };

/** First message the child sends, once it accepts connections. */
export interface ReadyMessage {
  type: "ready";
  /** Express's port; its origin is the appInfo's apiDomain. */
  port: number;
  /** Where each framework's app listens (the same Portcullis instance behind all three). */
  ports: Record<Framework, number>;
  node: string;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  maxConcurrent: number;
  uvThreadpoolSize: string;
}

/** Argon2id parameters the library uses by default; the raw loop hashes with exactly these. */
export const ARGON2_PARAMS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
