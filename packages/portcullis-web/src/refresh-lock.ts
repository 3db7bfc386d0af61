/**
 * Serialises session refreshes so only one is in flight: across tabs with the Web Locks API, else
 * with a lease in localStorage, else within this JavaScript realm only.
 */
export interface RefreshLock {
  withLock<T>(task: () => Promise<T>): Promise<T>;
}

interface WebLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** A storage every tab of the origin shares, used synchronously (localStorage). */
export interface SharedStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function createRefreshLock(name: string, shared: SharedStorage | undefined): RefreshLock {
  const locks = (globalThis as { navigator?: { locks?: WebLocks } }).navigator?.locks;
  if (locks !== undefined && typeof locks.request === "function") return webLock(locks, name);
  if (shared !== undefined) return leaseLock(shared, name);
  return processLock();
}

function webLock(locks: WebLocks, name: string): RefreshLock {
  return { withLock: (task) => locks.request(name, task) };
}

/** A mutex for one realm: each task starts after the previous one settled. */
export function processLock(): RefreshLock {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    withLock<T>(task: () => Promise<T>): Promise<T> {
      const run = tail.then(task, task);
      tail = run.catch(() => undefined);
      return run;
    },
  };
}

export interface LeaseTiming {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** How long a lease lasts if its holder dies without releasing it. */
  leaseMs: number;
  /** Wait between writing a lease and reading it back: a tab that wrote at the same moment overwrites ours in that window. */
  settleMs: number;
  pollMs: number;
}

const DEFAULT_TIMING: LeaseTiming = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  leaseMs: 10_000,
  settleMs: 30,
  pollMs: 50,
};

/**
 * A lease in shared storage: write {owner, expires}, wait, read it back; whoever's write survived
 * holds it. Expired leases are taken over, so a closed tab cannot block refreshes for long.
 */
export function leaseLock(shared: SharedStorage, name: string, timing: LeaseTiming = DEFAULT_TIMING): RefreshLock {
  const key = `${name}.lease`;
  const local = processLock();
  const owner = `${timing.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

  const holder = (): { owner: string; expires: number } | undefined => {
    try {
      const lease = JSON.parse(shared.getItem(key) ?? "null") as { owner?: unknown; expires?: unknown } | null;
      if (lease !== null && typeof lease.owner === "string" && typeof lease.expires === "number") return { owner: lease.owner, expires: lease.expires };
    } catch {
      // A garbled lease is as good as none.
    }
    return undefined;
  };

  async function acquire(): Promise<void> {
    for (;;) {
      const current = holder();
      if (current === undefined || current.expires <= timing.now()) {
        shared.setItem(key, JSON.stringify({ owner, expires: timing.now() + timing.leaseMs }));
        await timing.sleep(timing.settleMs);
        if (holder()?.owner === owner) return;
      }
      await timing.sleep(timing.pollMs);
    }
  }

  return {
    withLock: (task) =>
      local.withLock(async () => {
        await acquire();
        try {
          return await task();
        } finally {
          if (holder()?.owner === owner) shared.removeItem(key);
        }
      }),
  };
}
