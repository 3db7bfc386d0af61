import type { RecipeUserId } from "../core/recipe-user-id.js";
import type { User } from "../core/user.js";
import EmailPasswordError from "../recipes/emailpassword/error.js";
import { EMAILPASSWORD_RECIPE_ID, initEmailPassword, type EmailPasswordRecipe } from "../recipes/emailpassword/emailpassword-recipe.js";
import type { SessionContainerInterface } from "../recipes/session/types.js";
import type { LinkingFailure, TypeEmailPasswordEmailDeliveryInput } from "../recipes/emailpassword/types.js";
import { getDefaultInstance } from "./default-instance.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- these signatures mirror the SDK's public types */

type SignInOk = { status: "OK"; user: User; recipeUserId: RecipeUserId };
type UpdateResult =
  | { status: "OK" | "UNKNOWN_USER_ID_ERROR" | "EMAIL_ALREADY_EXISTS_ERROR" }
  | { status: "EMAIL_CHANGE_NOT_ALLOWED_ERROR"; reason: string }
  | { status: "PASSWORD_POLICY_VIOLATED_ERROR"; failureReason: string };

const recipe = (): EmailPasswordRecipe => getDefaultInstance().engine.requireRecipe<EmailPasswordRecipe>(EMAILPASSWORD_RECIPE_ID);

export default class Wrapper {
  static init = initEmailPassword;
  static Error = EmailPasswordError;

  static signUp(tenantId: string, email: string, password: string, session?: undefined, userContext?: Record<string, any>): Promise<SignInOk | { status: "EMAIL_ALREADY_EXISTS_ERROR" }>;
  static signUp(
    tenantId: string,
    email: string,
    password: string,
    session: SessionContainerInterface,
    userContext?: Record<string, any>,
  ): Promise<SignInOk | { status: "EMAIL_ALREADY_EXISTS_ERROR" } | LinkingFailure>;
  /** @deprecated The older signature: signs up in the `public` tenant. */
  static signUp(email: string, password: string, userContext?: Record<string, any>): Promise<SignInOk | { status: "EMAIL_ALREADY_EXISTS_ERROR" }>;
  static signUp(...args: unknown[]): Promise<SignInOk | { status: "EMAIL_ALREADY_EXISTS_ERROR" } | LinkingFailure> {
    const [tenantId, email, password, session, userContext] = normaliseCredentialArgs(args);
    return recipe().signUp(tenantId, email, password, session, userContext);
  }

  static signIn(tenantId: string, email: string, password: string, session?: undefined, userContext?: Record<string, any>): Promise<SignInOk | { status: "WRONG_CREDENTIALS_ERROR" }>;
  static signIn(
    tenantId: string,
    email: string,
    password: string,
    session: SessionContainerInterface,
    userContext?: Record<string, any>,
  ): Promise<SignInOk | { status: "WRONG_CREDENTIALS_ERROR" } | LinkingFailure>;
  /** @deprecated The older signature (used by the change-password guide): signs in to the `public` tenant. */
  static signIn(email: string, password: string, userContext?: Record<string, any>): Promise<SignInOk | { status: "WRONG_CREDENTIALS_ERROR" }>;
  static signIn(...args: unknown[]): Promise<SignInOk | { status: "WRONG_CREDENTIALS_ERROR" } | LinkingFailure> {
    const [tenantId, email, password, session, userContext] = normaliseCredentialArgs(args);
    return recipe().signIn(tenantId, email, password, session, userContext);
  }

  static verifyCredentials(tenantId: string, email: string, password: string, userContext?: Record<string, any>): Promise<{ status: "OK" | "WRONG_CREDENTIALS_ERROR" }> {
    return recipe().verifyCredentials(tenantId, email, password, userContext);
  }

  static createResetPasswordToken(
    tenantId: string,
    userId: string,
    email: string,
    userContext?: Record<string, any>,
  ): Promise<{ status: "OK"; token: string } | { status: "UNKNOWN_USER_ID_ERROR" }> {
    return recipe().createResetPasswordToken(tenantId, userId, email, userContext);
  }

  static resetPasswordUsingToken(
    tenantId: string,
    token: string,
    newPassword: string,
    userContext?: Record<string, any>,
  ): Promise<{ status: "OK" | "UNKNOWN_USER_ID_ERROR" | "RESET_PASSWORD_INVALID_TOKEN_ERROR" } | { status: "PASSWORD_POLICY_VIOLATED_ERROR"; failureReason: string }> {
    return recipe().resetPasswordUsingToken(tenantId, token, newPassword, userContext);
  }

