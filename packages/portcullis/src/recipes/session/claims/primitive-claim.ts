import type { JSONObject, JSONPrimitive, JSONValue } from "../../../core/json.js";
import type { RecipeUserId } from "../../../core/recipe-user-id.js";
import { clockOf, type UserContext } from "../../../core/user-context.js";
import type { SessionClaimValidator } from "../types.js";
import { SessionClaim } from "./session-claim.js";

export type FetchValue<T> = (
  userId: string,
  recipeUserId: RecipeUserId,
  tenantId: string,
  currentPayload: JSONObject | undefined,
  userContext: UserContext,
) => Promise<T | undefined> | T | undefined;

interface StoredClaim<T> {
  v: T;
  t: number;
}

/** Claims stored as `{ v: value, t: fetchedAtMs }`, the format the frontend SDKs read. */
export abstract class StoredValueClaim<T> extends SessionClaim<T> {
  readonly fetchValue: FetchValue<T>;
  readonly defaultMaxAgeInSeconds: number | undefined;

  constructor(config: { key: string; fetchValue: FetchValue<T>; defaultMaxAgeInSeconds?: number }) {
    super(config.key);
    this.fetchValue = config.fetchValue;
    this.defaultMaxAgeInSeconds = config.defaultMaxAgeInSeconds;
  }

  addToPayload_internal(payload: JSONObject, value: T, userContext?: UserContext): JSONObject {
    return { ...payload, [this.key]: { v: value as JSONValue, t: clockOf(userContext).now() } };
  }

  removeFromPayloadByMerge_internal(payload: JSONObject, _userContext?: UserContext): JSONObject {
    return { ...payload, [this.key]: null };
  }

  removeFromPayload(payload: JSONObject, _userContext?: UserContext): JSONObject {
    const copy = { ...payload };
    delete copy[this.key];
    return copy;
  }

  getValueFromPayload(payload: JSONObject, _userContext?: UserContext): T | undefined {
    return (payload[this.key] as StoredClaim<T> | undefined | null)?.v ?? undefined;
  }

  getLastRefetchTime(payload: JSONObject, _userContext?: UserContext): number | undefined {
    return (payload[this.key] as StoredClaim<T> | undefined | null)?.t ?? undefined;
  }

  /** Missing values and values older than maxAge are refetched before validation. */
  protected needsRefetch(payload: JSONObject, maxAgeInSeconds: number | undefined, userContext: UserContext | undefined): boolean {
    if (this.getValueFromPayload(payload) === undefined) return true;
    if (maxAgeInSeconds === undefined) return false;
    const fetchedAt = this.getLastRefetchTime(payload) ?? 0;
    return fetchedAt < clockOf(userContext).now() - maxAgeInSeconds * 1000;
  }

  /** Shared preamble of every validator: a missing or stale value fails with the SDK's reasons. */
  protected validateValue(
    payload: JSONObject,
    userContext: UserContext | undefined,
    maxAgeInSeconds: number | undefined,
    missingReason: JSONObject,
    check: (value: T) => { isValid: true } | { isValid: false; reason: JSONObject },
  ): { isValid: true } | { isValid: false; reason: JSONObject } {
    const value = this.getValueFromPayload(payload);
    if (value === undefined) return { isValid: false, reason: { message: "value does not exist", ...missingReason } };
    if (maxAgeInSeconds !== undefined) {
      const ageInSeconds = (clockOf(userContext).now() - (this.getLastRefetchTime(payload) ?? 0)) / 1000;
      if (ageInSeconds > maxAgeInSeconds) return { isValid: false, reason: { message: "expired", ageInSeconds, maxAgeInSeconds } };
    }
    return check(value);
  }

  protected makeValidator(
    id: string | undefined,
    maxAgeInSeconds: number | undefined,
    validate: (payload: JSONObject, userContext: UserContext | undefined) => { isValid: true } | { isValid: false; reason: JSONObject },
  ): SessionClaimValidator {
    return {
      id: id ?? this.key,
      claim: this,
      shouldRefetch: (payload: JSONObject, userContext?: UserContext) => this.needsRefetch(payload, maxAgeInSeconds, userContext),
      validate: async (payload: JSONObject, userContext?: UserContext) => validate(payload, userContext),
    };
  }
}

export class PrimitiveClaim<T extends JSONPrimitive> extends StoredValueClaim<T> {
  validators: { hasValue: (val: T, maxAgeInSeconds?: number, id?: string) => SessionClaimValidator } = {
    hasValue: this.hasValueValidator(),
  };

  protected hasValueValidator(): (val: T, maxAgeInSeconds?: number, id?: string) => SessionClaimValidator {
    return (val, maxAgeInSeconds = this.defaultMaxAgeInSeconds, id) =>
      this.makeValidator(id, maxAgeInSeconds, (payload, userContext) =>
        this.validateValue(payload, userContext, maxAgeInSeconds, { expectedValue: val, actualValue: undefined }, (value) =>
          value === val ? { isValid: true } : { isValid: false, reason: { message: "wrong value", expectedValue: val, actualValue: value } },
        ),
      );
  }
}
