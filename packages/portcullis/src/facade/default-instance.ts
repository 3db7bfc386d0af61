import { createAuth } from "../instance/create-auth.js";
import { getDefaultAuth, initDefaultAuth, takeDefaultAuth } from "../engine/default-instance.js";
import type { Auth } from "../engine/create-auth.js";
import type { TypeInput } from "../engine/types.js";

/** The SuperTokens-shaped modules (`init()`, default exports) act on one default instance. */
export function initDefaultInstance(config: TypeInput): Auth {
  return initDefaultAuth(() => createAuth(config));
}

export function getDefaultInstance(): Auth {
  return getDefaultAuth();
}

/** Closes and forgets the default instance (tests, graceful shutdown). */
export async function resetDefaultInstance(): Promise<void> {
  await takeDefaultAuth()?.close();
}
