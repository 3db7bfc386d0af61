import type { JSONObject } from "../../../core/json.js";
import type { RecipeUserId } from "../../../core/recipe-user-id.js";
import type { UserContext } from "../../../core/user-context.js";

/** A value kept in the access-token payload under `key`, refetchable from its source of truth. */
export abstract class SessionClaim<T> {
  constructor(readonly key: string) {}

  abstract fetchValue(
    userId: string,
    recipeUserId: RecipeUserId,
    tenantId: string,
    currentPayload: JSONObject | undefined,
    userContext: UserContext,
  ): Promise<T | undefined> | T | undefined;

  abstract addToPayload_internal(payload: JSONObject, value: T, userContext: UserContext): JSONObject;
  abstract removeFromPayloadByMerge_internal(payload: JSONObject, userContext: UserContext): JSONObject;
  abstract removeFromPayload(payload: JSONObject, userContext: UserContext): JSONObject;
  abstract getValueFromPayload(payload: JSONObject, userContext: UserContext): T | undefined;

  async build(
    userId: string,
    recipeUserId: RecipeUserId,
    tenantId: string,
    currentPayload: JSONObject | undefined,
    userContext: UserContext,
  ): Promise<JSONObject> {
    const value = await this.fetchValue(userId, recipeUserId, tenantId, currentPayload, userContext);
    if (value === undefined) return {};
    return this.addToPayload_internal({}, value, userContext);
  }
}
