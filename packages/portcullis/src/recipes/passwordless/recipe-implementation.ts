import { normaliseEmail, normalisePhoneNumber } from "../../core/normalise.js";
import { RecipeUserId } from "../../core/recipe-user-id.js";
import { userFromStored, type User } from "../../core/user.js";
import type { Engine } from "../../engine/types.js";
import type { AccountIdentifier, LoginCodeDevice } from "../../storage/storage.js";
import { deviceMatches, linkCodeFor, linkCodeHashOf, newDevice, newUserInputCode, preAuthSessionIdOf } from "./code-material.js";
import type { CodeFailure, CodeInput, ConsumedDevice, Contact, CreateCodeResult, DeviceType, RecipeInterface, TypeNormalisedInput } from "./types.js";

const RECIPE_ID = "passwordless";
/** Attempts whose codes have all expired are deleted at most this often per instance, on a new code. */
const EXPIRED_DEVICE_SWEEP_INTERVAL_MS = 3_600_000;

/** The one spelling a contact is stored and looked up in. */
export function identifierOf(contact: Contact): AccountIdentifier {
  return contact.email !== undefined ? { email: normaliseEmail(contact.email) } : { phoneNumber: normalisePhoneNumber(contact.phoneNumber) };
}

function toDeviceType(device: LoginCodeDevice): DeviceType {
  return {
    preAuthSessionId: device.preAuthSessionId,
    failedCodeInputAttemptCount: device.failedAttempts,
    ...device.identifier,
    codes: device.codes.map((code) => ({ codeId: code.codeId, timeCreated: code.createdAt, codeLifetime: code.expiresAt - code.createdAt })),
  };
}

function toConsumedDevice(device: LoginCodeDevice): ConsumedDevice {
  return { preAuthSessionId: device.preAuthSessionId, failedCodeInputAttemptCount: device.failedAttempts, ...device.identifier };
}

/**
 * The passwordless functions over the login-code store. Codes live `codeLifetime` ms (the engine's
 * `passwordlessCodeLifetime` unless a caller such as an invitation asks for longer).
 */
