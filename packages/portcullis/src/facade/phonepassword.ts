/**
 * `portcullis/recipe/phonepassword`: sign-up and sign-in with a phone number and a password, phone
 * verification and password reset by SMS code. Not a SuperTokens recipe; shaped like its
 * EmailPassword module (tenant first, typed statuses, overridable functions and APIs).
 */
import type { RecipeUserId } from "../core/recipe-user-id.js";
import type { TypePhonePasswordSmsDeliveryInput } from "../recipes/phonepassword/types.js";
import { initPhonePassword, PHONEPASSWORD_RECIPE_ID, type PhonePasswordRecipe } from "../recipes/phonepassword/phonepassword-recipe.js";
import { getDefaultInstance } from "./default-instance.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- user contexts are open objects, as in the SDK */

const recipe = (): PhonePasswordRecipe => getDefaultInstance().engine.requireRecipe<PhonePasswordRecipe>(PHONEPASSWORD_RECIPE_ID);

export default class PhonePasswordWrapper {
  static init = initPhonePassword;

  static signUp(tenantId: string, phoneNumber: string, password: string, userContext?: Record<string, any>) {
    return recipe().signUp(tenantId, phoneNumber, password, userContext);
  }

  static signIn(tenantId: string, phoneNumber: string, password: string, userContext?: Record<string, any>) {
    return recipe().signIn(tenantId, phoneNumber, password, userContext);
  }

  static verifyCredentials(tenantId: string, phoneNumber: string, password: string, userContext?: Record<string, any>) {
    return recipe().verifyCredentials(tenantId, phoneNumber, password, userContext);
  }

  /** A new code for the user's number, returned and not sent (for your own texts). */
  static createPhoneVerificationCode(tenantId: string, recipeUserId: RecipeUserId | string, userContext?: Record<string, any>) {
    return recipe().createPhoneVerificationCode(tenantId, recipeUserId, userContext);
  }

  /** A new code for the user's number, sent through the configured SMS delivery. */
  static sendPhoneVerificationCode(tenantId: string, recipeUserId: RecipeUserId | string, userContext?: Record<string, any>) {
    return recipe().sendPhoneVerificationCode(tenantId, recipeUserId, userContext);
  }

  static verifyPhoneNumber(tenantId: string, phoneNumber: string, code: string, userContext?: Record<string, any>) {
    return recipe().verifyPhoneNumber(tenantId, phoneNumber, code, userContext);
  }

  static isPhoneNumberVerified(recipeUserId: RecipeUserId | string, userContext?: Record<string, any>) {
    return recipe().isPhoneNumberVerified(recipeUserId, userContext);
  }

  /** A reset code for the account with this (verified) number, returned and not sent. */
  static createResetPasswordCode(tenantId: string, phoneNumber: string, userContext?: Record<string, any>) {
    return recipe().createResetPasswordCode(tenantId, phoneNumber, userContext);
  }

  /** Uses the code, sets the password, and revokes every session of the user. */
  static resetPasswordUsingCode(tenantId: string, phoneNumber: string, code: string, newPassword: string, userContext?: Record<string, any>) {
    return recipe().resetPasswordUsingCode(tenantId, phoneNumber, code, newPassword, userContext);
  }

  static updatePhoneNumberOrPassword(input: {
    recipeUserId: RecipeUserId | string;
    phoneNumber?: string;
    password?: string;
    applyPasswordPolicy?: boolean;
    tenantIdForPasswordPolicy?: string;
    userContext?: Record<string, any>;
  }) {
    return recipe().updatePhoneNumberOrPassword(input);
  }

  /** Checks the old password, sets the new one, and revokes every session of the user. */
  static changePassword(tenantId: string, recipeUserId: RecipeUserId | string, oldPassword: string, newPassword: string, userContext?: Record<string, any>) {
    return recipe().changePassword(tenantId, recipeUserId, oldPassword, newPassword, userContext);
  }

  static async sendSms(input: TypePhonePasswordSmsDeliveryInput & { userContext?: Record<string, any> }): Promise<void> {
    const { userContext, ...rest } = input;
    await recipe().smsDelivery.sendSms({ ...rest, userContext: userContext ?? {} });
  }
}

export const init = PhonePasswordWrapper.init;
export const signUp = PhonePasswordWrapper.signUp;
export const signIn = PhonePasswordWrapper.signIn;
export const verifyCredentials = PhonePasswordWrapper.verifyCredentials;
export const createPhoneVerificationCode = PhonePasswordWrapper.createPhoneVerificationCode;
export const sendPhoneVerificationCode = PhonePasswordWrapper.sendPhoneVerificationCode;
export const verifyPhoneNumber = PhonePasswordWrapper.verifyPhoneNumber;
export const isPhoneNumberVerified = PhonePasswordWrapper.isPhoneNumberVerified;
export const createResetPasswordCode = PhonePasswordWrapper.createResetPasswordCode;
export const resetPasswordUsingCode = PhonePasswordWrapper.resetPasswordUsingCode;
export const updatePhoneNumberOrPassword = PhonePasswordWrapper.updatePhoneNumberOrPassword;
export const changePassword = PhonePasswordWrapper.changePassword;
export const sendSms = PhonePasswordWrapper.sendSms;
export type { APIInterface, APIOptions, RecipeInterface, TypeInput, TypePhonePasswordSmsDeliveryInput } from "../recipes/phonepassword/types.js";
