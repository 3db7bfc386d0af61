import { emailProblem, normaliseEmail } from "../../core/normalise.js";
import type { Engine } from "../../engine/types.js";
import type { SessionRecipe } from "../session/session-recipe.js";
import type { APIInterface, APIOptions } from "./types.js";
import type { RecipeUserId } from "../../core/recipe-user-id.js";
import type { UserContext } from "../../core/user-context.js";
import { StorageUnavailableError } from "../../storage/storage-errors.js";
import { stringField } from "./form-fields.js";
import type { EmailPasswordRecipe } from "./emailpassword-recipe.js";
import { throttled } from "../../limits/index.js";
import { PASSWORD_FACTOR, sendResetEmailInBackground, simulateResetTokenCreation } from "./recipe-implementation.js";
import { createChangePasswordAPI } from "./change-password-api.js";
import { createResetRedirectAPI } from "./reset-redirect-api.js";

const SIGN_IN_NOT_ALLOWED_REASON =
  "Cannot sign in due to security reasons. Please try resetting your password, use a different login method or contact support. (ERR_CODE_008)";
const SIGN_UP_NOT_ALLOWED_REASON =
  "Cannot sign up due to security reasons. Please try logging in, use a different login method or contact support. (ERR_CODE_007)";

export function createEmailPasswordAPIImplementation(engine: Engine, recipe: () => EmailPasswordRecipe): APIInterface {
  const startSession = (options: APIOptions, tenantId: string, recipeUserId: RecipeUserId, userContext: UserContext) =>
    engine.requireRecipe<SessionRecipe>("session").createNewSession(options.req, options.res, tenantId, recipeUserId, {}, {}, userContext);
  return {
    ...createResetRedirectAPI(engine),
    ...createChangePasswordAPI(engine),

    async emailExistsGET({ email, tenantId, options }) {
      const decision = await engine.limits.allowLookup({ purpose: "email-exists", tenantId, ip: engine.limits.clientIp(options.req) });
      if (!decision.allowed) return throttled(options.res, decision);
      // No account can have such an address; asking the database would only fail on it (NUL on PostgreSQL).
      if (emailProblem(email) !== undefined) return { status: "OK", exists: false };
      return { status: "OK", exists: (await engine.storage.credentials.find("emailpassword", tenantId, { email: normaliseEmail(email) })) !== undefined };
    },

    async generatePasswordResetTokenPOST({ formFields, tenantId, options, userContext }) {
      const email = normaliseEmail(stringField(formFields, "email"));
      // Counted per email whether or not it has an account, so the cap itself reveals nothing.
      const decision = await engine.limits.allowSend({ purpose: "password-reset", tenantId, account: email, ip: engine.limits.clientIp(options.req) });
      if (!decision.allowed) return throttled(options.res, decision);
      const login = await engine.storage.credentials.find("emailpassword", tenantId, { email });
      // Unknown emails get the same answer after the same database work, and delivery is not awaited
      // for either case, so neither the body nor the latency tells an attacker whether the account exists.
      engine.emit({ type: "password-reset.requested", tenantId, ...(login !== undefined ? { userId: login.user.id } : {}) });
      if (login === undefined) {
        await simulateResetTokenCreation(engine, tenantId);
        return { status: "OK" };
      }
      const created = await options.recipeImplementation.createResetPasswordToken({ userId: login.user.id, email, tenantId, userContext });
      if (created.status !== "OK") return { status: "OK" };
      const passwordResetLink = await recipe().buildResetPasswordLink(tenantId, created.token, userContext);
      sendResetEmailInBackground(engine, options, { userId: login.user.id, email, passwordResetLink, tenantId, userContext });
      return { status: "OK" };
    },

    async passwordResetPOST({ formFields, token, tenantId, userContext }) {
      const newPassword = stringField(formFields, "password");
      const result = await recipe().resetPasswordWithToken(tenantId, token, newPassword, userContext, { applyPolicy: false });
      if (result.status !== "OK") return result;
      const user = await engine.getUser(result.userId);
      if (user === undefined) return { status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" };
      return { status: "OK", email: result.email, user };
    },

    async signInPOST({ formFields, tenantId, options, userContext }) {
      const email = stringField(formFields, "email");
      // Unknown emails are throttled like real ones: the throttle reveals nothing about accounts.
      const gate = await engine.limits.beginSecretCheck({
        factor: PASSWORD_FACTOR,
        tenantId,
        account: normaliseEmail(email),
        ip: engine.limits.clientIp(options.req),
      });
      if (!gate.allowed) {
        engine.emit({ type: "sign-in.failure", recipeId: "emailpassword", tenantId, reason: "throttled" });
        return throttled(options.res, gate);
      }
      const result = await options.recipeImplementation.signIn({
        email,
        password: stringField(formFields, "password"),
        session: undefined,
        shouldTryLinkingWithSessionUser: false,
        tenantId,
        userContext,
      });
      if (result.status === "WRONG_CREDENTIALS_ERROR") await engine.limits.finishSecretCheck(gate.ticket, false);
      if (result.status !== "OK") {
        const reason = result.status === "WRONG_CREDENTIALS_ERROR" ? "wrong-credentials" : "not-allowed";
        engine.emit({ type: "sign-in.failure", recipeId: "emailpassword", tenantId, reason });
        return result.status === "WRONG_CREDENTIALS_ERROR" ? result : { status: "SIGN_IN_NOT_ALLOWED", reason: SIGN_IN_NOT_ALLOWED_REASON };
      }
      await engine.limits.finishSecretCheck(gate.ticket, true);
      const session = await startSession(options, tenantId, result.recipeUserId, userContext);
      engine.emit({ type: "sign-in.success", recipeId: "emailpassword", tenantId, userId: result.user.id });
      return { status: "OK", user: result.user, session };
    },

    async signUpPOST({ formFields, tenantId, options, userContext }) {
      const email = stringField(formFields, "email");
      const newAccount = { recipeId: "emailpassword", tenantId, identifier: { email: normaliseEmail(email) }, userContext };
      const gate = await engine.mayCreateAccount(newAccount);
      if (!gate.allowed) return { status: "GENERAL_ERROR", message: gate.message };
      const result = await options.recipeImplementation.signUp({
        email,
        password: stringField(formFields, "password"),
        session: undefined,
        shouldTryLinkingWithSessionUser: false,
        tenantId,
        userContext,
      });
      if (result.status === "EMAIL_ALREADY_EXISTS_ERROR") return result;
      if (result.status !== "OK") return { status: "SIGN_UP_NOT_ALLOWED", reason: SIGN_UP_NOT_ALLOWED_REASON };
      // Before the session, so what the gate adds (an invitation's roles) is in its first token.
      await engine.accountCreated({ ...newAccount, userId: result.user.id });
      const session = await startSession(options, tenantId, result.recipeUserId, userContext).catch(async (error: unknown) => {
        // The account and its session are two writes. A sign-up answered 503 (database full, gone)
        // must not leave an account behind that blocks the retry; undoing it is best effort.
        if (StorageUnavailableError.is(error)) await engine.storage.users.delete(result.user.id).catch(() => undefined);
        throw error;
      });
      engine.emit({ type: "sign-up", recipeId: "emailpassword", tenantId, userId: result.user.id });
      return { status: "OK", user: result.user, session };
    },
  };
}
