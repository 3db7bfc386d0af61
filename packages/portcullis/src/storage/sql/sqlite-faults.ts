/**
 * What SQLite's errors mean for availability, and the wait for another process's write lock.
 * better-sqlite3 is synchronous: SQLite's own busy_timeout waits INSIDE the call, blocking the
 * event loop for all of it (stateless routes included). So each attempt waits only
 * SQLITE_BUSY_TIMEOUT_MS, and the wait between attempts is an async sleep.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { driverDetail, StorageUnavailableError, type StorageUnavailableReason } from "../storage-errors.js";
import { errorCode } from "./dialect.js";

/** The longest one attempt may block the event loop waiting for a lock. */
export const SQLITE_BUSY_TIMEOUT_MS = 5;
/** How long a call waits for another process's lock, in all, before answering "busy" (503). */
export const DEFAULT_SQLITE_LOCK_WAIT_MS = 5_000;
const FIRST_RETRY_DELAY_MS = 2;
const MAX_RETRY_DELAY_MS = 100;

/** SQLITE_BUSY / SQLITE_LOCKED in any of their extended forms: another connection holds the lock. */
export function isSqliteLocked(error: unknown): boolean {
  const code = errorCode(error);
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

function sqliteUnavailableReason(error: unknown): StorageUnavailableReason | undefined {
  const code = errorCode(error);
  if (typeof code !== "string") return undefined;
  if (isSqliteLocked(error)) return "busy";
  if (code === "SQLITE_FULL" || code === "ENOSPC") return "full";
  if (code.startsWith("SQLITE_READONLY") || code === "EROFS" || code === "EACCES" || code === "EPERM") return "read-only";
  if (code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_CANTOPEN") || code === "EIO") return "io";
  return undefined;
}

/** The error as StorageUnavailableError when it is an outage, else unchanged. */
export function classifySqliteError(error: unknown): unknown {
  if (StorageUnavailableError.is(error)) return error;
  const reason = sqliteUnavailableReason(error);
  return reason === undefined ? error : new StorageUnavailableError(reason, { cause: error, detail: driverDetail(error) });
}

/**
 * Runs `attempt` until it does not fail on a lock, sleeping 2 ms doubling to 100 ms between
 * tries, for at most `maxWaitMs` since `startedAt` (time spent queued behind this process's own
 * writers counts). Safe only for work that a lock error leaves undone: one statement, or a whole
 * transaction that was rolled back. A caller whose time ran out while queued fails without
 * trying, so a queue of late writers cannot block the loop one attempt after another.
 */
export async function retryWhileLocked<T>(attempt: () => Promise<T>, maxWaitMs: number, startedAt: number = performance.now()): Promise<T> {
  const gaveUp = (cause: unknown) =>
    new StorageUnavailableError("busy", { cause, detail: `the database file stayed locked by another connection for ${Math.round(performance.now() - startedAt)} ms` });
  if (performance.now() - startedAt > maxWaitMs) throw gaveUp(undefined);
  for (let delay = FIRST_RETRY_DELAY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isSqliteLocked(error)) throw error;
      if (performance.now() - startedAt + delay > maxWaitMs) throw gaveUp(error);
      await sleep(delay);
    }
  }
}
