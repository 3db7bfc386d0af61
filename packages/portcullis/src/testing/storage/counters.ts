/** Conformance: fixed-window counters, atomic under concurrency across instances. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CounterStore } from "../../storage/storage.js";
import { NOW, id, type ConformanceFixtures } from "./fixtures.js";

const MINUTE = 60_000;

/** Two stores on the same backing data, as two application processes would have. */
interface CounterPair {
  readonly s: { readonly counters: CounterStore };
  readonly s2: { readonly counters: CounterStore };
  either(i: number): { readonly counters: CounterStore };
}

/** The counters part of the Storage conformance suite, on its two instances. */
export function describeCounterConformance(f: ConformanceFixtures): void {
  describeCounterTests(f);
}

/**
 * The same tests for a CounterStore on its own (e.g. one kept outside the SQL database).
 * @param makeCounters returns a NEW store on the suite's shared backing data (called twice); a
 *   `close` it has is called at the end.
 */
export function describeCounterStoreConformance(name: string, makeCounters: () => Promise<CounterStore & { close?(): Promise<void> }>): void {
  describe(`CounterStore conformance: ${name}`, () => {
    const stores: (CounterStore & { close?(): Promise<void> })[] = [];
    const at = (index: number) => {
      const counters = stores[index];
      if (counters === undefined) throw new Error("Counter conformance store used before beforeAll opened it");
      return { counters };
    };
    beforeAll(async () => {
      stores.push(await makeCounters(), await makeCounters());
    });
    afterAll(async () => {
      for (const store of stores) await store.close?.();
    });
    describeCounterTests({
      get s() {
        return at(0);
      },
      get s2() {
        return at(1);
      },
      either: (i) => at(i % 2),
    });
  });
}

function describeCounterTests(f: CounterPair): void {
  const either = (i: number) => f.either(i);
  describe("counters", () => {
    it("counts within a window and starts a new one once it has closed", async () => {
      const key = id("counter");
      expect(await f.s.counters.get(key, MINUTE, NOW)).toBeUndefined();
      expect(await f.s.counters.increment(key, MINUTE, NOW)).toEqual({ count: 1, windowStartedAt: NOW });
      expect(await f.s2.counters.increment(key, MINUTE, NOW + 10)).toEqual({ count: 2, windowStartedAt: NOW });
      expect(await f.s.counters.increment(key, MINUTE, NOW + MINUTE - 1)).toEqual({ count: 3, windowStartedAt: NOW });
      expect(await f.s2.counters.get(key, MINUTE, NOW + MINUTE - 1)).toEqual({ count: 3, windowStartedAt: NOW });
      // The window [NOW, NOW + MINUTE) has closed.
      expect(await f.s.counters.get(key, MINUTE, NOW + MINUTE)).toBeUndefined();
      expect(await f.s.counters.increment(key, MINUTE, NOW + MINUTE)).toEqual({ count: 1, windowStartedAt: NOW + MINUTE });
    });

    it("keeps keys apart, and reset forgets one key", async () => {
      const a = id("counter");
      const b = id("counter");
      await f.s.counters.increment(a, MINUTE, NOW);
      await f.s.counters.increment(a, MINUTE, NOW);
      await f.s.counters.increment(b, MINUTE, NOW);
      await f.s2.counters.reset(a);
      expect(await f.s.counters.get(a, MINUTE, NOW)).toBeUndefined();
      expect(await f.s.counters.get(b, MINUTE, NOW)).toEqual({ count: 1, windowStartedAt: NOW });
      expect(await f.s.counters.increment(a, MINUTE, NOW + 5)).toEqual({ count: 1, windowStartedAt: NOW + 5 });
      await f.s.counters.reset(id("counter"));
    });

    it("loses no increment: 50 in parallel from two instances count 50", async () => {
      const key = id("counter");
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => either(i).counters.increment(key, MINUTE, NOW)));
      expect(await f.s.counters.get(key, MINUTE, NOW + 1)).toEqual({ count: 50, windowStartedAt: NOW });
      // Each increment saw a distinct value: none of them read a stale count.
      expect(results.map((result) => result.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });

    it("opens exactly one new window when parallel increments find the old one closed", async () => {
      const key = id("counter");
      await f.s.counters.increment(key, MINUTE, NOW);
      await f.s.counters.increment(key, MINUTE, NOW);
      const later = NOW + 2 * MINUTE;
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => either(i).counters.increment(key, MINUTE, later)));
      expect(results.filter((result) => result.count === 1)).toHaveLength(1);
      expect(await f.s2.counters.get(key, MINUTE, later)).toEqual({ count: 20, windowStartedAt: later });
    });

    it("deletes counters whose window opened before a time", async () => {
      const old = id("counter");
      const fresh = id("counter");
      await f.s.counters.increment(old, MINUTE, NOW - 10 * MINUTE);
      await f.s.counters.increment(fresh, MINUTE, NOW);
      expect(await f.s.counters.deleteStartedBefore(NOW - MINUTE)).toBeGreaterThanOrEqual(1);
      expect(await f.s.counters.get(old, 100 * MINUTE, NOW)).toBeUndefined();
      expect(await f.s.counters.get(fresh, MINUTE, NOW)).toEqual({ count: 1, windowStartedAt: NOW });
    });

    it("keeps a count written with a short window for a reader with a longer one", async () => {
      // The limiter stamps the last failure with a 1 ms window and reads it back with the current delay.
      const key = id("counter");
      await f.s.counters.increment(key, 1, NOW);
      expect(await f.s2.counters.get(key, 15 * MINUTE, NOW + 10 * MINUTE)).toEqual({ count: 1, windowStartedAt: NOW });
      expect(await f.s2.counters.get(key, 15 * MINUTE, NOW + 15 * MINUTE)).toBeUndefined();
    });

    it("rejects a window that is not a positive integer", async () => {
      await expect(f.s.counters.increment(id("counter"), 0, NOW)).rejects.toThrow(RangeError);
      await expect(f.s.counters.get(id("counter"), 1.5, NOW)).rejects.toThrow(RangeError);
    });
  });
}
