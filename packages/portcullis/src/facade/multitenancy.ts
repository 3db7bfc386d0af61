import { makeUserContext } from "../core/user-context.js";
import { initMultitenancy, MULTITENANCY_RECIPE_ID, type MultitenancyRecipe } from "../recipes/multitenancy/multitenancy-recipe.js";
import type { TenantConfig, TenantConfigInput } from "../recipes/multitenancy/types.js";
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
}

export const init = MultitenancyWrapper.init;
export const createOrUpdateTenant = MultitenancyWrapper.createOrUpdateTenant;
export const deleteTenant = MultitenancyWrapper.deleteTenant;
export const getTenant = MultitenancyWrapper.getTenant;
export const listAllTenants = MultitenancyWrapper.listAllTenants;
export type { RecipeInterface, APIInterface, APIOptions, TenantConfig, TypeInput } from "../recipes/multitenancy/types.js";