export function createPasswordlessRecipeImplementation(engine: Engine, config: TypeNormalisedInput): RecipeInterface {
  const { storage, clock, random, settings } = engine;
  const store = storage.loginCodes;
  const maxAttempts = settings.passwordlessMaxCodeInputAttempts;
  let lastSweepAt = 0;
  const sweepIfDue = (now: number): void => {
    if (now - lastSweepAt < EXPIRED_DEVICE_SWEEP_INTERVAL_MS) return;
    lastSweepAt = now;
    // Expired attempts are harmless (every read checks expiry); the sweep only keeps the tables small.
    store.deleteExpired(now).catch((error: unknown) => engine.log.error("Deleting expired passwordless codes failed", error));
  };

  const codeFor = async (tenantId: string, userInputCode: string | undefined, userContext: Record<string, unknown>) =>
    userInputCode ?? (config.getCustomUserInputCode !== undefined ? await config.getCustomUserInputCode(tenantId, userContext) : newUserInputCode(random));

  /** Finds the device and checks the code against it, counting a wrong typed code. */
  const useCode = async (input: CodeInput & { tenantId: string }): Promise<{ status: "OK"; device: LoginCodeDevice } | CodeFailure> => {
    let linkCode: string;
    if (input.linkCode !== undefined) {
      linkCode = input.linkCode;
    } else {
      // A device id that is not the one behind preAuthSessionId can only be a forgery or a mix-up.
      if (!deviceMatches(input.deviceId, input.preAuthSessionId)) return { status: "RESTART_FLOW_ERROR" };
      const device = await store.getDevice(input.tenantId, input.preAuthSessionId);
      if (device === undefined) return { status: "RESTART_FLOW_ERROR" };
      linkCode = linkCodeFor(input.deviceId, device.linkCodeSalt, input.userInputCode);
    }
    const used = await store.consumeCode({
      tenantId: input.tenantId,
      preAuthSessionId: input.preAuthSessionId,
      linkCodeHash: linkCodeHashOf(linkCode),
      now: clock.now(),
      // A link code is 256 bits: a wrong one is not a guess worth counting, and counting it would let
      // anyone who saw the preAuthSessionId burn the user's attempts.
      countFailure: input.linkCode === undefined,
      maxFailedAttempts: maxAttempts,
    });
    switch (used.status) {
      case "OK":
        return used;
      case "RESTART":
        return { status: "RESTART_FLOW_ERROR" };
      case "EXPIRED_CODE":
        return { status: "EXPIRED_USER_INPUT_CODE_ERROR", failedCodeInputAttemptCount: used.failedAttempts, maximumCodeInputAttempts: maxAttempts };
      case "INCORRECT_CODE":
        return { status: "INCORRECT_USER_INPUT_CODE_ERROR", failedCodeInputAttemptCount: used.failedAttempts, maximumCodeInputAttempts: maxAttempts };
    }
  };

  /** The passwordless user with this contact in the tenant, created if there is none. */
  const signInOrUp = async (tenantId: string, identifier: AccountIdentifier): Promise<{ user: User; createdNewRecipeUser: boolean }> => {
    let createdNewRecipeUser = false;
    let found = await storage.credentials.find(RECIPE_ID, tenantId, identifier);
    if (found === undefined) {
      const created = await storage.credentials.createUser({
        userId: random.uuid(),
        recipeId: RECIPE_ID,
        tenantId,
        identifier,
        timeJoined: clock.now(),
      });
      // Lost a race with a concurrent sign-up of the same contact: that account is the one.
      if (created.status === "OK") createdNewRecipeUser = true;
      found = await storage.credentials.find(RECIPE_ID, tenantId, identifier);
      if (found === undefined) throw new Error("A passwordless user vanished right after it was created");
    }
    // Receiving the code proved the address: the email counts as verified from now on.
    if (identifier.email !== undefined) await storage.emailVerification.markVerified(found.recipeUserId, identifier.email);
    const user = await storage.users.get(found.user.id);
    if (user === undefined) throw new Error("A passwordless user vanished while signing in");
    return { user: userFromStored(user), createdNewRecipeUser };
  };

  return {
    async createCode(input) {
      const identifier = identifierOf(input);
      const userInputCode = await codeFor(input.tenantId, input.userInputCode, input.userContext);
      const device = newDevice(random);
      const linkCode = linkCodeFor(device.deviceId, device.linkCodeSalt, userInputCode);
      const now = clock.now();
      const codeId = random.uuid();
      sweepIfDue(now);
      const codeLifetime = input.codeLifetime ?? (await engine.tenantSettings(input.tenantId, input.userContext)).core.passwordlessCodeLifetime;
      if (!(Number.isSafeInteger(codeLifetime) && codeLifetime > 0)) throw new RangeError("codeLifetime must be a positive whole number of milliseconds");
      await store.createDevice(
        { tenantId: input.tenantId, preAuthSessionId: device.preAuthSessionId, identifier, linkCodeSalt: device.linkCodeSalt },
        { codeId, linkCodeHash: linkCodeHashOf(linkCode), createdAt: now, expiresAt: now + codeLifetime },
      );
      return {
        status: "OK",
        preAuthSessionId: device.preAuthSessionId,
        codeId,
        deviceId: device.deviceId,
        userInputCode,
        linkCode,
        codeLifetime,
        timeCreated: now,
      };
    },

    async createNewCodeForDevice({ deviceId, userInputCode, tenantId, userContext }) {
      const preAuthSessionId = preAuthSessionIdOf(deviceId);
      const device = await store.getDevice(tenantId, preAuthSessionId);
      if (device === undefined) return { status: "RESTART_FLOW_ERROR" };
      const code = await codeFor(tenantId, userInputCode, userContext);
      const linkCode = linkCodeFor(deviceId, device.linkCodeSalt, code);
      const codeLifetime = (await engine.tenantSettings(tenantId, userContext)).core.passwordlessCodeLifetime;
      const now = clock.now();
      const codeId = random.uuid();
      const added = await store.addCode(
        tenantId,
        preAuthSessionId,
        { codeId, linkCodeHash: linkCodeHashOf(linkCode), createdAt: now, expiresAt: now + codeLifetime },
        now,
      );
      if (added === "UNKNOWN_DEVICE") return { status: "RESTART_FLOW_ERROR" };
      if (added === "CODE_TAKEN") return { status: "USER_INPUT_CODE_ALREADY_USED_ERROR" };
      const result: CreateCodeResult = {
        status: "OK",
        preAuthSessionId,
        codeId,
        deviceId,
        userInputCode: code,
        linkCode,
        codeLifetime,
        timeCreated: now,
      };
      return result;
    },

    async consumeCode(input) {
      const used = await useCode(input);
      if (used.status !== "OK") return used;
      const { user, createdNewRecipeUser } = await signInOrUp(input.tenantId, used.device.identifier);
      const recipeUserId = user.loginMethods.find((method) => method.recipeId === RECIPE_ID)?.recipeUserId ?? new RecipeUserId(user.id);
      return { status: "OK", consumedDevice: toConsumedDevice(used.device), createdNewRecipeUser, user, recipeUserId };
    },

    async checkCode(input) {
      // Checking must not use the code up, so a matching code is looked for without the store's consume.
      if (input.linkCode === undefined && !deviceMatches(input.deviceId, input.preAuthSessionId)) return { status: "RESTART_FLOW_ERROR" };
      const device = await store.getDevice(input.tenantId, input.preAuthSessionId);
      if (device === undefined) return { status: "RESTART_FLOW_ERROR" };
      const linkCode = input.linkCode ?? linkCodeFor(input.deviceId, device.linkCodeSalt, input.userInputCode);
      const hash = linkCodeHashOf(linkCode);
      const now = clock.now();
      if (device.codes.some((code) => code.linkCodeHash === hash && code.expiresAt > now)) {
        return { status: "OK", consumedDevice: toConsumedDevice(device) };
      }
      // Not a valid code: the store counts the failure exactly as a consume would.
      const failure = await useCode(input);
      return failure.status === "OK" ? { status: "OK", consumedDevice: toConsumedDevice(failure.device) } : failure;
    },

    async updateUser({ recipeUserId, email, phoneNumber }) {
      const user = await storage.users.get(recipeUserId.getAsString());
      const login = user?.loginMethods.find((method) => method.recipeId === RECIPE_ID && method.recipeUserId === recipeUserId.getAsString());
      if (login === undefined) return { status: "UNKNOWN_USER_ID_ERROR" };
      const newEmail = email === undefined ? undefined : email === null ? null : normaliseEmail(email);
      const newPhone = phoneNumber === undefined ? undefined : phoneNumber === null ? null : normalisePhoneNumber(phoneNumber);
      if (typeof newEmail === "string" && typeof newPhone === "string") {
        return { status: "EMAIL_CHANGE_NOT_ALLOWED_ERROR", reason: "A passwordless login signs in with one email or one phone number, not both" };
      }
      let identifier: AccountIdentifier | undefined;
      if (typeof newEmail === "string") identifier = { email: newEmail };
      else if (typeof newPhone === "string") identifier = { phoneNumber: newPhone };
      else {
        // Only clearing: allowed for a value the user does not sign in with, refused for the one they do.
        const clearsOwnEmail = newEmail === null && login.email !== undefined;
        const clearsOwnPhone = newPhone === null && login.phoneNumber !== undefined;
        if (clearsOwnEmail) return { status: "EMAIL_CHANGE_NOT_ALLOWED_ERROR", reason: "A passwordless user must keep an email or a phone number" };
        if (clearsOwnPhone) return { status: "PHONE_NUMBER_CHANGE_NOT_ALLOWED_ERROR", reason: "A passwordless user must keep an email or a phone number" };
        return { status: "OK" };
      }
      const updated = await storage.credentials.update(RECIPE_ID, login.recipeUserId, { identifier });
      if (updated === "UNKNOWN_CREDENTIAL") return { status: "UNKNOWN_USER_ID_ERROR" };
      if (updated === "IDENTIFIER_TAKEN") return { status: identifier.email !== undefined ? "EMAIL_ALREADY_EXISTS_ERROR" : "PHONE_NUMBER_ALREADY_EXISTS_ERROR" };
      return { status: "OK" };
    },

    async revokeAllCodes(input) {
      await store.deleteDevicesOf(input.tenantId, identifierOf(input));
      return { status: "OK" };
    },

    async revokeCode(input) {
      if (input.codeId !== undefined) await store.deleteCode(input.tenantId, input.codeId);
      else await store.deleteDevice(input.tenantId, input.preAuthSessionId);
      return { status: "OK" };
    },

    async listCodesByEmail({ email, tenantId }) {
      return (await store.listDevices(tenantId, { email: normaliseEmail(email) })).map(toDeviceType);
    },

    async listCodesByPhoneNumber({ phoneNumber, tenantId }) {
      return (await store.listDevices(tenantId, { phoneNumber: normalisePhoneNumber(phoneNumber) })).map(toDeviceType);
    },

    async listCodesByDeviceId({ deviceId, tenantId }) {
      const device = await store.getDevice(tenantId, preAuthSessionIdOf(deviceId));
      return device === undefined ? undefined : toDeviceType(device);
    },

    async listCodesByPreAuthSessionId({ preAuthSessionId, tenantId }) {
      const device = await store.getDevice(tenantId, preAuthSessionId);
      return device === undefined ? undefined : toDeviceType(device);
    },
  };
}
