/**
 * A process-wide async mutex per key. better-sqlite3 is synchronous: if two connections to the
 * same file live in one process and one waits on `busy_timeout` for a lock the other holds
 * across an `await`, the wait blocks the event loop, the holder can never finish, and the waiter
 * fails with SQLITE_BUSY after the timeout. Queuing writers of one file here first turns that
 * into an ordinary async wait; busy_timeout is then only for other processes.
 */

interface Queue {
  tail: Promise<void>;
}

// Shared through the global symbol registry so two copies of this module (a dual install) still
// agree on one queue per file.
const REGISTRY_KEY = Symbol.for("portcullis.sqlite.process-locks");

function registry(): Map<string, Queue> {
  const holder = globalThis as { [REGISTRY_KEY]?: Map<string, Queue> };
  holder[REGISTRY_KEY] ??= new Map();
  return holder[REGISTRY_KEY];
}

export async function withProcessLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const queues = registry();
  let queue = queues.get(key);
  if (queue === undefined) {
    queue = { tail: Promise.resolve() };
    queues.set(key, queue);
  }
  const previous = queue.tail;
  let release!: () => void;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  queue.tail = previous.then(() => mine);
  await previous;
  try {
    return await fn();
  } finally {
    release();
  }
}
