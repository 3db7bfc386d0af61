/**
 * Raised when the hashing queue is full. Callers should answer 503 (with Retry-After) rather than
 * wait: every queued hash will later hold `memoryCost` KiB, so an unbounded queue is a memory DoS.
 */
export class HashingOverloadedError extends Error {
  override readonly name = "HashingOverloadedError";

  constructor(readonly maxConcurrent: number, readonly maxQueued: number) {
    super(`Password hashing is overloaded: ${maxConcurrent} running and ${maxQueued} queued`);
  }
}

export interface SemaphoreOptions {
  maxConcurrent: number;
  maxQueued: number;
}

export interface Semaphore {
  /** Runs `task` once a permit is free; rejects with HashingOverloadedError when the queue is full. */
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly running: number;
  readonly queued: number;
}

export function createSemaphore(options: SemaphoreOptions): Semaphore {
  const { maxConcurrent, maxQueued } = options;
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new RangeError(`maxConcurrent must be an integer >= 1, got ${String(maxConcurrent)}`);
  }
  if (!Number.isInteger(maxQueued) || maxQueued < 0) {
    throw new RangeError(`maxQueued must be an integer >= 0, got ${String(maxQueued)}`);
  }

  let running = 0;
  // Head index instead of Array#shift keeps dequeue O(1) with a full queue.
  let waiters: Array<() => void> = [];
  let head = 0;

  const queueLength = (): number => waiters.length - head;

  const acquire = (): Promise<void> => {
    if (running < maxConcurrent && queueLength() === 0) {
      running += 1;
      return Promise.resolve();
    }
    if (queueLength() >= maxQueued) {
      return Promise.reject(new HashingOverloadedError(maxConcurrent, maxQueued));
    }
    return new Promise<void>((resolve) => {
      waiters.push(resolve);
    });
  };

  const dequeue = (): (() => void) | undefined => {
    const next = waiters[head];
    head += 1;
    if (head === waiters.length) {
      waiters = [];
      head = 0;
    } else if (head >= 1024 && head * 2 >= waiters.length) {
      waiters = waiters.slice(head);
      head = 0;
    }
    return next;
  };

  const release = (): void => {
    const next = queueLength() > 0 ? dequeue() : undefined;
    if (next) {
      // Hand the permit straight to the oldest waiter (running stays the same), so a newcomer
      // arriving between release and wake-up cannot jump the FIFO queue.
      next();
      return;
    }
    running -= 1;
  };

  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      await acquire();
      try {
        return await task();
      } finally {
        release();
      }
    },
    get running() {
      return running;
    },
    get queued() {
      return queueLength();
    },
  };
}
