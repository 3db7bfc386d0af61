/**
 * POST /user/password/change: a signed-in user proves the old password and sets a new one. Every
 * session of the user ends, the caller's included, as after a reset: whoever else held a session
 * (the reason people change passwords) is out.
 */
import type { Engine } from "../../engine/types.js";
import { throttled } from "../../limits/index.js";
import type { SessionRecipe } from "../session/session-recipe.js";
import type { APIInterface } from "./types.js";
import { PASSWORD_FACTOR, PASSWORD_RESET_TOKEN_KIND } from "./recipe-implementation.js";
import { fieldById, isPasswordTooLong, PASSWORD_TOO_LONG_MESSAGE } from "./validators.js";

export const CHANGE_PASSWORD_PATH = "/user/password/change";

export function createChangePasswordAPI(engine: Engine): Pick<APIInterface, "passwordChangePOST"> {
  return {
    async passwordChangePOST({ oldPassword, newPassword, session, tenantId, options, userContext }) {
      // The policy first: a new password that would be refused costs no hash and no throttle slot.
      if (isPasswordTooLong(newPassword)) return { status: "PASSWORD_POLICY_VIOLATED_ERROR", failureReason: PASSWORD_TOO_LONG_MESSAGE };
      const failureReason = await fieldById(options.config.signUpFeature.formFields, "password").validate(newPassword, tenantId, userContext);
      if (failureReason !== undefined) return { status: "PASSWORD_POLICY_VIOLATED_ERROR", failureReason };

      const recipeUserId = session.getRecipeUserId(userContext);
      const user = await engine.getUser(session.getUserId(userContext));
      const login = user?.loginMethods.find((method) => method.recipeId === "emailpassword" && method.recipeUserId.getAsString() === recipeUserId.getAsString());
      // A session of another login method has no password to prove: the same answer as a wrong one.
      if (login?.email === undefined) return { status: "WRONG_CREDENTIALS_ERROR" };

      // A stolen session must not become a way round the sign-in throttle: same factor, same counts.
      const gate = await engine.limits.beginSecretCheck({ factor: PASSWORD_FACTOR, tenantId, account: login.email, ip: engine.limits.clientIp(options.req) });
      if (!gate.allowed) return throttled(options.res, gate);
      const verified = await options.recipeImplementation.verifyCredentials({ email: login.email, password: oldPassword, tenantId, userContext });
      if (verified.status !== "OK" || verified.recipeUserId.getAsString() !== recipeUserId.getAsString()) {
        await engine.limits.finishSecretCheck(gate.ticket, false);
        return { status: "WRONG_CREDENTIALS_ERROR" };
      }
      await engine.limits.finishSecretCheck(gate.ticket, true);

      const updated = await options.recipeImplementation.updateEmailOrPassword({
        recipeUserId,
        password: newPassword,
        applyPasswordPolicy: false,
        tenantIdForPasswordPolicy: tenantId,
        userContext,
      });
      if (updated.status === "PASSWORD_POLICY_VIOLATED_ERROR") return updated;
      // The login method vanished between the check and the update (user deleted meanwhile).
      if (updated.status !== "OK") return { status: "WRONG_CREDENTIALS_ERROR" };
      engine.emit({ type: "password.changed", recipeId: "emailpassword", tenantId, userId: session.getUserId(userContext) });

      // A reset link asked for before the change must not undo it.
      await engine.storage.tokens.revokeForUser(recipeUserId.getAsString(), PASSWORD_RESET_TOKEN_KIND);
      await engine.requireRecipe<SessionRecipe>("session").recipeInterfaceImpl.revokeAllSessionsForUser({
        userId: session.getUserId(userContext),
        revokeSessionsForLinkedAccounts: true,
        tenantId,
        revokeAcrossAllTenants: true,
        userContext,
      });
      // Its row is already gone; this clears the caller's cookies or headers, as sign-out does.
      await session.revokeSession(userContext);
      return { status: "OK" };
    },
  };
}
