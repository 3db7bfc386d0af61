import { makeUserContext } from "../core/user-context.js";
import { initMultitenancy, MULTITENANCY_RECIPE_ID, type MultitenancyRecipe } from "../recipes/multitenancy/multitenancy-recipe.js";
import type { AssociateUserToTenantResult, TenantConfig, TenantConfigInput } from "../recipes/multitenancy/types.js";
import type { RecipeUserId } from "../core/recipe-user-id.js";
import { getDefaultInstance } from "./default-instance.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- these signatures mirror the SDK's public types */

const implementation = () => getDefaultInstance().engine.requireRecipe<MultitenancyRecipe>(MULTITENANCY_RECIPE_ID).recipeInterfaceImpl;

export default class MultitenancyWrapper {
  static init = initMultitenancy;

  static createOrUpdateTenant(tenantId: string, config?: TenantConfigInput, userContext?: Record<string, any>): Promise<{ status: "OK"; createdNew: boolean }> {
    return implementation().createOrUpdateTenant({ tenantId, ...(config !== undefined ? { config } : {}), userContext: makeUserContext(userContext) });
  }

  static deleteTenant(tenantId: string, userContext?: Record<string, any>): Promise<{ status: "OK"; didExist: boolean }> {
    return implementation().deleteTenant({ tenantId, userContext: makeUserContext(userContext) });
  }

  static getTenant(tenantId: string, userContext?: Record<string, any>): Promise<({ status: "OK" } & TenantConfig) | undefined> {
    return implementation().getTenant({ tenantId, userContext: makeUserContext(userContext) });
  }

  static listAllTenants(userContext?: Record<string, any>): Promise<{ status: "OK"; tenants: (TenantConfig & { tenantId: string })[] }> {
    return implementation().listAllTenants({ userContext: makeUserContext(userContext) });
  }

  /** Lets the login method sign in to the tenant too (its email or phone number must be free there). */
  static associateUserToTenant(tenantId: string, recipeUserId: RecipeUserId, userContext?: Record<string, any>): Promise<AssociateUserToTenantResult> {
    return implementation().associateUserToTenant({ tenantId, recipeUserId, userContext: makeUserContext(userContext) });
  }

  /** Removes the login method from the tenant, with its sessions, tokens and roles there. */
  static disassociateUserFromTenant(tenantId: string, recipeUserId: RecipeUserId, userContext?: Record<string, any>): Promise<{ status: "OK"; wasAssociated: boolean }> {
    return implementation().disassociateUserFromTenant({ tenantId, recipeUserId, userContext: makeUserContext(userContext) });
  }
}

export const init = MultitenancyWrapper.init;
export const createOrUpdateTenant = MultitenancyWrapper.createOrUpdateTenant;
export const deleteTenant = MultitenancyWrapper.deleteTenant;
export const getTenant = MultitenancyWrapper.getTenant;
export const listAllTenants = MultitenancyWrapper.listAllTenants;
export const associateUserToTenant = MultitenancyWrapper.associateUserToTenant;
export const disassociateUserFromTenant = MultitenancyWrapper.disassociateUserFromTenant;
export type { RecipeInterface, APIInterface, APIOptions, TenantConfig, TenantConfigInput, AssociateUserToTenantResult, TypeInput } from "../recipes/multitenancy/types.js";
