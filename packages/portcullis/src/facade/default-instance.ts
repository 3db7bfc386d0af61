import { createAuth, type Auth } from "../engine/create-auth.js";
import type { TypeInput } from "../engine/types.js";

/**
 * The SuperTokens-shaped modules (`init()`, default exports) act on one default instance. It is
 * the only module-level state in Portcullis, and it is just a pointer to an ordinary instance.
 */
let defaultInstance: Auth | undefined;

export function initDefaultInstance(config: TypeInput): Auth {
  // As in the SDK, a second init() is a no-op: modules that import the config twice stay safe.
  defaultInstance ??= createAuth(config);
  return defaultInstance;
}

export function getDefaultInstance(): Auth {
  if (defaultInstance === undefined) throw new Error("Initialisation not done. Did you forget to call the SuperTokens.init function?");
  return defaultInstance;
}

/** Closes and forgets the default instance (tests, graceful shutdown). */
export async function resetDefaultInstance(): Promise<void> {
  const instance = defaultInstance;
  defaultInstance = undefined;
  await instance?.close();
}
