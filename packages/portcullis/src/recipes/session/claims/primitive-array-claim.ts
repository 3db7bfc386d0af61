import type { JSONPrimitive } from "../../../core/json.js";
import type { SessionClaimValidator } from "../types.js";
import { StoredValueClaim } from "./primitive-claim.js";

export class PrimitiveArrayClaim<T extends JSONPrimitive> extends StoredValueClaim<T[]> {
  validators = {
    includes: (val: T, maxAgeInSeconds: number | undefined = this.defaultMaxAgeInSeconds, id?: string): SessionClaimValidator =>
      this.makeValidator(id, maxAgeInSeconds, (payload, userContext) =>
        this.validateValue(payload, userContext, maxAgeInSeconds, { expectedToInclude: val, actualValue: undefined }, (value) =>
          value.includes(val)
            ? { isValid: true }
            : { isValid: false, reason: { message: "wrong value", expectedToInclude: val, actualValue: value } },
        ),
      ),
    excludes: (val: T, maxAgeInSeconds: number | undefined = this.defaultMaxAgeInSeconds, id?: string): SessionClaimValidator =>
      this.makeValidator(id, maxAgeInSeconds, (payload, userContext) =>
        this.validateValue(payload, userContext, maxAgeInSeconds, { expectedToNotInclude: val, actualValue: undefined }, (value) =>
          !value.includes(val)
            ? { isValid: true }
            : { isValid: false, reason: { message: "wrong value", expectedToNotInclude: val, actualValue: value } },
        ),
      ),
    includesAll: (vals: T[], maxAgeInSeconds: number | undefined = this.defaultMaxAgeInSeconds, id?: string): SessionClaimValidator =>
      this.makeValidator(id, maxAgeInSeconds, (payload, userContext) =>
        this.validateValue(payload, userContext, maxAgeInSeconds, { expectedToInclude: vals, actualValue: undefined }, (value) =>
          vals.every((v) => value.includes(v))
            ? { isValid: true }
            : { isValid: false, reason: { message: "wrong value", expectedToInclude: vals, actualValue: value } },
        ),
      ),
    // The SDK's "does not exist" reason for includesAny says expectedToNotInclude; kept for wire parity.
    includesAny: (vals: T[], maxAgeInSeconds: number | undefined = this.defaultMaxAgeInSeconds, id?: string): SessionClaimValidator =>
      this.makeValidator(id, maxAgeInSeconds, (payload, userContext) =>
        this.validateValue(payload, userContext, maxAgeInSeconds, { expectedToNotInclude: vals, actualValue: undefined }, (value) =>
          vals.some((v) => value.includes(v))
            ? { isValid: true }
            : { isValid: false, reason: { message: "wrong value", expectedToIncludeAtLeastOneOf: vals, actualValue: value } },
        ),
      ),
    excludesAll: (vals: T[], maxAgeInSeconds: number | undefined = this.defaultMaxAgeInSeconds, id?: string): SessionClaimValidator =>
      this.makeValidator(id, maxAgeInSeconds, (payload, userContext) =>
        this.validateValue(payload, userContext, maxAgeInSeconds, { expectedToNotInclude: vals, actualValue: undefined }, (value) =>
          vals.every((v) => !value.includes(v))
            ? { isValid: true }
            : { isValid: false, reason: { message: "wrong value", expectedToNotInclude: vals, actualValue: value } },
        ),
      ),
  };
}
