import { badInput } from "../../core/errors.js";
import { isPlainObject } from "../../core/json.js";
import { isValidPhoneNumber, normalisePhoneNumber } from "../../core/normalise.js";
import { applyOverride } from "../../core/override.js";
import { RecipeUserId } from "../../core/recipe-user-id.js";
import { makeUserContext, type UserContext } from "../../core/user-context.js";
import { resolveSmsDelivery, type SmsDeliveryInterface } from "../../delivery/sms/sms-delivery.js";
import type { Engine, RecipeModule, RouteDefinition, RouteInput } from "../../engine/types.js";
import type { BaseRequest } from "../../http/base-request.js";
import type { BaseResponse } from "../../http/base-response.js";
import { PASSWORD_FACTOR } from "../emailpassword/recipe-implementation.js";
import { defaultPasswordValidator, MAX_PASSWORD_INPUT_BYTES } from "../emailpassword/validators.js";
import type { SessionRecipe } from "../session/session-recipe.js";
import type { SessionContainerInterface } from "../session/types.js";
import { createPhonePasswordAPIImplementation } from "./api-implementation.js";
import { outboxPhonePasswordSmsDelivery } from "./delivery.js";
import { parseFormFields, requiredString } from "./form-fields.js";
import { createPhonePasswordRecipeImplementation, PHONEPASSWORD_RECIPE_ID } from "./recipe-implementation.js";
import { codeHashOf, newCodeSalt, PASSWORD_RESET_PURPOSE } from "./sms-codes.js";
import type { APIInterface, APIOptions, CodeFailure, PolicyViolation, RecipeInterface, TypeInput, TypeNormalisedInput, TypePhonePasswordSmsDeliveryInput } from "./types.js";

export { PHONEPASSWORD_RECIPE_ID };
export const PHONE_NUMBER_INVALID_MESSAGE = "Phone number is invalid";
const PHONE_NUMBER_EXISTS_MESSAGE = "This phone number already exists. Please sign in instead.";
const MAX_CODE_LIFETIME_MS = 600_000;
const MAX_CODE_INPUT_ATTEMPTS = 5;
/** Longer than any phone number or code anyone types; longer input is malformed. */
const MAX_PHONE_INPUT = 64;
const MAX_CODE_INPUT = 64;

function normaliseConfig(input: TypeInput | undefined): TypeNormalisedInput {
  const codeLifetime = input?.codeLifetime ?? MAX_CODE_LIFETIME_MS;
  if (!Number.isInteger(codeLifetime) || codeLifetime < 1000 || codeLifetime > MAX_CODE_LIFETIME_MS) {
    throw new Error(`PhonePassword codeLifetime must be whole milliseconds between 1000 and ${MAX_CODE_LIFETIME_MS}, got ${String(codeLifetime)}`);
  }
  const maxCodeInputAttempts = input?.maxCodeInputAttempts ?? MAX_CODE_INPUT_ATTEMPTS;
  if (!Number.isInteger(maxCodeInputAttempts) || maxCodeInputAttempts < 1 || maxCodeInputAttempts > MAX_CODE_INPUT_ATTEMPTS) {
    throw new Error(`PhonePassword maxCodeInputAttempts must be a whole number from 1 to ${MAX_CODE_INPUT_ATTEMPTS}, got ${String(maxCodeInputAttempts)}`);
  }
  const phoneValidator = input?.validatePhoneNumber;
  const passwordValidator = input?.validatePassword;
  return {
    // The built-in check comes first and cannot be loosened: only real E.164 numbers get texts.
    validatePhoneNumber: async (value, tenantId) =>
      !isValidPhoneNumber(value) ? PHONE_NUMBER_INVALID_MESSAGE : phoneValidator !== undefined ? (await phoneValidator(value, tenantId)) ?? undefined : undefined,
    validatePassword: async (value, tenantId) => (passwordValidator !== undefined ? (await passwordValidator(value, tenantId)) ?? undefined : defaultPasswordValidator(value)),
    codeLifetime,
    maxCodeInputAttempts,
  };
}

function toRecipeUserId(value: RecipeUserId | string): RecipeUserId {
  return typeof value === "string" ? new RecipeUserId(value) : value;
}

