import { PortcullisError } from "../core/errors.js";
import { RecipeUserId } from "../core/recipe-user-id.js";
import { User } from "../core/user.js";
import { getRequestFromUserContext } from "../core/user-context.js";
import type { GetUsersInput } from "../engine/create-auth.js";
import type { TypeInput } from "../engine/types.js";
import { getDefaultInstance, initDefaultInstance } from "./default-instance.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- these signatures mirror the SDK's public types */

/** The `supertokens-node` root module's shape, over the default instance. */
export default class SuperTokensWrapper {
  static init(config: TypeInput): void {
    initDefaultInstance(config);
  }

  static Error = PortcullisError;
  static RecipeUserId = RecipeUserId;
  static User = User;

  static getAllCORSHeaders(): string[] {
    return getDefaultInstance().getAllCORSHeaders();
  }

  static getUserCount(includeRecipeIds?: string[], tenantId?: string, userContext?: Record<string, any>): Promise<number> {
    return getDefaultInstance().getUserCount(includeRecipeIds, tenantId, userContext);
  }

  static getUsersOldestFirst(input: GetUsersInput): Promise<{ users: User[]; nextPaginationToken?: string }> {
    return getDefaultInstance().getUsersOldestFirst(input);
  }

  static getUsersNewestFirst(input: GetUsersInput): Promise<{ users: User[]; nextPaginationToken?: string }> {
    return getDefaultInstance().getUsersNewestFirst(input);
  }

  static deleteUser(userId: string, removeAllLinkedAccounts = true, userContext?: Record<string, any>): Promise<{ status: "OK" }> {
    return getDefaultInstance().deleteUser(userId, removeAllLinkedAccounts, userContext);
  }

  static getUser(userId: string, userContext?: Record<string, any>): Promise<User | undefined> {
    return getDefaultInstance().getUser(userId, userContext);
  }

  static listUsersByAccountInfo(
    tenantId: string,
    accountInfo: { email?: string; phoneNumber?: string; thirdParty?: { id: string; userId: string }; webauthn?: { credentialId: string } },
    doUnionOfAccountInfo = false,
    userContext?: Record<string, any>,
  ): Promise<User[]> {
    return getDefaultInstance().listUsersByAccountInfo(tenantId, accountInfo, doUnionOfAccountInfo, userContext);
  }

  static convertToRecipeUserId(recipeUserId: string): RecipeUserId {
    return new RecipeUserId(recipeUserId);
  }

  static getRequestFromUserContext(userContext: Record<string, any> | undefined) {
    return getRequestFromUserContext(userContext);
  }

  static isRecipeInitialized(recipeId: string): boolean {
    return getDefaultInstance().getRecipe(recipeId) !== undefined;
  }
}

export const init = SuperTokensWrapper.init;
export const getAllCORSHeaders = SuperTokensWrapper.getAllCORSHeaders;
export const getUserCount = SuperTokensWrapper.getUserCount;
export const getUsersOldestFirst = SuperTokensWrapper.getUsersOldestFirst;
export const getUsersNewestFirst = SuperTokensWrapper.getUsersNewestFirst;
export const deleteUser = SuperTokensWrapper.deleteUser;
export const getUser = SuperTokensWrapper.getUser;
export const listUsersByAccountInfo = SuperTokensWrapper.listUsersByAccountInfo;
export const convertToRecipeUserId = SuperTokensWrapper.convertToRecipeUserId;
export const isRecipeInitialized = SuperTokensWrapper.isRecipeInitialized;
export { getRequestFromUserContext, PortcullisError as Error, RecipeUserId, User };
export type { TypeInput as SuperTokensConfig } from "../engine/types.js";
