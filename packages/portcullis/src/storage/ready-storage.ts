import type { Storage } from "./storage.js";

/**
 * `init()` is synchronous (as in the SDK) but migrations are not: every storage call first awaits
 * the one migration run. A failed migration fails every call with that error, loudly.
 */
export function gateOnMigration(storage: Storage): Storage & { ready: Promise<void> } {
  const ready = storage.migrate();
  // Surfaced by the first call that awaits it; avoid an unhandled rejection before then.
  ready.catch(() => undefined);
  const gated = { ready } as Storage & { ready: Promise<void> };
  for (const key of methodNames(storage)) {
    const method = (storage as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[key];
    if (typeof method !== "function") continue;
    (gated as unknown as Record<string, unknown>)[key] =
      key === "migrate" ? () => ready : key === "close" ? () => ready.catch(() => undefined).then(() => storage.close()) : async (...args: unknown[]) => {
        await ready;
        return method.apply(storage, args);
      };
  }
  return gated;
}

function methodNames(object: object): string[] {
  const names = new Set<string>();
  for (let proto: object | null = object; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) if (name !== "constructor") names.add(name);
  }
  return [...names];
}
