import { normalisePhoneNumber } from "../../core/normalise.js";
import type { RecipeUserId } from "../../core/recipe-user-id.js";
import type { UserContext } from "../../core/user-context.js";
import type { Engine } from "../../engine/types.js";
import { throttled } from "../../limits/index.js";
import { StorageUnavailableError } from "../../storage/storage-errors.js";
import { PASSWORD_FACTOR } from "../emailpassword/recipe-implementation.js";
import type { SessionRecipe } from "../session/session-recipe.js";
import type { SessionContainerInterface } from "../session/types.js";
import type { PhonePasswordRecipe } from "./phonepassword-recipe.js";
import { PHONEPASSWORD_RECIPE_ID } from "./recipe-implementation.js";
import { PHONE_VERIFICATION_PURPOSE } from "./sms-codes.js";
import type { APIInterface, APIOptions, CodeFailure } from "./types.js";

/** Wrong SMS codes are throttled under this factor, per number and per IP, on top of each code's own five tries. */
export const SMS_CODE_FACTOR = "sms-code";
/** Reset texts are capped like reset emails (limits.passwordReset), under their own counters. */
const RESET_SEND_PURPOSE = "phone-password-reset";
const SEND_FAILED_MESSAGE = "The code could not be sent. Please try again.";
const NO_PHONE_MESSAGE = "This account has no phone number to verify";
export const PHONE_NOT_VERIFIED_MESSAGE = "This phone number is not verified, so it cannot be used to reset the password";

