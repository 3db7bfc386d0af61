import type { UserContext } from "../../core/user-context.js";
import type { Engine } from "../../engine/types.js";
import { throttled } from "../../limits/index.js";
import { unauthorised } from "../session/error.js";
import type { SessionContainerInterface } from "../session/types.js";
import type { EmailVerificationRecipe } from "./emailverification-recipe.js";
import type { APIInterface } from "./types.js";

export const EMAIL_VERIFICATION_SEND_PURPOSE = "email-verification";

export function createEmailVerificationAPIImplementation(engine: Engine, recipe: () => EmailVerificationRecipe): APIInterface {
  /** The email of the session's login method; an account deleted under a live token ends the session (401). */
  const emailOfSession = async (session: SessionContainerInterface, userContext: UserContext) => {
    const info = await recipe().getEmailForRecipeUserId(session.getRecipeUserId(), userContext);
    if (info.status === "UNKNOWN_USER_ID_ERROR") throw unauthorised("Unknown User ID provided");
    return info;
  };

  /** After a verification: a session of that login method gets the fresh `st-ev` (new access token + front-token). */
  const refreshClaim = (session: SessionContainerInterface, userContext: UserContext) => session.fetchAndSetClaim(recipe().claim, userContext);

  return {
    async verifyEmailPOST({ token, tenantId, session, options, userContext }) {
      const result = await options.recipeImplementation.verifyEmailUsingToken({ token, tenantId, attemptAccountLinking: true, userContext });
      if (result.status !== "OK") return result;
      if (session !== undefined && session.getRecipeUserId().getAsString() === result.user.recipeUserId.getAsString()) {
        await refreshClaim(session, userContext);
      }
      return { status: "OK", user: result.user };
    },

    async isEmailVerifiedGET({ session, userContext }) {
      await emailOfSession(session, userContext);
      await refreshClaim(session, userContext);
      return { status: "OK", isVerified: (await session.getClaimValue(recipe().claim, userContext)) === true };
    },

    async generateEmailVerifyTokenPOST({ session, options, userContext }) {
      const info = await emailOfSession(session, userContext);
      const recipeUserId = session.getRecipeUserId();
      const tenantId = session.getTenantId();
      // No email to verify (a phone-only login) counts as verified.
      if (info.status === "EMAIL_DOES_NOT_EXIST_ERROR") return { status: "EMAIL_ALREADY_VERIFIED_ERROR" };
      const alreadyVerified = async () => {
        // Verified meanwhile (the link opened in another browser): this session catches up.
        await refreshClaim(session, userContext);
        return { status: "EMAIL_ALREADY_VERIFIED_ERROR" as const };
      };
      if (await options.recipeImplementation.isEmailVerified({ recipeUserId, email: info.email, userContext })) return alreadyVerified();

      const decision = await engine.limits.allowSend({
        purpose: EMAIL_VERIFICATION_SEND_PURPOSE,
        tenantId,
        account: info.email,
        ip: engine.limits.clientIp(options.req),
      });
      if (!decision.allowed) return throttled(options.res, decision);

      const created = await options.recipeImplementation.createEmailVerificationToken({ recipeUserId, email: info.email, tenantId, userContext });
      if (created.status === "EMAIL_ALREADY_VERIFIED_ERROR") return alreadyVerified();
      const emailVerifyLink = await recipe().buildVerificationLink(tenantId, created.token, userContext);
      try {
        await options.emailDelivery.ingredientInterfaceImpl.sendEmail({
          type: "EMAIL_VERIFICATION",
          user: { id: session.getUserId(), recipeUserId, email: info.email },
          emailVerifyLink,
          tenantId,
          userContext,
        });
      } catch (error) {
        engine.log.error(`Verification email for user ${recipeUserId.getAsString()} could not be delivered`, error);
        return { status: "GENERAL_ERROR", message: "The verification email could not be sent. Please try again later." };
      }
      engine.emit({ type: "email-verification.sent", tenantId, userId: recipeUserId.getAsString() });
      // A session that has not seen `false` yet learns it now, so the frontend shows the waiting screen.
      if ((await session.getClaimValue(recipe().claim, userContext)) !== false) await refreshClaim(session, userContext);
      return { status: "OK" };
    },
  };
}
