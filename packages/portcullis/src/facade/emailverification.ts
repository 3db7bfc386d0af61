import type { RecipeUserId } from "../core/recipe-user-id.js";
import { EmailVerificationClaimClass } from "../recipes/emailverification/email-verification-claim.js";
import {
  EMAILVERIFICATION_RECIPE_ID,
  initEmailVerification,
  type EmailVerificationRecipe,
} from "../recipes/emailverification/emailverification-recipe.js";
import type { TypeEmailVerificationEmailDeliveryInput } from "../recipes/emailverification/types.js";
import { getDefaultInstance } from "./default-instance.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- these signatures mirror the SDK's public types */

const recipe = (): EmailVerificationRecipe => getDefaultInstance().engine.requireRecipe<EmailVerificationRecipe>(EMAILVERIFICATION_RECIPE_ID);

export default class EmailVerificationWrapper {
  static init = initEmailVerification;

  /** `st-ev`, read from the default instance (an instance of your own: `recipe.claim`). */
  static EmailVerificationClaim = new EmailVerificationClaimClass(() => recipe().verificationSource);

  static createEmailVerificationToken(tenantId: string, recipeUserId: RecipeUserId, email?: string, userContext?: Record<string, any>) {
    return recipe().createEmailVerificationToken(tenantId, recipeUserId, email, userContext);
  }

  static createEmailVerificationLink(tenantId: string, recipeUserId: RecipeUserId, email?: string, userContext?: Record<string, any>) {
    return recipe().createEmailVerificationLink(tenantId, recipeUserId, email, userContext);
  }

  static sendEmailVerificationEmail(tenantId: string, userId: string, recipeUserId: RecipeUserId, email?: string, userContext?: Record<string, any>) {
    return recipe().sendEmailVerificationEmail(tenantId, userId, recipeUserId, email, userContext);
  }

  static verifyEmailUsingToken(tenantId: string, token: string, attemptAccountLinking = true, userContext?: Record<string, any>) {
    return recipe().verifyEmailUsingToken(tenantId, token, attemptAccountLinking, userContext);
  }

  static isEmailVerified(recipeUserId: RecipeUserId, email?: string, userContext?: Record<string, any>): Promise<boolean> {
    return recipe().isEmailVerified(recipeUserId, email, userContext);
  }

  static revokeEmailVerificationTokens(tenantId: string, recipeUserId: RecipeUserId, email?: string, userContext?: Record<string, any>) {
    return recipe().revokeEmailVerificationTokens(tenantId, recipeUserId, email, userContext);
  }

  static unverifyEmail(recipeUserId: RecipeUserId, email?: string, userContext?: Record<string, any>) {
    return recipe().unverifyEmail(recipeUserId, email, userContext);
  }

  static sendEmail(input: TypeEmailVerificationEmailDeliveryInput & { userContext?: Record<string, any> }): Promise<void> {
    return recipe().sendEmail(input);
  }
}

export const init = EmailVerificationWrapper.init;
export const EmailVerificationClaim = EmailVerificationWrapper.EmailVerificationClaim;
export const createEmailVerificationToken = EmailVerificationWrapper.createEmailVerificationToken;
export const createEmailVerificationLink = EmailVerificationWrapper.createEmailVerificationLink;
export const sendEmailVerificationEmail = EmailVerificationWrapper.sendEmailVerificationEmail;
export const verifyEmailUsingToken = EmailVerificationWrapper.verifyEmailUsingToken;
export const isEmailVerified = EmailVerificationWrapper.isEmailVerified;
export const revokeEmailVerificationTokens = EmailVerificationWrapper.revokeEmailVerificationTokens;
export const unverifyEmail = EmailVerificationWrapper.unverifyEmail;
export const sendEmail = EmailVerificationWrapper.sendEmail;
export type {
  APIInterface,
  APIOptions,
  RecipeInterface,
  TypeEmailVerificationEmailDeliveryInput,
  TypeInput,
  UserEmailInfo,
} from "../recipes/emailverification/types.js";