export function createPhonePasswordAPIImplementation(engine: Engine, recipe: () => PhonePasswordRecipe): APIInterface {
  const ipOf = (options: APIOptions) => engine.limits.clientIp(options.req);
  const startSession = (options: APIOptions, tenantId: string, recipeUserId: RecipeUserId, userContext: UserContext) =>
    engine.requireRecipe<SessionRecipe>("session").createNewSession(options.req, options.res, tenantId, recipeUserId, {}, {}, userContext);
  const fieldValue = (fields: { id: string; value: unknown }[], id: string): string => {
    const value = fields.find((f) => f.id === id)?.value;
    if (typeof value !== "string") throw new Error(`form field ${id} must be a string by now`);
    return value;
  };

  /** The phone + password login of the session's user in the route's tenant, if any: a session never acts in a tenant its login is not in. */
  const phoneLoginOf = async (session: SessionContainerInterface, tenantId: string) => {
    const user = await engine.getUser(session.getUserId());
    const recipeUserId = session.getRecipeUserId().getAsString();
    return user?.loginMethods.find(
      (m) => m.recipeId === PHONEPASSWORD_RECIPE_ID && m.recipeUserId.getAsString() === recipeUserId && m.phoneNumber !== undefined && m.tenantIds.includes(tenantId),
    );
  };

  /** A code check behind the sign-in throttle's per-number and per-IP failure counts. */
  const checkCode = async <R extends { status: string }>(
    options: APIOptions,
    tenantId: string,
    phoneNumber: string,
    check: () => Promise<R | CodeFailure>,
  ) => {
    const gate = await engine.limits.beginSecretCheck({ factor: SMS_CODE_FACTOR, tenantId, account: phoneNumber, ip: ipOf(options) });
    if (!gate.allowed) return throttled(options.res, gate);
    const result = await check();
    const wrong = result.status === "INCORRECT_CODE_ERROR" || result.status === "EXPIRED_CODE_ERROR" || result.status === "RESTART_FLOW_ERROR";
    // A policy violation says nothing about the code: it is neither a failure nor a success.
    if (wrong) await engine.limits.finishSecretCheck(gate.ticket, false);
    else if (result.status === "OK") await engine.limits.finishSecretCheck(gate.ticket, true);
    return result;
  };

  return {
    async signUpPOST({ formFields, tenantId, options, userContext }) {
      const phoneNumber = normalisePhoneNumber(fieldValue(formFields, "phoneNumber"));
      const newAccount = { recipeId: PHONEPASSWORD_RECIPE_ID, tenantId, identifier: { phoneNumber }, userContext };
      const gate = await engine.mayCreateAccount(newAccount);
      if (!gate.allowed) return { status: "GENERAL_ERROR", message: gate.message };
      const result = await options.recipeImplementation.signUp({ phoneNumber, password: fieldValue(formFields, "password"), tenantId, userContext });
      if (result.status !== "OK") return result;
      await engine.accountCreated({ ...newAccount, userId: result.user.id });
      const session = await startSession(options, tenantId, result.recipeUserId, userContext).catch(async (error: unknown) => {
        // As for email sign-up: a 503 must not leave an account behind that blocks the retry.
        if (StorageUnavailableError.is(error)) await engine.storage.users.delete(result.user.id).catch(() => undefined);
        throw error;
      });
      engine.emit({ type: "sign-up", recipeId: PHONEPASSWORD_RECIPE_ID, tenantId, userId: result.user.id });
      return { status: "OK", user: result.user, session };
    },

    async signInPOST({ formFields, tenantId, options, userContext }) {
      const phoneNumber = normalisePhoneNumber(fieldValue(formFields, "phoneNumber"));
      // Unknown numbers are throttled like real ones: the throttle reveals nothing about accounts.
      const gate = await engine.limits.beginSecretCheck({ factor: PASSWORD_FACTOR, tenantId, account: phoneNumber, ip: ipOf(options) });
      if (!gate.allowed) {
        engine.emit({ type: "sign-in.failure", recipeId: PHONEPASSWORD_RECIPE_ID, tenantId, reason: "throttled" });
        return throttled(options.res, gate);
      }
      const result = await options.recipeImplementation.signIn({ phoneNumber, password: fieldValue(formFields, "password"), tenantId, userContext });
      if (result.status !== "OK") {
        await engine.limits.finishSecretCheck(gate.ticket, false);
        engine.emit({ type: "sign-in.failure", recipeId: PHONEPASSWORD_RECIPE_ID, tenantId, reason: "wrong-credentials" });
        return result;
      }
      await engine.limits.finishSecretCheck(gate.ticket, true);
      const session = await startSession(options, tenantId, result.recipeUserId, userContext);
      engine.emit({ type: "sign-in.success", recipeId: PHONEPASSWORD_RECIPE_ID, tenantId, userId: result.user.id });
      return { status: "OK", user: result.user, session };
    },

    async phoneNumberExistsGET({ phoneNumber, tenantId, options }) {
      const decision = await engine.limits.allowLookup({ purpose: "phone-exists", tenantId, ip: ipOf(options) });
      if (!decision.allowed) return throttled(options.res, decision);
      const found = await engine.storage.credentials.find(PHONEPASSWORD_RECIPE_ID, tenantId, { phoneNumber: normalisePhoneNumber(phoneNumber) });
      return { status: "OK", exists: found !== undefined };
    },

    async generatePhoneVerificationCodePOST({ session, tenantId, options, userContext }) {
      const login = await phoneLoginOf(session, tenantId);
      if (login?.phoneNumber === undefined) return { status: "GENERAL_ERROR", message: NO_PHONE_MESSAGE };
      if (login.verified) return { status: "PHONE_ALREADY_VERIFIED_ERROR" };
      const decision = await engine.limits.allowSend({ purpose: PHONE_VERIFICATION_PURPOSE, tenantId, account: login.phoneNumber, ip: ipOf(options) });
      if (!decision.allowed) return throttled(options.res, decision);
      const created = await options.recipeImplementation.createPhoneVerificationCode({ recipeUserId: login.recipeUserId, tenantId, userContext });
      if (created.status === "UNKNOWN_USER_ID_ERROR") return { status: "GENERAL_ERROR", message: NO_PHONE_MESSAGE };
      if (created.status !== "OK") return created;
      try {
        await options.smsDelivery.ingredientInterfaceImpl.sendSms({
          type: "PHONE_VERIFICATION",
          phoneNumber: created.phoneNumber,
          code: created.code,
          codeLifetime: created.codeLifetime,
          tenantId,
          userContext,
        });
      } catch (error) {
        engine.log.error(`Phone verification SMS for user ${login.recipeUserId.getAsString()} could not be delivered`, error);
        return { status: "GENERAL_ERROR", message: SEND_FAILED_MESSAGE };
      }
      return { status: "OK" };
    },

    async verifyPhoneNumberPOST({ session, code, tenantId, options, userContext }) {
      const login = await phoneLoginOf(session, tenantId);
      if (login?.phoneNumber === undefined) return { status: "GENERAL_ERROR", message: NO_PHONE_MESSAGE };
      const phoneNumber = login.phoneNumber;
      const result = await checkCode(options, tenantId, phoneNumber, () =>
        options.recipeImplementation.verifyPhoneNumber({ phoneNumber, code, tenantId, userContext }),
      );
      if (result.status !== "OK") return result;
      // The code is keyed by number; a number's owner is unique per tenant, so this is the caller.
      if (result.recipeUserId.getAsString() !== login.recipeUserId.getAsString()) return { status: "RESTART_FLOW_ERROR" };
      return { status: "OK" };
    },

    async generatePasswordResetCodePOST({ phoneNumber, tenantId, options, userContext }) {
      const normalised = normalisePhoneNumber(phoneNumber);
      // Counted per number whether or not it has an account, so the cap itself reveals nothing.
      const decision = await engine.limits.allowSend({ purpose: RESET_SEND_PURPOSE, tenantId, account: normalised, ip: ipOf(options) });
      if (!decision.allowed) return throttled(options.res, decision);
      const created = await options.recipeImplementation.createResetPasswordCode({ phoneNumber: normalised, tenantId, userContext });
      engine.emit({ type: "password-reset.requested", tenantId, ...(created.status === "OK" ? { userId: created.userId } : {}) });
      if (created.status === "PHONE_NOT_VERIFIED_ERROR") return { status: "PHONE_NOT_VERIFIED_ERROR", message: PHONE_NOT_VERIFIED_MESSAGE };
      if (created.status !== "OK") {
        // An unknown number does the same write as a real one and is answered alike.
        await recipe().simulateCodeIssue(tenantId);
        return { status: "OK" };
      }
      // Not awaited, so the latency does not tell a known number from an unknown one.
      options.smsDelivery.ingredientInterfaceImpl
        .sendSms({ type: "PASSWORD_RESET", phoneNumber: created.phoneNumber, code: created.code, codeLifetime: created.codeLifetime, tenantId, userContext })
        .catch((error: unknown) => engine.log.error(`Password reset SMS for user ${created.userId} could not be delivered`, error));
      return { status: "OK" };
    },

    async passwordResetPOST({ phoneNumber, code, newPassword, tenantId, options, userContext }) {
      const normalised = normalisePhoneNumber(phoneNumber);
      const result = await checkCode(options, tenantId, normalised, () => recipe().resetPassword(tenantId, normalised, code, newPassword, userContext));
      return result.status === "OK" ? { status: "OK" } : result;
    },

    async passwordChangePOST({ session, oldPassword, newPassword, tenantId, options, userContext }) {
      const login = await phoneLoginOf(session, tenantId);
      if (login?.phoneNumber === undefined) return { status: "GENERAL_ERROR", message: "This account has no phone number and password" };
      const gate = await engine.limits.beginSecretCheck({ factor: PASSWORD_FACTOR, tenantId, account: login.phoneNumber, ip: ipOf(options) });
      if (!gate.allowed) return throttled(options.res, gate);
      const result = await recipe().changePassword(tenantId, login.recipeUserId, oldPassword, newPassword, userContext);
      if (result.status === "WRONG_CREDENTIALS_ERROR") {
        await engine.limits.finishSecretCheck(gate.ticket, false);
        return { status: "WRONG_CREDENTIALS_ERROR" };
      }
      if (result.status === "UNKNOWN_USER_ID_ERROR") return { status: "GENERAL_ERROR", message: "This account has no phone number and password" };
      if (result.status !== "OK") return result;
      await engine.limits.finishSecretCheck(gate.ticket, true);
      // Every session is gone by now, the caller's too: its tokens are cleared from the response.
      await session.revokeSession(userContext);
      return { status: "OK" };
    },
  };
}
