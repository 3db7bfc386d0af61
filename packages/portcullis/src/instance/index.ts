/** The instance API (`portcullis/engine`): no global state, any number of instances per process. */
export { createAuth } from "./create-auth.js";
export { createAuthInstance, type Auth, type GetUsersInput } from "../engine/create-auth.js";
export type { TypeInput, CoreSettings, Engine, RecipeModule, RecipeListFunction, RouteDefinition, TenantDirectory, SessionVerifier } from "../engine/types.js";
export { DEFAULT_CORE_SETTINGS } from "../engine/settings.js";
export { resetDefaultInstance, getDefaultInstance } from "../facade/default-instance.js";
export { createManualClock, type Clock, type Random, type Logger } from "../core/runtime.js";
export { createStorage, describeDatabase } from "../storage/create-storage.js";
export { StorageUnavailableError, type StorageUnavailableReason } from "../storage/storage-errors.js";
export type { HealthReport } from "../engine/health.js";
export type * from "../storage/storage.js";
export { EmailPasswordRecipe } from "../recipes/emailpassword/emailpassword-recipe.js";
export { SessionRecipe } from "../recipes/session/session-recipe.js";
export { MultitenancyRecipe } from "../recipes/multitenancy/multitenancy-recipe.js";