export class PhonePasswordRecipe implements RecipeModule {
  readonly recipeId = PHONEPASSWORD_RECIPE_ID;
  readonly requires = ["session"] as const;
  readonly firstFactors = ["phonepassword"] as const;
  readonly config: TypeNormalisedInput;
  readonly recipeInterfaceImpl: RecipeInterface;
  readonly apiImpl: APIInterface;
  readonly smsDelivery: SmsDeliveryInterface<TypePhonePasswordSmsDeliveryInput>;

  constructor(
    readonly engine: Engine,
    input: TypeInput | undefined,
  ) {
    this.config = normaliseConfig(input);
    this.recipeInterfaceImpl = applyOverride(createPhonePasswordRecipeImplementation(engine, this.config), input?.override?.functions);
    this.apiImpl = applyOverride(createPhonePasswordAPIImplementation(engine, () => this), input?.override?.apis);
    if (input?.smsDelivery?.service === undefined) {
      engine.outbox.assertAllowedFor("PhonePassword's verification and reset texts", "PhonePassword.init({ smsDelivery: { service: new TwilioService({ twilioSettings }) } })");
    }
    this.smsDelivery = resolveSmsDelivery(input?.smsDelivery, outboxPhonePasswordSmsDelivery(engine));
  }

  // --- functions behind the SDK-shaped module -------------------------------------------

  signUp(tenantId: string, phoneNumber: string, password: string, userContext?: Record<string, unknown>) {
    return this.recipeInterfaceImpl.signUp({ phoneNumber, password, tenantId, userContext: makeUserContext(userContext) });
  }

  signIn(tenantId: string, phoneNumber: string, password: string, userContext?: Record<string, unknown>) {
    return this.recipeInterfaceImpl.signIn({ phoneNumber, password, tenantId, userContext: makeUserContext(userContext) });
  }

  async verifyCredentials(tenantId: string, phoneNumber: string, password: string, userContext?: Record<string, unknown>) {
    const result = await this.recipeInterfaceImpl.verifyCredentials({ phoneNumber, password, tenantId, userContext: makeUserContext(userContext) });
    return { status: result.status };
  }

  createPhoneVerificationCode(tenantId: string, recipeUserId: RecipeUserId | string, userContext?: Record<string, unknown>) {
    return this.recipeInterfaceImpl.createPhoneVerificationCode({ recipeUserId: toRecipeUserId(recipeUserId), tenantId, userContext: makeUserContext(userContext) });
  }

  /** createPhoneVerificationCode, then the text through the configured SMS delivery. */
  async sendPhoneVerificationCode(tenantId: string, recipeUserId: RecipeUserId | string, userContext?: Record<string, unknown>) {
    const context = makeUserContext(userContext);
    const created = await this.recipeInterfaceImpl.createPhoneVerificationCode({ recipeUserId: toRecipeUserId(recipeUserId), tenantId, userContext: context });
    if (created.status !== "OK") return created;
    await this.smsDelivery.sendSms({ type: "PHONE_VERIFICATION", phoneNumber: created.phoneNumber, code: created.code, codeLifetime: created.codeLifetime, tenantId, userContext: context });
    return { status: "OK" as const };
  }

  verifyPhoneNumber(tenantId: string, phoneNumber: string, code: string, userContext?: Record<string, unknown>) {
    return this.recipeInterfaceImpl.verifyPhoneNumber({ phoneNumber, code, tenantId, userContext: makeUserContext(userContext) });
  }

  isPhoneNumberVerified(recipeUserId: RecipeUserId | string, userContext?: Record<string, unknown>) {
    return this.recipeInterfaceImpl.isPhoneNumberVerified({ recipeUserId: toRecipeUserId(recipeUserId), userContext: makeUserContext(userContext) });
  }

  createResetPasswordCode(tenantId: string, phoneNumber: string, userContext?: Record<string, unknown>) {
    return this.recipeInterfaceImpl.createResetPasswordCode({ phoneNumber, tenantId, userContext: makeUserContext(userContext) });
  }

