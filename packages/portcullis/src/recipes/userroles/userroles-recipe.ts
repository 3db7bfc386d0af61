import { applyOverride } from "../../core/override.js";
import type { UserContext } from "../../core/user-context.js";
import type { Engine, RecipeModule, RouteDefinition } from "../../engine/types.js";
import { PrimitiveArrayClaim } from "../session/claims/primitive-array-claim.js";
import type { RecipeInterface, TypeInput } from "./types.js";

export const USERROLES_RECIPE_ID = "userroles";
export const USER_ROLE_CLAIM_KEY = "st-role";
export const PERMISSION_CLAIM_KEY = "st-perm";

/** Where a role claim reads its values: a recipe's (overridable) functions. */
export type RolesSource = (userContext: UserContext) => RecipeInterface;

/** `st-role`: the user's roles in the session's tenant. */
export function createUserRoleClaim(source: RolesSource): PrimitiveArrayClaim<string> {
  return new PrimitiveArrayClaim<string>({
    key: USER_ROLE_CLAIM_KEY,
    fetchValue: async (userId, _recipeUserId, tenantId, _payload, userContext) =>
      (await source(userContext).getRolesForUser({ userId, tenantId, userContext })).roles,
  });
}

/** `st-perm`: the union of the permissions of the user's roles in the session's tenant. */
export function createPermissionClaim(source: RolesSource): PrimitiveArrayClaim<string> {
  return new PrimitiveArrayClaim<string>({
    key: PERMISSION_CLAIM_KEY,
    fetchValue: async (userId, _recipeUserId, tenantId, _payload, userContext) => {
      const implementation = source(userContext);
      const { roles } = await implementation.getRolesForUser({ userId, tenantId, userContext });
      const permissions = new Set<string>();
      for (const role of roles) {
        const result = await implementation.getPermissionsForRole({ role, userContext });
        // A role deleted between the two reads simply contributes nothing.
        if (result.status === "OK") for (const permission of result.permissions) permissions.add(permission);
      }
      return [...permissions];
    },
  });
}

export class UserRolesRecipe implements RecipeModule {
  readonly recipeId = USERROLES_RECIPE_ID;
  /** It adds its claims to sessions, so Session must be in the list. */
  readonly requires = ["session"] as const;
  readonly recipeInterfaceImpl: RecipeInterface;
  /** This instance's claims (the facade's `UserRoles.UserRoleClaim` reads the default instance). */
  readonly userRoleClaim = createUserRoleClaim(() => this.recipeInterfaceImpl);
  readonly permissionClaim = createPermissionClaim(() => this.recipeInterfaceImpl);
  readonly config: { skipAddingRolesToAccessToken: boolean; skipAddingPermissionsToAccessToken: boolean };

  constructor(engine: Engine, input: TypeInput | undefined) {
    this.config = {
      skipAddingRolesToAccessToken: input?.skipAddingRolesToAccessToken ?? false,
      skipAddingPermissionsToAccessToken: input?.skipAddingPermissionsToAccessToken ?? false,
    };
    const roles = engine.storage.roles;
    this.recipeInterfaceImpl = applyOverride<RecipeInterface>(
      {
        addRoleToUser: async ({ userId, role, tenantId }) => {
          const result = await roles.assignRole(tenantId, userId, role);
          return result.status === "OK" ? { status: "OK", didUserAlreadyHaveRole: result.alreadyAssigned } : { status: "UNKNOWN_ROLE_ERROR" };
        },
        removeUserRole: async ({ userId, role, tenantId }) => {
          const result = await roles.unassignRole(tenantId, userId, role);
          return result.status === "OK" ? { status: "OK", didUserHaveRole: result.wasAssigned } : { status: "UNKNOWN_ROLE_ERROR" };
        },
        getRolesForUser: async ({ userId, tenantId }) => ({ status: "OK", roles: await roles.rolesOfUser(tenantId, userId) }),
        getUsersThatHaveRole: async ({ role, tenantId }) => {
          const users = await roles.usersWithRole(tenantId, role);
          return users === undefined ? { status: "UNKNOWN_ROLE_ERROR" } : { status: "OK", users };
        },
        createNewRoleOrAddPermissions: async ({ role, permissions }) => ({ status: "OK", ...(await roles.createRoleOrAddPermissions(role, permissions)) }),
        getPermissionsForRole: async ({ role }) => {
          const permissions = await roles.getPermissions(role);
          return permissions === undefined ? { status: "UNKNOWN_ROLE_ERROR" } : { status: "OK", permissions };
        },
        removePermissionsFromRole: async ({ role, permissions }) => ({ status: (await roles.removePermissions(role, permissions)) ? "OK" : "UNKNOWN_ROLE_ERROR" }),
        getRolesThatHavePermission: async ({ permission }) => ({ status: "OK", roles: await roles.rolesWithPermission(permission) }),
        deleteRole: async ({ role }) => ({ status: "OK", didRoleExist: await roles.deleteRole(role) }),
        getAllRoles: async () => ({ status: "OK", roles: await roles.listRoles() }),
      },
      input?.override?.functions,
    );
  }

  /** Collected by the session recipe in phase two, whatever the recipeList order. */
  readonly sessionClaims = (): { claims: object[] } => ({
    claims: [
      ...(this.config.skipAddingRolesToAccessToken ? [] : [this.userRoleClaim]),
      ...(this.config.skipAddingPermissionsToAccessToken ? [] : [this.permissionClaim]),
    ],
  });

  getRoutes(): RouteDefinition[] {
    return [];
  }
}

export function initUserRoles(config?: TypeInput): (engine: Engine) => UserRolesRecipe {
  return (engine) => new UserRolesRecipe(engine, config);
}
