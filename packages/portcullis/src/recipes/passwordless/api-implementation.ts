import type { UserContext } from "../../core/user-context.js";
import type { Engine } from "../../engine/types.js";
import type { AccountIdentifier } from "../../storage/storage.js";
import { LOGIN_CODE_PURPOSE, throttled } from "../../limits/index.js";
import type { SessionRecipe } from "../session/session-recipe.js";
import { deviceMatches } from "./code-material.js";
import type { PasswordlessRecipe } from "./passwordless-recipe.js";
import { identifierOf } from "./recipe-implementation.js";
import type { APIInterface, APIOptions, Contact } from "./types.js";

const RECIPE_ID = "passwordless";
const SEND_FAILED_MESSAGE = "The code could not be sent. Please try again.";
const CODE_COLLISION_MESSAGE = "Failed to generate a one time code. Please try again";

/** The normalised email or phone number, as the limits count it. */
function accountOf(contact: Contact): string {
  const identifier = identifierOf(contact);
  return identifier.email ?? identifier.phoneNumber;
}

export function createPasswordlessAPIImplementation(engine: Engine, recipe: () => PasswordlessRecipe): APIInterface {
  const ipOf = (options: APIOptions) => engine.limits.clientIp(options.req);

  /**
   * Whether sign-up here can be refused at all: a recipe restricts it (invitations), or the tenant
   * is invite-only. When not, the account look-ups below are skipped: the common case pays nothing
   * (the tenant's settings are already read for this request).
   */
  const signUpRestricted = async (tenantId: string, userContext: UserContext) =>
    engine.listRecipes().some((module) => module.signUpGate !== undefined) || (await engine.tenantSettings(tenantId, userContext)).inviteOnly === true;

  /** The sign-up gate's refusal for an address without a passwordless account, or undefined. */
  const refusalFor = async (identifier: AccountIdentifier, tenantId: string, userContext: UserContext) => {
    if ((await engine.storage.credentials.find(RECIPE_ID, tenantId, identifier)) !== undefined) return undefined;
    const gate = await engine.mayCreateAccount({ recipeId: RECIPE_ID, tenantId, identifier, userContext });
    return gate.allowed ? undefined : { status: "GENERAL_ERROR" as const, message: gate.message };
  };

  /**
   * The sign-up gate is asked again when a code is used for an address without an account: an
   * invitation revoked or expired after the code was sent must not still admit a new account.
   */
  const consumeRefusal = async (preAuthSessionId: string, tenantId: string, options: APIOptions, userContext: UserContext) => {
    if (!(await signUpRestricted(tenantId, userContext))) return undefined;
    const device = await options.recipeImplementation.listCodesByPreAuthSessionId({ preAuthSessionId, tenantId, userContext });
    const now = engine.clock.now();
    // An attempt with no live code is answered by the consume itself (expired, restart).
    if (device === undefined || !device.codes.some((code) => code.timeCreated + code.codeLifetime > now)) return undefined;
    const contact = device.email !== undefined ? { email: device.email } : device.phoneNumber !== undefined ? { phoneNumber: device.phoneNumber } : undefined;
    return contact === undefined ? undefined : refusalFor(identifierOf(contact), tenantId, userContext);
  };

  return {
    async createCodePOST(input) {
      const { tenantId, options, userContext } = input;
      // Stored, counted and sent in its one normalised spelling.
      const identifier = identifierOf("email" in input ? { email: input.email } : { phoneNumber: input.phoneNumber });
      const contact: Contact = identifier.email !== undefined ? { email: identifier.email } : { phoneNumber: identifier.phoneNumber };
      const decision = await engine.limits.allowSend({ purpose: LOGIN_CODE_PURPOSE, tenantId, account: accountOf(contact), ip: ipOf(options) });
      if (!decision.allowed) return throttled(options.res, decision);

      const refusal = (await signUpRestricted(tenantId, userContext)) ? await refusalFor(identifier, tenantId, userContext) : undefined;
      if (refusal !== undefined) return refusal;

      const created = await options.recipeImplementation.createCode({
        ...contact,
        session: input.session,
        shouldTryLinkingWithSessionUser: input.shouldTryLinkingWithSessionUser,
        tenantId,
        userContext,
      });
      const sent = await recipe().sendCode(created, contact, tenantId, options, userContext);
      if (!sent) {
        // Nobody can use a code that never arrived; the attempt is withdrawn, not left to expire.
        await options.recipeImplementation.revokeCode({ preAuthSessionId: created.preAuthSessionId, tenantId, userContext });
        return { status: "GENERAL_ERROR", message: SEND_FAILED_MESSAGE };
      }
      return { status: "OK", deviceId: created.deviceId, preAuthSessionId: created.preAuthSessionId, flowType: options.config.flowType };
    },

    async resendCodePOST({ deviceId, preAuthSessionId, tenantId, options, userContext }) {
      const device = await options.recipeImplementation.listCodesByPreAuthSessionId({ preAuthSessionId, tenantId, userContext });
      if (device === undefined || !deviceMatches(deviceId, preAuthSessionId)) return { status: "RESTART_FLOW_ERROR" };
      const contact: Contact | undefined =
        device.email !== undefined ? { email: device.email } : device.phoneNumber !== undefined ? { phoneNumber: device.phoneNumber } : undefined;
      // A device whose contact kind the app no longer accepts cannot go on.
      if (contact === undefined || !recipe().acceptsContact(contact)) return { status: "RESTART_FLOW_ERROR" };

      const decision = await engine.limits.allowSend({ purpose: LOGIN_CODE_PURPOSE, tenantId, account: accountOf(contact), ip: ipOf(options), resend: true });
      if (!decision.allowed) return throttled(options.res, decision);

      // A random 6-digit code can repeat one the device already has; a few fresh draws settle it.
      for (let attempt = 0; attempt < 3; attempt++) {
        const created = await options.recipeImplementation.createNewCodeForDevice({ deviceId, tenantId, userContext });
        if (created.status === "RESTART_FLOW_ERROR") return created;
        if (created.status === "USER_INPUT_CODE_ALREADY_USED_ERROR") continue;
        const sent = await recipe().sendCode(created, contact, tenantId, options, userContext);
        if (!sent) {
          await options.recipeImplementation.revokeCode({ codeId: created.codeId, tenantId, userContext });
          return { status: "GENERAL_ERROR", message: SEND_FAILED_MESSAGE };
        }
        return { status: "OK" };
      }
      return { status: "GENERAL_ERROR", message: CODE_COLLISION_MESSAGE };
    },

    async consumeCodePOST(input) {
      const { tenantId, options, userContext } = input;
      const refusal = await consumeRefusal(input.preAuthSessionId, tenantId, options, userContext);
      if (refusal !== undefined) return refusal;
      const result = await options.recipeImplementation.consumeCode(input);
      if (result.status === "LINKING_TO_SESSION_USER_FAILED") {
        return { status: "SIGN_IN_UP_NOT_ALLOWED", reason: "Cannot sign in / up due to security reasons. Please contact support. (ERR_CODE_017)" };
      }
      if (result.status !== "OK") {
        if (result.status !== "RESTART_FLOW_ERROR") engine.emit({ type: "sign-in.failure", recipeId: RECIPE_ID, tenantId, reason: "wrong-credentials" });
        return result;
      }
      const identifier = identifierOf(result.consumedDevice.email !== undefined ? { email: result.consumedDevice.email } : { phoneNumber: result.consumedDevice.phoneNumber ?? "" });
      if (result.createdNewRecipeUser) await engine.accountCreated({ recipeId: RECIPE_ID, tenantId, identifier, userContext, userId: result.user.id });
      const session = await engine
        .requireRecipe<SessionRecipe>("session")
        .createNewSession(options.req, options.res, tenantId, result.recipeUserId, {}, {}, userContext);
      engine.emit(
        result.createdNewRecipeUser
          ? { type: "sign-up", recipeId: RECIPE_ID, tenantId, userId: result.user.id }
          : { type: "sign-in.success", recipeId: RECIPE_ID, tenantId, userId: result.user.id },
      );
      return { status: "OK", createdNewRecipeUser: result.createdNewRecipeUser, user: result.user, session };
    },

    async emailExistsGET({ email, tenantId, options }) {
      const decision = await engine.limits.allowLookup({ purpose: "email-exists", tenantId, ip: ipOf(options) });
      if (!decision.allowed) return throttled(options.res, decision);
      return { status: "OK", exists: (await engine.storage.credentials.find(RECIPE_ID, tenantId, identifierOf({ email }))) !== undefined };
    },

    async phoneNumberExistsGET({ phoneNumber, tenantId, options }) {
      const decision = await engine.limits.allowLookup({ purpose: "phone-exists", tenantId, ip: ipOf(options) });
      if (!decision.allowed) return throttled(options.res, decision);
      return { status: "OK", exists: (await engine.storage.credentials.find(RECIPE_ID, tenantId, identifierOf({ phoneNumber }))) !== undefined };
    },
  };
}
