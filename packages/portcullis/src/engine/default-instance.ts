import type { Auth } from "./create-auth.js";

/**
 * The default instance behind the SuperTokens-shaped modules and the adapters called without one.
 * It is the only process-wide state, and it lives on globalThis under a registered symbol so that
 * an app loading both the ESM and the CommonJS build still has exactly one.
 */
const SLOT = Symbol.for("portcullis.defaultInstance");

interface Slot {
  instance: Auth | undefined;
}

function slot(): Slot {
  const global = globalThis as { [SLOT]?: Slot };
  global[SLOT] ??= { instance: undefined };
  return global[SLOT];
}

/** As in the SDK, a second init() is a no-op: modules that import the config twice stay safe. */
export function initDefaultAuth(create: () => Auth): Auth {
  const current = slot();
  current.instance ??= create();
  return current.instance;
}

export function getDefaultAuth(): Auth {
  const instance = slot().instance;
  if (instance === undefined) throw new Error("Initialisation not done. Did you forget to call the SuperTokens.init function?");
  return instance;
}

/** The instance an adapter was given, else the default one. */
export function resolveAuth(instance: Auth | undefined): Auth {
  return instance ?? getDefaultAuth();
}

/** Forgets the default instance and returns it, so the caller can close it. */
export function takeDefaultAuth(): Auth | undefined {
  const current = slot();
  const instance = current.instance;
  current.instance = undefined;
  return instance;
}
