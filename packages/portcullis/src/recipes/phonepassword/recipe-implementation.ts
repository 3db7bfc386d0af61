import { isValidPhoneNumber, normalisePhoneNumber } from "../../core/normalise.js";
import { RecipeUserId } from "../../core/recipe-user-id.js";
import { userFromStored } from "../../core/user.js";
import type { Engine } from "../../engine/types.js";
import type { RecipeId } from "../../storage/storage.js";
import { checkPasswordLogin, preparePassword } from "../emailpassword/recipe-implementation.js";
import { isPasswordTooLong, PASSWORD_TOO_LONG_MESSAGE } from "../emailpassword/validators.js";
import { codeHashOf, newCodeSalt, newSmsCode, PASSWORD_RESET_PURPOSE, PHONE_VERIFICATION_PURPOSE, type CodeKey } from "./sms-codes.js";
import type { CodeFailure, PolicyViolation, RecipeInterface, TypeNormalisedInput } from "./types.js";

export const PHONEPASSWORD_RECIPE_ID = "phonepassword";
const RECIPE: RecipeId = "phonepassword";
const EXPIRED_CODE_SWEEP_INTERVAL_MS = 3_600_000;

/** The phone + password functions over the credential, phone-code and phone-verification stores. */
export function createPhonePasswordRecipeImplementation(engine: Engine, config: TypeNormalisedInput): RecipeInterface {
  const { storage, passwordHasher, clock, random } = engine;
  let lastSweepAt = 0;
  const sweepIfDue = (now: number): void => {
    if (now - lastSweepAt < EXPIRED_CODE_SWEEP_INTERVAL_MS) return;
    lastSweepAt = now;
    // Expired codes are harmless (every use checks expiry); the sweep only keeps the table small.
    storage.phoneCodes.deleteExpired(now).catch((error: unknown) => engine.log.error("Deleting expired phone codes failed", error));
  };

  const hashPassword = async (password: string): Promise<string> => {
    if (isPasswordTooLong(password)) throw new Error(PASSWORD_TOO_LONG_MESSAGE);
    return passwordHasher.hash(preparePassword(password));
  };

  const policyViolation = async (password: string, tenantId: string): Promise<PolicyViolation | undefined> => {
    if (isPasswordTooLong(password)) return { status: "PASSWORD_POLICY_VIOLATED_ERROR", failureReason: PASSWORD_TOO_LONG_MESSAGE };
    const failureReason = await config.validatePassword(password, tenantId);
    return failureReason === undefined ? undefined : { status: "PASSWORD_POLICY_VIOLATED_ERROR", failureReason };
  };

  const issueCode = async (key: CodeKey, userId: string): Promise<string> => {
    const code = newSmsCode(random);
    const codeSalt = newCodeSalt(random);
    const now = clock.now();
    sweepIfDue(now);
    await storage.phoneCodes.issue({ ...key, userId, codeHash: codeHashOf(codeSalt, key, code), codeSalt, createdAt: now, expiresAt: now + config.codeLifetime });
    return code;
  };

  /** Checks a typed code against the key's code, counting a wrong one; `effects` happen in the same transaction as the use. */
  const useCode = async (
    key: CodeKey,
    code: string,
    effects: { andSetSecret?: { recipeId: RecipeId; secretHash: string }; andMarkVerified?: boolean },
  ): Promise<{ status: "OK"; userId: string } | CodeFailure> => {
    const stored = await storage.phoneCodes.get(key.tenantId, key.purpose, key.phoneNumber);
    if (stored === undefined) return { status: "RESTART_FLOW_ERROR" };
    const used = await storage.phoneCodes.consume({
      ...key,
      codeHash: codeHashOf(stored.codeSalt, key, code),
      now: clock.now(),
      maxFailedAttempts: config.maxCodeInputAttempts,
      ...effects,
    });
    if (used.status === "OK") return { status: "OK", userId: used.code.userId };
    if (used.status === "RESTART") return { status: "RESTART_FLOW_ERROR" };
    return {
      status: used.status === "EXPIRED_CODE" ? "EXPIRED_CODE_ERROR" : "INCORRECT_CODE_ERROR",
      failedCodeInputAttemptCount: used.failedAttempts,
      maximumCodeInputAttempts: config.maxCodeInputAttempts,
    };
  };

  const phoneLoginOf = async (recipeUserId: RecipeUserId) => {
    const user = await storage.users.get(recipeUserId.getAsString());
    return user?.loginMethods.find((method) => method.recipeId === RECIPE && method.recipeUserId === recipeUserId.getAsString());
  };

  return {
    async signUp(this: RecipeInterface, { phoneNumber, password, tenantId }) {
      if (!isValidPhoneNumber(phoneNumber)) throw new Error("signUp needs a valid phone number (E.164, e.g. +14155550123)");
      const result = await storage.credentials.createUser({
        userId: random.uuid(),
        recipeId: RECIPE,
        tenantId,
        identifier: { phoneNumber: normalisePhoneNumber(phoneNumber) },
        secretHash: await hashPassword(password),
        timeJoined: clock.now(),
      });
      if (result.status !== "OK") return { status: "PHONE_NUMBER_ALREADY_EXISTS_ERROR" };
      return { status: "OK", user: userFromStored(result.user), recipeUserId: new RecipeUserId(result.user.id) };
    },

    async signIn(this: RecipeInterface, input) {
      return this.verifyCredentials(input);
    },

    async verifyCredentials({ phoneNumber, password, tenantId }) {
      // Never hash attacker-sized input; the answer does not depend on the account, so nothing leaks.
      if (isPasswordTooLong(password) || !isValidPhoneNumber(phoneNumber)) return { status: "WRONG_CREDENTIALS_ERROR" };
      const prepared = preparePassword(password);
      const login = await storage.credentials.find(RECIPE, tenantId, { phoneNumber: normalisePhoneNumber(phoneNumber) });
      return checkPasswordLogin(engine, login, prepared);
    },

    async createPhoneVerificationCode({ recipeUserId, tenantId }) {
      const login = await phoneLoginOf(recipeUserId);
      if (login?.phoneNumber === undefined || !login.tenantIds.includes(tenantId)) return { status: "UNKNOWN_USER_ID_ERROR" };
      if (login.verified) return { status: "PHONE_ALREADY_VERIFIED_ERROR" };
      const key = { tenantId, purpose: PHONE_VERIFICATION_PURPOSE, phoneNumber: login.phoneNumber };
      const code = await issueCode(key, login.recipeUserId);
      return { status: "OK", code, phoneNumber: login.phoneNumber, codeLifetime: config.codeLifetime };
    },

    async verifyPhoneNumber({ phoneNumber, code, tenantId }) {
      if (!isValidPhoneNumber(phoneNumber)) return { status: "RESTART_FLOW_ERROR" };
      const key = { tenantId, purpose: PHONE_VERIFICATION_PURPOSE, phoneNumber: normalisePhoneNumber(phoneNumber) };
      const used = await useCode(key, code, { andMarkVerified: true });
      if (used.status !== "OK") return used;
      return { status: "OK", recipeUserId: new RecipeUserId(used.userId), phoneNumber: key.phoneNumber };
    },

    async isPhoneNumberVerified({ recipeUserId }) {
      return (await phoneLoginOf(recipeUserId))?.verified === true;
    },

    async createResetPasswordCode({ phoneNumber, tenantId }) {
      if (!isValidPhoneNumber(phoneNumber)) return { status: "UNKNOWN_PHONE_NUMBER_ERROR" };
      const normalised = normalisePhoneNumber(phoneNumber);
      const login = await storage.credentials.find(RECIPE, tenantId, { phoneNumber: normalised });
      if (login === undefined) return { status: "UNKNOWN_PHONE_NUMBER_ERROR" };
      const method = login.user.loginMethods.find((m) => m.recipeUserId === login.recipeUserId);
      // Only a number proven to be the user's may take the account over: an unverified one could be a typo, or someone else's.
      if (method?.verified !== true) return { status: "PHONE_NOT_VERIFIED_ERROR" };
      const code = await issueCode({ tenantId, purpose: PASSWORD_RESET_PURPOSE, phoneNumber: normalised }, login.recipeUserId);
      return { status: "OK", code, userId: login.user.id, phoneNumber: normalised, codeLifetime: config.codeLifetime };
    },

    async resetPasswordUsingCode({ phoneNumber, code, newPassword, tenantId }) {
      // Validation and hashing happen before the code is touched, so a weak password never burns a try.
      const violation = await policyViolation(newPassword, tenantId);
      if (violation !== undefined) return violation;
      if (!isValidPhoneNumber(phoneNumber)) return { status: "RESTART_FLOW_ERROR" };
      const key = { tenantId, purpose: PASSWORD_RESET_PURPOSE, phoneNumber: normalisePhoneNumber(phoneNumber) };
      if ((await storage.phoneCodes.get(key.tenantId, key.purpose, key.phoneNumber)) === undefined) return { status: "RESTART_FLOW_ERROR" };
      const secretHash = await hashPassword(newPassword);
      const used = await useCode(key, code, { andSetSecret: { recipeId: RECIPE, secretHash } });
      if (used.status !== "OK") return used;
      return { status: "OK", userId: used.userId, phoneNumber: key.phoneNumber };
    },

    async updatePhoneNumberOrPassword({ recipeUserId, phoneNumber, password, applyPasswordPolicy, tenantIdForPasswordPolicy }) {
      if (phoneNumber !== undefined && !isValidPhoneNumber(phoneNumber)) {
        return { status: "PHONE_NUMBER_CHANGE_NOT_ALLOWED_ERROR", reason: "Phone number is invalid" };
      }
      let secretHash: string | undefined;
      if (password !== undefined) {
        const violation = applyPasswordPolicy === false ? undefined : await policyViolation(password, tenantIdForPasswordPolicy);
        if (violation !== undefined) return violation;
        if (isPasswordTooLong(password)) return { status: "PASSWORD_POLICY_VIOLATED_ERROR", failureReason: PASSWORD_TOO_LONG_MESSAGE };
        secretHash = await hashPassword(password);
      }
      const status = await storage.credentials.update(RECIPE, recipeUserId.getAsString(), {
        // A new number is unverified: verification is stored per (user, number), so it does not carry over.
        ...(phoneNumber !== undefined ? { identifier: { phoneNumber: normalisePhoneNumber(phoneNumber) } } : {}),
        ...(secretHash !== undefined ? { secretHash } : {}),
      });
      if (status === "UNKNOWN_CREDENTIAL") return { status: "UNKNOWN_USER_ID_ERROR" };
      if (status === "IDENTIFIER_TAKEN") return { status: "PHONE_NUMBER_ALREADY_EXISTS_ERROR" };
      return { status };
    },
  };
}
