import { makeUserContext } from "../core/user-context.js";
import { createPermissionClaim, createUserRoleClaim, initUserRoles, USERROLES_RECIPE_ID, type UserRolesRecipe } from "../recipes/userroles/userroles-recipe.js";
import type { RecipeInterface } from "../recipes/userroles/types.js";
import { getDefaultInstance } from "./default-instance.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- these signatures mirror the SDK's public types */

const implementation = (): RecipeInterface => getDefaultInstance().engine.requireRecipe<UserRolesRecipe>(USERROLES_RECIPE_ID).recipeInterfaceImpl;
const context = (userContext: Record<string, any> | undefined) => makeUserContext(userContext, getDefaultInstance().engine.clock);

type Result<K extends keyof RecipeInterface> = ReturnType<RecipeInterface[K]>;

export default class UserRolesWrapper {
  static init = initUserRoles;

  /** `st-role`, read from the default instance (an instance of your own: `recipe.userRoleClaim`). */
  static UserRoleClaim = createUserRoleClaim(() => implementation());
  /** `st-perm`, read from the default instance (an instance of your own: `recipe.permissionClaim`). */
  static PermissionClaim = createPermissionClaim(() => implementation());

  static addRoleToUser(tenantId: string, userId: string, role: string, userContext?: Record<string, any>): Result<"addRoleToUser"> {
    return implementation().addRoleToUser({ tenantId, userId, role, userContext: context(userContext) });
  }

  static removeUserRole(tenantId: string, userId: string, role: string, userContext?: Record<string, any>): Result<"removeUserRole"> {
    return implementation().removeUserRole({ tenantId, userId, role, userContext: context(userContext) });
  }

  static getRolesForUser(tenantId: string, userId: string, userContext?: Record<string, any>): Result<"getRolesForUser"> {
    return implementation().getRolesForUser({ tenantId, userId, userContext: context(userContext) });
  }

  static getUsersThatHaveRole(tenantId: string, role: string, userContext?: Record<string, any>): Result<"getUsersThatHaveRole"> {
    return implementation().getUsersThatHaveRole({ tenantId, role, userContext: context(userContext) });
  }

  static createNewRoleOrAddPermissions(role: string, permissions: string[], userContext?: Record<string, any>): Result<"createNewRoleOrAddPermissions"> {
    return implementation().createNewRoleOrAddPermissions({ role, permissions, userContext: context(userContext) });
  }

  static getPermissionsForRole(role: string, userContext?: Record<string, any>): Result<"getPermissionsForRole"> {
    return implementation().getPermissionsForRole({ role, userContext: context(userContext) });
  }

  static removePermissionsFromRole(role: string, permissions: string[], userContext?: Record<string, any>): Result<"removePermissionsFromRole"> {
    return implementation().removePermissionsFromRole({ role, permissions, userContext: context(userContext) });
  }

  static getRolesThatHavePermission(permission: string, userContext?: Record<string, any>): Result<"getRolesThatHavePermission"> {
    return implementation().getRolesThatHavePermission({ permission, userContext: context(userContext) });
  }

  static deleteRole(role: string, userContext?: Record<string, any>): Result<"deleteRole"> {
    return implementation().deleteRole({ role, userContext: context(userContext) });
  }

  static getAllRoles(userContext?: Record<string, any>): Result<"getAllRoles"> {
    return implementation().getAllRoles({ userContext: context(userContext) });
  }
}

export const init = UserRolesWrapper.init;
export const UserRoleClaim = UserRolesWrapper.UserRoleClaim;
export const PermissionClaim = UserRolesWrapper.PermissionClaim;
export const addRoleToUser = UserRolesWrapper.addRoleToUser;
export const removeUserRole = UserRolesWrapper.removeUserRole;
export const getRolesForUser = UserRolesWrapper.getRolesForUser;
export const getUsersThatHaveRole = UserRolesWrapper.getUsersThatHaveRole;
export const createNewRoleOrAddPermissions = UserRolesWrapper.createNewRoleOrAddPermissions;
export const getPermissionsForRole = UserRolesWrapper.getPermissionsForRole;
export const removePermissionsFromRole = UserRolesWrapper.removePermissionsFromRole;
export const getRolesThatHavePermission = UserRolesWrapper.getRolesThatHavePermission;
export const deleteRole = UserRolesWrapper.deleteRole;
export const getAllRoles = UserRolesWrapper.getAllRoles;
export type { RecipeInterface, APIInterface, TypeInput } from "../recipes/userroles/types.js";