  resetPasswordUsingCode(tenantId: string, phoneNumber: string, code: string, newPassword: string, userContext?: Record<string, unknown>) {
    return this.resetPassword(tenantId, phoneNumber, code, newPassword, makeUserContext(userContext));
  }

  /** Uses the code and sets the password in one transaction, then ends every session of the user (seed 001). */
  async resetPassword(
    tenantId: string,
    phoneNumber: string,
    code: string,
    newPassword: string,
    userContext: UserContext,
  ): Promise<{ status: "OK"; userId: string; phoneNumber: string } | CodeFailure | PolicyViolation> {
    const result = await this.recipeInterfaceImpl.resetPasswordUsingCode({ phoneNumber, code, newPassword, tenantId, userContext });
    if (result.status !== "OK") return result;
    this.engine.emit({ type: "password-reset.used", tenantId, userId: result.userId });
    // Holding the phone proves ownership: the sign-in throttle never locks the owner out for good.
    // The password has changed by now, so a counter store out of reach must not stop the revocation.
    await this.engine.limits.clearFailures({ factor: PASSWORD_FACTOR, tenantId, account: result.phoneNumber }).catch((error: unknown) => {
      this.engine.log.warn(`Could not clear the sign-in failures after a password reset: ${error instanceof Error ? error.message : String(error)}`);
    });
    await this.revokeAllSessions(result.userId, tenantId, userContext);
    return result;
  }

  /** Checks the old password, sets the new one, and ends every session of the user. */
  async changePassword(
    tenantId: string,
    recipeUserId: RecipeUserId | string,
    oldPassword: string,
    newPassword: string,
    userContext?: Record<string, unknown>,
  ): Promise<{ status: "OK" } | { status: "WRONG_CREDENTIALS_ERROR" } | { status: "UNKNOWN_USER_ID_ERROR" } | PolicyViolation> {
    const context = makeUserContext(userContext);
    const id = toRecipeUserId(recipeUserId);
    const user = await this.engine.storage.users.get(id.getAsString());
    const login = user?.loginMethods.find((m) => m.recipeId === PHONEPASSWORD_RECIPE_ID && m.tenantIds.includes(tenantId));
    if (user === undefined || login?.phoneNumber === undefined) return { status: "UNKNOWN_USER_ID_ERROR" };
    // The policy first: a weak new password is refused without spending a password check.
    const failureReason = await this.config.validatePassword(newPassword, tenantId);
    if (failureReason !== undefined) return { status: "PASSWORD_POLICY_VIOLATED_ERROR", failureReason };
    const checked = await this.recipeInterfaceImpl.verifyCredentials({ phoneNumber: login.phoneNumber, password: oldPassword, tenantId, userContext: context });
    if (checked.status !== "OK" || checked.recipeUserId.getAsString() !== id.getAsString()) return { status: "WRONG_CREDENTIALS_ERROR" };
    const updated = await this.recipeInterfaceImpl.updatePhoneNumberOrPassword({
      recipeUserId: id,
      password: newPassword,
      applyPasswordPolicy: true,
      tenantIdForPasswordPolicy: tenantId,
      userContext: context,
    });
    if (updated.status === "PASSWORD_POLICY_VIOLATED_ERROR") return updated;
    if (updated.status !== "OK") return { status: "UNKNOWN_USER_ID_ERROR" };
    await this.revokeAllSessions(user.id, tenantId, context);
    return { status: "OK" };
  }

  updatePhoneNumberOrPassword(input: {
    recipeUserId: RecipeUserId | string;
    phoneNumber?: string;
    password?: string;
    applyPasswordPolicy?: boolean;
    tenantIdForPasswordPolicy?: string;
    userContext?: Record<string, unknown>;
  }) {
    return this.recipeInterfaceImpl.updatePhoneNumberOrPassword({
      recipeUserId: toRecipeUserId(input.recipeUserId),
      ...(input.phoneNumber !== undefined ? { phoneNumber: input.phoneNumber } : {}),
      ...(input.password !== undefined ? { password: input.password } : {}),
      ...(input.applyPasswordPolicy !== undefined ? { applyPasswordPolicy: input.applyPasswordPolicy } : {}),
      tenantIdForPasswordPolicy: input.tenantIdForPasswordPolicy ?? "public",
      userContext: makeUserContext(input.userContext),
    });
  }

