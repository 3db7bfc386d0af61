import type { JSONObject } from "../../core/json.js";
import type { RecipeUserId } from "../../core/recipe-user-id.js";
import { clockOf, type UserContext } from "../../core/user-context.js";
import { BooleanClaim } from "../session/claims/boolean-claim.js";
import type { SessionClaimValidator } from "../session/types.js";

export const EMAIL_VERIFICATION_CLAIM_KEY = "st-ev";

/** Where the claim reads its value: whether the login method's email is verified (no email: true). */
export type VerificationSource = (recipeUserId: RecipeUserId, userContext: UserContext) => Promise<boolean>;

type EmailVerificationValidators = BooleanClaim["validators"] & {
  /**
   * Passes when the email is verified. A `false` older than `refetchTimeOnFalseInSeconds` is read
   * again first, so a user who verified in another browser gets through without signing in again.
   */
  isVerified: (refetchTimeOnFalseInSeconds?: number, maxAgeInSeconds?: number) => SessionClaimValidator;
};

/** `st-ev`: fetched for the session's recipe user (`rsub`), not its primary user. */
export class EmailVerificationClaimClass extends BooleanClaim {
  override validators: EmailVerificationValidators;

  constructor(source: () => VerificationSource) {
    super({
      key: EMAIL_VERIFICATION_CLAIM_KEY,
      fetchValue: (_userId, recipeUserId, _tenantId, _payload, userContext) => source()(recipeUserId, userContext),
    });
    const hasValue = this.hasValueValidator();
    this.validators = {
      hasValue,
      isTrue: (maxAge, id) => hasValue(true, maxAge, id),
      isFalse: (maxAge, id) => hasValue(false, maxAge, id),
      isVerified: (refetchTimeOnFalseInSeconds = 10, maxAgeInSeconds) => ({
        id: this.key,
        claim: this,
        shouldRefetch: (payload: JSONObject, userContext?: UserContext) => {
          const value = this.getValueFromPayload(payload);
          if (value === undefined) return true;
          const now = clockOf(userContext).now();
          const fetchedAt = this.getLastRefetchTime(payload) ?? 0;
          if (maxAgeInSeconds !== undefined && fetchedAt < now - maxAgeInSeconds * 1000) return true;
          return value === false && fetchedAt < now - refetchTimeOnFalseInSeconds * 1000;
        },
        validate: async (payload: JSONObject, userContext?: UserContext) =>
          this.validateValue(payload, userContext, maxAgeInSeconds, { expectedValue: true, actualValue: undefined }, (value) =>
            value === true ? { isValid: true } : { isValid: false, reason: { message: "wrong value", expectedValue: true, actualValue: value } },
          ),
      }),
    };
  }
}