  static consumePasswordResetToken(
    tenantId: string,
    token: string,
    userContext?: Record<string, any>,
  ): Promise<{ status: "OK"; email: string; userId: string } | { status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" }> {
    return recipe().consumePasswordResetToken(tenantId, token, userContext);
  }

  static updateEmailOrPassword(input: {
    recipeUserId: RecipeUserId;
    email?: string;
    password?: string;
    userContext?: Record<string, any>;
    applyPasswordPolicy?: boolean;
    tenantIdForPasswordPolicy?: string;
  }): Promise<UpdateResult>;
  /** @deprecated The older signature, keyed by user id. */
  static updateEmailOrPassword(input: { userId: string; email?: string; password?: string; userContext?: Record<string, any> }): Promise<UpdateResult>;
  static updateEmailOrPassword(input: {
    recipeUserId?: RecipeUserId;
    userId?: string;
    email?: string;
    password?: string;
    userContext?: Record<string, any>;
    applyPasswordPolicy?: boolean;
    tenantIdForPasswordPolicy?: string;
  }): Promise<UpdateResult> {
    return recipe().updateEmailOrPassword(input);
  }

  static createResetPasswordLink(
    tenantId: string,
    userId: string,
    email: string,
    userContext?: Record<string, any>,
  ): Promise<{ status: "OK"; link: string } | { status: "UNKNOWN_USER_ID_ERROR" }> {
    return recipe().createResetPasswordLink(tenantId, userId, email, userContext);
  }

  static sendResetPasswordEmail(tenantId: string, userId: string, email: string, userContext?: Record<string, any>): Promise<{ status: "OK" | "UNKNOWN_USER_ID_ERROR" }> {
    return recipe().sendResetPasswordEmail(tenantId, userId, email, userContext);
  }

  static sendEmail(input: TypeEmailPasswordEmailDeliveryInput & { userContext?: Record<string, any> }): Promise<void> {
    return recipe().sendEmail(input);
  }

  /** Portcullis extension: create a user from an existing argon2 or bcrypt hash (upgraded to argon2id at sign-in). */
  static importUserWithPasswordHash(input: { tenantId?: string; email: string; passwordHash: string; timeJoined?: number }) {
    return recipe().importUserWithPasswordHash(input);
  }

  /** @deprecated The older SDK's lookup (use `supertokens.getUser`): the email-password user in the old flat shape. */
  static getUserById(userId: string, _userContext?: Record<string, any>): Promise<{ id: string; email: string; timeJoined: number; tenantIds: string[] } | undefined> {
    return recipe().getUserById(userId);
  }
}

/** The older signatures had no tenant: `(email, password, userContext?)`. */
function normaliseCredentialArgs(args: unknown[]): [string, string, string, SessionContainerInterface | undefined, Record<string, any> | undefined] {
  if (args.length <= 3 && typeof args[2] !== "string") {
    return ["public", args[0] as string, args[1] as string, undefined, args[2] as Record<string, any> | undefined];
  }
  return [args[0] as string, args[1] as string, args[2] as string, args[3] as SessionContainerInterface | undefined, args[4] as Record<string, any> | undefined];
}

export const init = Wrapper.init;
export const Error = Wrapper.Error;
export const signUp = Wrapper.signUp;
export const signIn = Wrapper.signIn;
export const verifyCredentials = Wrapper.verifyCredentials;
export const createResetPasswordToken = Wrapper.createResetPasswordToken;
export const resetPasswordUsingToken = Wrapper.resetPasswordUsingToken;
export const consumePasswordResetToken = Wrapper.consumePasswordResetToken;
export const updateEmailOrPassword = Wrapper.updateEmailOrPassword;
export const createResetPasswordLink = Wrapper.createResetPasswordLink;
export const sendResetPasswordEmail = Wrapper.sendResetPasswordEmail;
export const sendEmail = Wrapper.sendEmail;
export const getUserById = Wrapper.getUserById;
export const importUserWithPasswordHash = Wrapper.importUserWithPasswordHash;
export type { RecipeInterface, APIOptions, APIInterface, TypeInput, TypeEmailPasswordEmailDeliveryInput } from "../recipes/emailpassword/types.js";
