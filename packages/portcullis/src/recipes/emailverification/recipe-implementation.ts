import { normaliseEmail } from "../../core/normalise.js";
import { RecipeUserId } from "../../core/recipe-user-id.js";
import { sha256Hex } from "../../crypto/hash.js";
import type { Engine } from "../../engine/types.js";
import type { RecipeInterface } from "./types.js";

/** The token kind of email-verification tokens in storage. */
export const EMAIL_VERIFICATION_TOKEN_KIND = "email-verification";

/**
 * Verification is keyed by (recipe user, email): a changed email is unverified again. Tokens are
 * 256-bit, URL-safe, stored as SHA-256 only, bound to their tenant, single use.
 */
export function createEmailVerificationRecipeImplementation(engine: Engine): RecipeInterface {
  const { storage, clock, random } = engine;
  return {
    async createEmailVerificationToken({ recipeUserId, email, tenantId, userContext }) {
      const address = normaliseEmail(email);
      if (await storage.emailVerification.isVerified(recipeUserId.getAsString(), address)) return { status: "EMAIL_ALREADY_VERIFIED_ERROR" };
      const token = random.bytes(32).toString("base64url");
      const now = clock.now();
      await storage.tokens.create({
        kind: EMAIL_VERIFICATION_TOKEN_KIND,
        tokenHash: sha256Hex(token),
        tenantId,
        userId: recipeUserId.getAsString(),
        identifier: { email: address },
        // The tenant's lifetime when it sets one (engine.tenantSettings falls back to the instance's).
        expiresAt: now + (await engine.tenantSettings(tenantId, userContext)).core.emailVerificationTokenLifetime,
        createdAt: now,
      });
      return { status: "OK", token };
    },

    async verifyEmailUsingToken({ token, tenantId }) {
      // Using the token and marking the email are one transaction: a failure leaves the token usable.
      const used = await storage.tokens.consume({
        kind: EMAIL_VERIFICATION_TOKEN_KIND,
        tokenHash: sha256Hex(token),
        tenantId,
        now: clock.now(),
        andMarkVerified: true,
      });
      const email = used?.identifier?.email;
      if (used?.userId === undefined || email === undefined) return { status: "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR" };
      engine.emit({ type: "email-verification.verified", tenantId, userId: used.userId });
      return { status: "OK", user: { recipeUserId: new RecipeUserId(used.userId), email } };
    },

    async isEmailVerified({ recipeUserId, email }) {
      return storage.emailVerification.isVerified(recipeUserId.getAsString(), normaliseEmail(email));
    },

    async revokeEmailVerificationTokens({ recipeUserId }) {
      // Every outstanding verification token of the login method goes, whatever tenant or address
      // it was sent for: revoking more than asked never lets anyone in.
      await storage.tokens.revokeForUser(recipeUserId.getAsString(), EMAIL_VERIFICATION_TOKEN_KIND);
      return { status: "OK" };
    },

    async unverifyEmail({ recipeUserId, email }) {
      await storage.emailVerification.markUnverified(recipeUserId.getAsString(), normaliseEmail(email));
      return { status: "OK" };
    },
  };
}
