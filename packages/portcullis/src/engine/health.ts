import { performance } from "node:perf_hooks";
import type { BaseResponse } from "../http/base-response.js";
import type { ReadyStorage } from "../storage/ready-storage.js";
import { StorageUnavailableError } from "../storage/storage-errors.js";

/** What `auth.health()` and `GET <apiBasePath>/health` report. */
export interface HealthReport {
  /** OK: the database answers and migrations ran. UNAVAILABLE: requests that need it get 503. */
  status: "OK" | "UNAVAILABLE";
  /** Why not OK, for operators (no host names, paths or credentials). */
  message?: string;
  /** With UNAVAILABLE: seconds before asking again is worthwhile. */
  retryAfterSeconds?: number;
}

/** A load balancer may probe every instance many times a second; one database round trip per second is enough. */
const CACHE_MS = 1_000;
/** A probe must answer even when the database does not (a black-holed host); slower than this is down. */
const PING_TIMEOUT_MS = 2_000;

/**
 * The health check: the migration state, then a ping, cached for a second and shared by
 * concurrent probes. Real elapsed time, not the injected clock: this is about the database now.
 */
export function createHealthCheck(storage: ReadyStorage): () => Promise<HealthReport> {
  let cached: { at: number; report: Promise<HealthReport> } | undefined;
  return () => {
    const now = performance.now();
    if (cached === undefined || now - cached.at >= CACHE_MS) cached = { at: now, report: probe(storage) };
    return cached.report;
  };
}

async function probe(storage: ReadyStorage): Promise<HealthReport> {
  const state = storage.migrationState();
  if (state.kind === "migrating") return { status: "UNAVAILABLE", message: "Starting: applying migrations", retryAfterSeconds: 1 };
  if (state.kind === "waiting") return unavailable(state.error);
  if (state.kind === "failed") return { status: "UNAVAILABLE", message: "Migrations failed; see the server log", retryAfterSeconds: 30 };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StorageUnavailableError("unreachable", { detail: `no answer within ${PING_TIMEOUT_MS} ms` })), PING_TIMEOUT_MS);
  });
  try {
    await Promise.race([storage.ping(), timeout]);
    return { status: "OK" };
  } catch (error) {
    return StorageUnavailableError.is(error) ? unavailable(error) : { status: "UNAVAILABLE", message: "The database check failed; see the server log", retryAfterSeconds: 5 };
  } finally {
    clearTimeout(timer);
  }
}

function unavailable(error: StorageUnavailableError): HealthReport {
  return { status: "UNAVAILABLE", message: error.publicMessage, retryAfterSeconds: error.retryAfterSeconds };
}

/** 200 `{ status: "OK" }`, or 503 `{ status: "UNAVAILABLE", message }` with Retry-After. */
export function sendHealth(report: HealthReport, res: BaseResponse): void {
  if (report.status === "OK") {
    res.setStatusCode(200);
    res.sendJSONResponse({ status: "OK" });
    return;
  }
  res.setHeader("Retry-After", String(report.retryAfterSeconds ?? 5), false);
  res.setStatusCode(503);
  res.sendJSONResponse({ status: "UNAVAILABLE", message: report.message });
}
