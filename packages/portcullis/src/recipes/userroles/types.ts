import type { OverrideableBuilder } from "../../core/override.js";
import type { UserContext } from "../../core/user-context.js";

export type UnknownRoleError = { status: "UNKNOWN_ROLE_ERROR" };

export type RecipeInterface = {
  addRoleToUser(input: { userId: string; role: string; tenantId: string; userContext: UserContext }): Promise<{ status: "OK"; didUserAlreadyHaveRole: boolean } | UnknownRoleError>;
  removeUserRole(input: { userId: string; role: string; tenantId: string; userContext: UserContext }): Promise<{ status: "OK"; didUserHaveRole: boolean } | UnknownRoleError>;
  getRolesForUser(input: { userId: string; tenantId: string; userContext: UserContext }): Promise<{ status: "OK"; roles: string[] }>;
  getUsersThatHaveRole(input: { role: string; tenantId: string; userContext: UserContext }): Promise<{ status: "OK"; users: string[] } | UnknownRoleError>;
  createNewRoleOrAddPermissions(input: { role: string; permissions: string[]; userContext: UserContext }): Promise<{ status: "OK"; createdNewRole: boolean }>;
  getPermissionsForRole(input: { role: string; userContext: UserContext }): Promise<{ status: "OK"; permissions: string[] } | UnknownRoleError>;
  removePermissionsFromRole(input: { role: string; permissions: string[]; userContext: UserContext }): Promise<{ status: "OK" | "UNKNOWN_ROLE_ERROR" }>;
  getRolesThatHavePermission(input: { permission: string; userContext: UserContext }): Promise<{ status: "OK"; roles: string[] }>;
  deleteRole(input: { role: string; userContext: UserContext }): Promise<{ status: "OK"; didRoleExist: boolean }>;
  getAllRoles(input: { userContext: UserContext }): Promise<{ status: "OK"; roles: string[] }>;
};

/** The recipe has no HTTP routes. */
export type APIInterface = Record<string, never>;

export type TypeInput = {
  skipAddingRolesToAccessToken?: boolean;
  skipAddingPermissionsToAccessToken?: boolean;
  override?: {
    functions?: (originalImplementation: RecipeInterface, builder: OverrideableBuilder<RecipeInterface>) => RecipeInterface;
    apis?: (originalImplementation: APIInterface, builder: OverrideableBuilder<APIInterface>) => APIInterface;
  };
};
