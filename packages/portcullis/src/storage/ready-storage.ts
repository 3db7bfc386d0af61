import { StorageUnavailableError } from "./storage-errors.js";
import type { Storage } from "./storage.js";

/** Where the one migration run stands. */
export type MigrationState =
  | { kind: "migrating" }
  /** The database was out of reach; another attempt is due. */
  | { kind: "waiting"; error: StorageUnavailableError }
  | { kind: "up" }
  /** A failure that waiting will not fix (bad SQL, wrong credentials): every call fails with it. */
  | { kind: "failed"; error: unknown };

export interface MigrationGateOptions {
  /** Called when an attempt finds the database out of reach, with the delay before the next one. */
  onWaiting?(error: StorageUnavailableError, retryInMs: number, attempt: number): void;
  /** Called when the migration succeeded after at least one such wait. */
  onUp?(attempts: number): void;
  /** Back-off between attempts: `firstDelayMs` doubling to `maxDelayMs`. Default 250 ms to 10 s. */
  retry?: { firstDelayMs: number; maxDelayMs: number };
}

export type ReadyStorage = Storage & {
  /** Resolves once the migration succeeded; rejects only on a failure that waiting will not fix. */
  readonly ready: Promise<void>;
  migrationState(): MigrationState;
};

/**
 * `init()` is synchronous (as in the SDK) but migrations are not: every call on any port first
 * waits for the migration. While the database is out of reach (StorageUnavailableError) the
 * migration is retried with back-off, and calls fail fast with that error (503) instead of
 * hanging; once it succeeds they go through. Any other failure is final: every call fails with
 * that error, loudly.
 *
 * Generic over the ports: each port object is wrapped in a Proxy whose methods await the gate,
 * so a new port or method needs no change here.
 */
export function gateOnMigration(storage: Storage, options: MigrationGateOptions = {}): ReadyStorage {
  const { firstDelayMs, maxDelayMs } = options.retry ?? { firstDelayMs: 250, maxDelayMs: 10_000 };
  let state: MigrationState = { kind: "migrating" };
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wakeUp: (() => void) | undefined;
  let settle!: { resolve: () => void; reject: (error: unknown) => void };
  const ready = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Surfaced by the first call that awaits it; avoid an unhandled rejection before then.
  ready.catch(() => undefined);

  const loop = (async () => {
    for (let attempt = 1, delay = firstDelayMs; ; attempt++, delay = Math.min(delay * 2, maxDelayMs)) {
      try {
        await storage.migrate();
        state = { kind: "up" };
        if (attempt > 1) options.onUp?.(attempt);
        settle.resolve();
        return;
      } catch (error) {
        if (closed || !StorageUnavailableError.is(error)) {
          state = { kind: "failed", error };
          settle.reject(error);
          return;
        }
        state = { kind: "waiting", error };
        options.onWaiting?.(error, delay, attempt);
        await new Promise<void>((resolve) => {
          wakeUp = resolve;
          timer = setTimeout(resolve, delay);
        });
        if (closed) {
          state = { kind: "failed", error: new Error("Storage closed before the database became reachable", { cause: error }) };
          settle.reject(state.error);
          return;
        }
      }
    }
  })();

  // The first attempt is awaited: at start-up the database is usually about to answer. After an
  // outage, calls fail at once with it rather than queue behind a retry that may take seconds.
  const gate = async (): Promise<void> => {
    if (state.kind === "up") return;
    if (state.kind === "waiting") throw state.error;
    await ready;
  };

  const gatedPorts = new Map<PropertyKey, object>();
  return new Proxy(storage as ReadyStorage, {
    get(target, property) {
      if (property === "ready") return ready;
      if (property === "migrationState") return () => state;
      if (property === "migrate") return () => ready;
      if (property === "ping") {
        return async () => {
          await gate();
          await target.ping();
        };
      }
      if (property === "close") {
        return async () => {
          closed = true;
          clearTimeout(timer);
          wakeUp?.();
          await loop;
          await target.close();
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "object" || value === null) return value;
      let gated = gatedPorts.get(property);
      if (gated === undefined) {
        gated = gatePort(value, gate);
        gatedPorts.set(property, gated);
      }
      return gated;
    },
  });
}

function gatePort(port: object, gate: () => Promise<void>): object {
  return new Proxy(port, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      // The method is read now, not at call time, so a test that swaps a method for a wrapper
      // calling the original (read through this proxy) does not call itself.
      return async (...args: unknown[]) => {
        await gate();
        return (value as (...args: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
