import { describe, expect, it } from "vitest";
import { leaseLock, processLock, type LeaseTiming, type RefreshLock, type SharedStorage } from "./refresh-lock.js";

function sharedMap(): SharedStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

const fast: LeaseTiming = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)), leaseMs: 5_000, settleMs: 5, pollMs: 5 };

/** Runs tasks through the locks at once and records the largest number inside a critical section together. */
async function maxConcurrency(locks: RefreshLock[], tasksPerLock: number): Promise<number> {
  let inside = 0;
  let max = 0;
  const runs = locks.flatMap((lock) =>
    Array.from({ length: tasksPerLock }, () =>
      lock.withLock(async () => {
        inside++;
        max = Math.max(max, inside);
        await new Promise((r) => setTimeout(r, 3));
        inside--;
      }),
    ),
  );
  await Promise.all(runs);
  return max;
}

describe("refresh locks", () => {
  it("processLock runs one task at a time and survives a failing task", async () => {
    const lock = processLock();
    expect(await maxConcurrency([lock], 5)).toBe(1);
    await expect(lock.withLock(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await lock.withLock(async () => "after")).toBe("after");
  });

  it("two lease locks on one shared storage (two tabs) never overlap, and release the lease", async () => {
    const shared = sharedMap();
    const tabs = [leaseLock(shared, "refresh", fast), leaseLock(shared, "refresh", fast)];
    expect(await maxConcurrency(tabs, 3)).toBe(1);
    expect(shared.items.size).toBe(0);
  });

  it("takes over a lease its holder never released once it has expired", async () => {
    const shared = sharedMap();
    shared.setItem("refresh.lease", JSON.stringify({ owner: "a closed tab", expires: Date.now() + 40 }));
    const started = Date.now();
    expect(await leaseLock(shared, "refresh", fast).withLock(async () => "ran")).toBe("ran");
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });
});
