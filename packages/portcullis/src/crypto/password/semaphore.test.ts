import { describe, expect, it } from "vitest";
import { createSemaphore, HashingOverloadedError } from "./semaphore.js";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("createSemaphore", () => {
  it("never runs more than maxConcurrent tasks at once", async () => {
    const semaphore = createSemaphore({ maxConcurrent: 3, maxQueued: 100 });
    let inFlight = 0;
    let peak = 0;
    const fakeHash = async (i: number): Promise<number> => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 1 + (i % 5)));
      inFlight -= 1;
      return i;
    };

    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => semaphore.run(() => fakeHash(i))));

    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(peak).toBe(3);
    expect(semaphore.running).toBe(0);
    expect(semaphore.queued).toBe(0);
  });

  it("starts waiting tasks in arrival order", async () => {
    const semaphore = createSemaphore({ maxConcurrent: 1, maxQueued: 10 });
    const gate = deferred();
    const started: number[] = [];
    const first = semaphore.run(async () => {
      started.push(0);
      await gate.promise;
    });
    const rest = [1, 2, 3, 4].map((i) =>
      semaphore.run(async () => {
        started.push(i);
      }),
    );
    await tick();
    expect(started).toEqual([0]);
    expect(semaphore.queued).toBe(4);

    gate.resolve();
    await Promise.all([first, ...rest]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it("rejects with HashingOverloadedError once maxQueued tasks are waiting", async () => {
    const semaphore = createSemaphore({ maxConcurrent: 2, maxQueued: 3 });
    const gate = deferred();
    const accepted = Array.from({ length: 5 }, () => semaphore.run(() => gate.promise));
    await tick();
    expect(semaphore.running).toBe(2);
    expect(semaphore.queued).toBe(3);

    const overflow = semaphore.run(() => Promise.resolve("never"));
    await expect(overflow).rejects.toBeInstanceOf(HashingOverloadedError);
    await expect(overflow).rejects.toThrow(/overloaded/);

    gate.resolve();
    await Promise.all(accepted);
    // Capacity comes back once the backlog drains.
    await expect(semaphore.run(() => Promise.resolve("ok"))).resolves.toBe("ok");
  });

  it("with maxQueued 0 rejects as soon as every permit is taken", async () => {
    const semaphore = createSemaphore({ maxConcurrent: 1, maxQueued: 0 });
    const gate = deferred();
    const running = semaphore.run(() => gate.promise);
    await expect(semaphore.run(() => Promise.resolve())).rejects.toBeInstanceOf(HashingOverloadedError);
    gate.resolve();
    await running;
  });

  it("releases the permit when a task throws", async () => {
    const semaphore = createSemaphore({ maxConcurrent: 1, maxQueued: 5 });
    await expect(semaphore.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(
      semaphore.run(() => {
        throw new Error("sync boom");
      }),
    ).rejects.toThrow("sync boom");
    expect(semaphore.running).toBe(0);
    await expect(semaphore.run(() => Promise.resolve(42))).resolves.toBe(42);
  });

  it("keeps FIFO order and its bounds across a long backlog", async () => {
    const semaphore = createSemaphore({ maxConcurrent: 2, maxQueued: 5000 });
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 4000 }, (_, i) =>
        semaphore.run(async () => {
          order.push(i);
          await tick();
        }),
      ),
    );
    expect(order).toEqual(Array.from({ length: 4000 }, (_, i) => i));
    expect(semaphore.running).toBe(0);
  });

  it("refuses nonsensical bounds", () => {
    expect(() => createSemaphore({ maxConcurrent: 0, maxQueued: 1 })).toThrow(RangeError);
    expect(() => createSemaphore({ maxConcurrent: 1.5, maxQueued: 1 })).toThrow(RangeError);
    expect(() => createSemaphore({ maxConcurrent: 1, maxQueued: -1 })).toThrow(RangeError);
  });
});