  async revokeAllSessions(userId: string, tenantId: string, userContext: UserContext): Promise<void> {
    const session = this.engine.getRecipe<SessionRecipe>("session");
    await session?.recipeInterfaceImpl.revokeAllSessionsForUser({ userId, revokeSessionsForLinkedAccounts: true, tenantId, revokeAcrossAllTenants: true, userContext });
  }

  /**
   * What a reset request for an unknown number does instead of issuing a code: the same write
   * (and a delete) under a key no number has, so the answer's timing does not tell whether the
   * account exists. Nothing about the request is stored.
   */
  async simulateCodeIssue(tenantId: string): Promise<void> {
    const { random, clock, storage } = this.engine;
    const key = { tenantId, purpose: PASSWORD_RESET_PURPOSE, phoneNumber: `unknown:${random.uuid()}` };
    const salt = newCodeSalt(random);
    const now = clock.now();
    await storage.phoneCodes.issue({ ...key, userId: random.uuid(), codeHash: codeHashOf(salt, key, "000000"), codeSalt: salt, createdAt: now, expiresAt: now });
    await storage.phoneCodes.delete(key.tenantId, key.purpose, key.phoneNumber);
  }

  // --- HTTP ---------------------------------------------------------------------------------

  private apiOptions(req: BaseRequest, res: BaseResponse): APIOptions {
    return {
      recipeImplementation: this.recipeInterfaceImpl,
      appInfo: this.engine.appInfo,
      config: this.config,
      recipeId: this.recipeId,
      isInServerlessEnv: false,
      req,
      res,
      smsDelivery: { ingredientInterfaceImpl: this.smsDelivery },
    };
  }

  private async session(req: BaseRequest, res: BaseResponse, userContext: UserContext, skipClaims: boolean): Promise<SessionContainerInterface> {
    const session = await this.engine.requireRecipe<SessionRecipe>("session").getSession(
      req,
      res,
      { sessionRequired: true, ...(skipClaims ? { overrideGlobalClaimValidators: () => [] } : {}) },
      userContext,
    );
    if (session === undefined) throw new Error("A required session was undefined");
    return session;
  }

