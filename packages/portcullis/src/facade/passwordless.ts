import { makeUserContext } from "../core/user-context.js";
import { initPasswordless, PASSWORDLESS_RECIPE_ID, type PasswordlessRecipe } from "../recipes/passwordless/passwordless-recipe.js";
import type { CodeInput, Contact, RecipeInterface, TypePasswordlessEmailDeliveryInput, TypePasswordlessSmsDeliveryInput } from "../recipes/passwordless/types.js";
import type { RecipeUserId } from "../core/recipe-user-id.js";
import type { SessionContainerInterface } from "../recipes/session/types.js";
import { getDefaultInstance } from "./default-instance.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- these signatures mirror the SDK's public types */

const recipe = (): PasswordlessRecipe => getDefaultInstance().engine.requireRecipe<PasswordlessRecipe>(PASSWORDLESS_RECIPE_ID);
const implementation = (): RecipeInterface => recipe().recipeInterfaceImpl;
const context = (userContext: Record<string, any> | undefined) => makeUserContext(userContext, getDefaultInstance().engine.clock);
/** The SDK's functions take `{ email }` or `{ phoneNumber }` among other fields; only the contact is passed on. */
const contactOf = (input: { email?: string | undefined; phoneNumber?: string | undefined }): Contact => {
  if (input.email !== undefined && input.phoneNumber !== undefined) throw new Error("Please provide exactly one of email or phoneNumber");
  if (input.email !== undefined) return { email: input.email };
  if (input.phoneNumber !== undefined) return { phoneNumber: input.phoneNumber };
  throw new Error("Please provide exactly one of email or phoneNumber");
};

type Result<K extends keyof RecipeInterface> = ReturnType<RecipeInterface[K]>;
type ContactInput = { email: string; phoneNumber?: undefined } | { phoneNumber: string; email?: undefined };
type WithSession = { session?: SessionContainerInterface | undefined; userContext?: Record<string, any> | undefined };

export default class PasswordlessWrapper {
  static init = initPasswordless;

  static createCode(input: ContactInput & { tenantId: string; userInputCode?: string | undefined } & WithSession): Result<"createCode"> {
    return implementation().createCode({
      ...contactOf(input),
      tenantId: input.tenantId,
      userInputCode: input.userInputCode,
      session: input.session,
      shouldTryLinkingWithSessionUser: input.session !== undefined,
      userContext: context(input.userContext),
    });
  }

  static createNewCodeForDevice(input: { deviceId: string; tenantId: string; userInputCode?: string | undefined; userContext?: Record<string, any> }): Result<"createNewCodeForDevice"> {
    return implementation().createNewCodeForDevice({ ...input, userContext: context(input.userContext) });
  }

  static consumeCode(input: CodeInput & { tenantId: string } & WithSession): Result<"consumeCode"> {
    return implementation().consumeCode({
      ...input,
      session: input.session,
      shouldTryLinkingWithSessionUser: input.session !== undefined,
      userContext: context(input.userContext),
    });
  }

  static checkCode(input: CodeInput & { tenantId: string; userContext?: Record<string, any> }): Result<"checkCode"> {
    return implementation().checkCode({ ...input, userContext: context(input.userContext) });
  }

  static updateUser(input: { recipeUserId: RecipeUserId; email?: string | null; phoneNumber?: string | null; userContext?: Record<string, any> }): Result<"updateUser"> {
    return implementation().updateUser({ ...input, userContext: context(input.userContext) });
  }

  static revokeAllCodes(input: ContactInput & { tenantId: string; userContext?: Record<string, any> }): Result<"revokeAllCodes"> {
    return implementation().revokeAllCodes({ ...contactOf(input), tenantId: input.tenantId, userContext: context(input.userContext) });
  }

  static revokeCode(
    input: ({ codeId: string; preAuthSessionId?: undefined } | { preAuthSessionId: string; codeId?: undefined }) & { tenantId: string; userContext?: Record<string, any> },
  ): Result<"revokeCode"> {
    return implementation().revokeCode({ ...input, userContext: context(input.userContext) });
  }

  static listCodesByEmail(input: { email: string; tenantId: string; userContext?: Record<string, any> }): Result<"listCodesByEmail"> {
    return implementation().listCodesByEmail({ ...input, userContext: context(input.userContext) });
  }

  static listCodesByPhoneNumber(input: { phoneNumber: string; tenantId: string; userContext?: Record<string, any> }): Result<"listCodesByPhoneNumber"> {
    return implementation().listCodesByPhoneNumber({ ...input, userContext: context(input.userContext) });
  }

  static listCodesByDeviceId(input: { deviceId: string; tenantId: string; userContext?: Record<string, any> }): Result<"listCodesByDeviceId"> {
    return implementation().listCodesByDeviceId({ ...input, userContext: context(input.userContext) });
  }

  static listCodesByPreAuthSessionId(input: { preAuthSessionId: string; tenantId: string; userContext?: Record<string, any> }): Result<"listCodesByPreAuthSessionId"> {
    return implementation().listCodesByPreAuthSessionId({ ...input, userContext: context(input.userContext) });
  }

  static createMagicLink(input: ContactInput & { tenantId: string; userContext?: Record<string, any> }): Promise<string> {
    return recipe().createMagicLink(contactOf(input), input.tenantId, input.userContext);
  }

  static signInUp(input: ContactInput & { tenantId: string } & WithSession) {
    return recipe().signInUp(contactOf(input), input.tenantId, input.userContext);
  }

  static async sendEmail(input: TypePasswordlessEmailDeliveryInput & { userContext?: Record<string, any> }): Promise<void> {
    await recipe().emailDelivery.sendEmail({ ...input, userContext: context(input.userContext) });
  }

  static async sendSms(input: TypePasswordlessSmsDeliveryInput & { userContext?: Record<string, any> }): Promise<void> {
    await recipe().smsDelivery.sendSms({ ...input, userContext: context(input.userContext) });
  }
}

export const init = PasswordlessWrapper.init;
export const createCode = PasswordlessWrapper.createCode;
export const createNewCodeForDevice = PasswordlessWrapper.createNewCodeForDevice;
export const consumeCode = PasswordlessWrapper.consumeCode;
export const checkCode = PasswordlessWrapper.checkCode;
export const updateUser = PasswordlessWrapper.updateUser;
export const revokeAllCodes = PasswordlessWrapper.revokeAllCodes;
export const revokeCode = PasswordlessWrapper.revokeCode;
export const listCodesByEmail = PasswordlessWrapper.listCodesByEmail;
export const listCodesByPhoneNumber = PasswordlessWrapper.listCodesByPhoneNumber;
export const listCodesByDeviceId = PasswordlessWrapper.listCodesByDeviceId;
export const listCodesByPreAuthSessionId = PasswordlessWrapper.listCodesByPreAuthSessionId;
export const createMagicLink = PasswordlessWrapper.createMagicLink;
export const signInUp = PasswordlessWrapper.signInUp;
export const sendEmail = PasswordlessWrapper.sendEmail;
export const sendSms = PasswordlessWrapper.sendSms;
export type {
  APIInterface,
  APIOptions,
  ContactMethod,
  DeviceType,
  FlowType,
  RecipeInterface,
  TypeInput,
  TypePasswordlessEmailDeliveryInput,
  TypePasswordlessSmsDeliveryInput,
} from "../recipes/passwordless/types.js";
