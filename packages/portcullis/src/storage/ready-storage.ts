import type { Storage } from "./storage.js";

/**
 * `init()` is synchronous (as in the SDK) but migrations are not: every call on any port first
 * awaits the one migration run. A failed migration fails every call with that error, loudly.
 *
 * Generic over the ports: each port object is wrapped in a Proxy whose methods await `ready`,
 * so a new port or method needs no change here.
 */
export function gateOnMigration(storage: Storage): Storage & { ready: Promise<void> } {
  const ready = storage.migrate();
  // Surfaced by the first call that awaits it; avoid an unhandled rejection before then.
  ready.catch(() => undefined);
  const gatedPorts = new Map<PropertyKey, object>();

  return new Proxy(storage as Storage & { ready: Promise<void> }, {
    get(target, property) {
      if (property === "ready") return ready;
      if (property === "migrate") return () => ready;
      if (property === "close") {
        return async () => {
          await ready.catch(() => undefined);
          await target.close();
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "object" || value === null) return value;
      let gated = gatedPorts.get(property);
      if (gated === undefined) {
        gated = gatePort(value, ready);
        gatedPorts.set(property, gated);
      }
      return gated;
    },
  });
}

function gatePort(port: object, ready: Promise<void>): object {
  return new Proxy(port, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      // The method is read now, not at call time, so a test that swaps a method for a wrapper
      // calling the original (read through this proxy) does not call itself.
      return async (...args: unknown[]) => {
        await ready;
        return (value as (...args: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