  getRoutes(): RouteDefinition[] {
    const body = async (req: BaseRequest): Promise<Record<string, unknown>> => {
      const parsed: unknown = await req.getJSONBody();
      return isPlainObject(parsed) ? parsed : {};
    };
    const api = this.apiImpl;
    const route = (method: "get" | "post", path: string, fn: unknown, handle: (input: RouteInput) => Promise<void>): RouteDefinition => ({
      method,
      path,
      tenantScoped: true,
      disabled: fn === undefined,
      handle,
    });
    const phoneOf = (value: Record<string, unknown>) => requiredString(value, "phoneNumber", MAX_PHONE_INPUT).trim();
    return [
      route("post", "/phonepassword/signup", api.signUpPOST, async ({ tenantId, req, res, userContext }) => {
        const parsed = await parseFormFields((await body(req))["formFields"], {
          phoneNumber: (value) => this.config.validatePhoneNumber(value, tenantId),
          password: (value) => this.config.validatePassword(value, tenantId),
        });
        if (parsed.status !== "OK") return res.sendJSONResponse(parsed);
        const result = await api.signUpPOST?.({ formFields: parsed.formFields, tenantId, options: this.apiOptions(req, res), userContext });
        if (result?.status === "OK") res.sendJSONResponse({ status: "OK", user: result.user.toJson() });
        else if (result?.status === "PHONE_NUMBER_ALREADY_EXISTS_ERROR") {
          res.sendJSONResponse({ status: "FIELD_ERROR", formFields: [{ id: "phoneNumber", error: PHONE_NUMBER_EXISTS_MESSAGE }] });
        } else res.sendJSONResponse(result);
      }),
      route("post", "/phonepassword/signin", api.signInPOST, async ({ tenantId, req, res, userContext }) => {
        // Sign-in checks the number's shape (never the password policy: old passwords must still work).
        const parsed = await parseFormFields((await body(req))["formFields"], {
          phoneNumber: async (value) => (isValidPhoneNumber(value) ? undefined : PHONE_NUMBER_INVALID_MESSAGE),
          password: async () => undefined,
        });
        if (parsed.status !== "OK") return res.sendJSONResponse(parsed);
        const result = await api.signInPOST?.({ formFields: parsed.formFields, tenantId, options: this.apiOptions(req, res), userContext });
        res.sendJSONResponse(result?.status === "OK" ? { status: "OK", user: result.user.toJson() } : result);
      }),
      route("get", "/phonepassword/phonenumber/exists", api.phoneNumberExistsGET, async ({ tenantId, req, res, userContext }) => {
        const phoneNumber = req.getKeyValueFromQuery("phoneNumber");
        if (phoneNumber === undefined) throw badInput("Please provide the phoneNumber as a GET param");
        if (phoneNumber.length > MAX_PHONE_INPUT) throw badInput(`phoneNumber must be at most ${MAX_PHONE_INPUT} characters`);
        // No account can have an invalid number; asking the database would only fail on some (NUL on PostgreSQL).
        if (!isValidPhoneNumber(phoneNumber)) return res.sendJSONResponse({ status: "OK", exists: false });
        res.sendJSONResponse(await api.phoneNumberExistsGET?.({ phoneNumber: normalisePhoneNumber(phoneNumber), tenantId, options: this.apiOptions(req, res), userContext }));
      }),
      route("post", "/phonepassword/verify/code", api.generatePhoneVerificationCodePOST, async ({ tenantId, req, res, userContext }) => {
        const session = await this.session(req, res, userContext, true);
        res.sendJSONResponse(await api.generatePhoneVerificationCodePOST?.({ session, tenantId, options: this.apiOptions(req, res), userContext }));
      }),
      route("post", "/phonepassword/verify", api.verifyPhoneNumberPOST, async ({ tenantId, req, res, userContext }) => {
        const code = requiredString(await body(req), "code", MAX_CODE_INPUT);
        const session = await this.session(req, res, userContext, true);
        res.sendJSONResponse(await api.verifyPhoneNumberPOST?.({ session, code, tenantId, options: this.apiOptions(req, res), userContext }));
      }),
      route("post", "/phonepassword/reset/code", api.generatePasswordResetCodePOST, async ({ tenantId, req, res, userContext }) => {
        const phoneNumber = phoneOf(await body(req));
        if (!isValidPhoneNumber(phoneNumber)) throw badInput(PHONE_NUMBER_INVALID_MESSAGE);
        res.sendJSONResponse(await api.generatePasswordResetCodePOST?.({ phoneNumber, tenantId, options: this.apiOptions(req, res), userContext }));
      }),
      route("post", "/phonepassword/reset", api.passwordResetPOST, async ({ tenantId, req, res, userContext }) => {
        const input = await body(req);
        const phoneNumber = phoneOf(input);
        const code = requiredString(input, "code", MAX_CODE_INPUT);
        const newPassword = requiredString(input, "newPassword", MAX_PASSWORD_INPUT_BYTES);
        if (!isValidPhoneNumber(phoneNumber)) throw badInput(PHONE_NUMBER_INVALID_MESSAGE);
        res.sendJSONResponse(await api.passwordResetPOST?.({ phoneNumber, code, newPassword, tenantId, options: this.apiOptions(req, res), userContext }));
      }),
      route("post", "/phonepassword/password/change", api.passwordChangePOST, async ({ tenantId, req, res, userContext }) => {
        const input = await body(req);
        const oldPassword = requiredString(input, "oldPassword", MAX_PASSWORD_INPUT_BYTES);
        const newPassword = requiredString(input, "newPassword", MAX_PASSWORD_INPUT_BYTES);
        const session = await this.session(req, res, userContext, false);
        res.sendJSONResponse(await api.passwordChangePOST?.({ session, oldPassword, newPassword, tenantId, options: this.apiOptions(req, res), userContext }));
      }),
    ];
  }
}

export function initPhonePassword(config?: TypeInput): (engine: Engine) => PhonePasswordRecipe {
  return (engine) => new PhonePasswordRecipe(engine, config);
}
