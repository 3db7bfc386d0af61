import { createAuthInstance, type Auth } from "../engine/create-auth.js";
import type { TypeInput } from "../engine/types.js";
import { initMultitenancy } from "../recipes/multitenancy/multitenancy-recipe.js";

/**
 * The composition root: the engine plus the recipes every app has whether it lists them or not.
 * Multitenancy owns tenants and `/loginmethods`, which the prebuilt UI always asks for; a listed
 * `Multitenancy.init(...)` takes its place.
 */
export function createAuth(config: TypeInput): Auth {
  return createAuthInstance(config, { defaultRecipes: [initMultitenancy()] });
}

export type { Auth };
