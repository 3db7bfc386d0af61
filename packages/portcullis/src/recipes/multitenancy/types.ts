import type { OverrideableBuilder } from "../../core/override.js";
import type { UserContext } from "../../core/user-context.js";
import type { GeneralErrorResponse } from "../../core/general-error.js";
import type { BaseRequest } from "../../http/base-request.js";
import type { BaseResponse } from "../../http/base-response.js";
import type { RecipeUserId } from "../../core/recipe-user-id.js";

export type TenantConfig = {
  thirdParty: { providers: { thirdPartyId: string; name?: string }[] };
  firstFactors?: string[];
  requiredSecondaryFactors?: string[];
  coreConfig: { [key: string]: unknown };
  /** Not in the SDK: the origin of this tenant's links, when set. */
  websiteDomain?: string;
  /** Not in the SDK: overrides the Invitations recipe's inviteOnly for this tenant, when set. */
  inviteOnly?: boolean;
};

/** Each key: undefined leaves it as stored, null removes it (back to the instance's setting). */
export type TenantConfigInput = {
  firstFactors?: string[] | null;
  requiredSecondaryFactors?: string[] | null;
  /** Token lifetimes, in the units of the `core` setting of the same name; merged key by key. */
  coreConfig?: { [key: string]: unknown } | null;
  /** An origin (`https://acme.example.com`) for this tenant's reset, magic and verification links. */
  websiteDomain?: string | null;
  /** Overrides the Invitations recipe's inviteOnly for this tenant. */
  inviteOnly?: boolean | null;
};

export type AssociateUserToTenantResult =
  | { status: "OK"; wasAlreadyAssociated: boolean }
  | { status: "UNKNOWN_USER_ID_ERROR" }
  | { status: "EMAIL_ALREADY_EXISTS_ERROR" }
  | { status: "PHONE_NUMBER_ALREADY_EXISTS_ERROR" }
  | { status: "THIRD_PARTY_USER_ALREADY_EXISTS_ERROR" }
  | { status: "ASSOCIATION_NOT_ALLOWED_ERROR"; reason: string };

export type RecipeInterface = {
  getTenantId(input: { tenantIdFromFrontend: string; userContext: UserContext }): Promise<string>;
  createOrUpdateTenant(input: { tenantId: string; config?: TenantConfigInput; userContext: UserContext }): Promise<{ status: "OK"; createdNew: boolean }>;
  deleteTenant(input: { tenantId: string; userContext: UserContext }): Promise<{ status: "OK"; didExist: boolean }>;
  getTenant(input: { tenantId: string; userContext: UserContext }): Promise<({ status: "OK" } & TenantConfig) | undefined>;
  listAllTenants(input: { userContext: UserContext }): Promise<{ status: "OK"; tenants: (TenantConfig & { tenantId: string })[] }>;
  associateUserToTenant(input: { tenantId: string; recipeUserId: RecipeUserId; userContext: UserContext }): Promise<AssociateUserToTenantResult>;
  disassociateUserFromTenant(input: { tenantId: string; recipeUserId: RecipeUserId; userContext: UserContext }): Promise<{ status: "OK"; wasAssociated: boolean }>;
};

export type APIOptions = {
  recipeImplementation: RecipeInterface;
  recipeId: string;
  isInServerlessEnv: boolean;
  req: BaseRequest;
  res: BaseResponse;
};

export type APIInterface = {
  loginMethodsGET:
    | undefined
    | ((input: { tenantId: string; clientType?: string; options: APIOptions; userContext: UserContext }) => Promise<
        | {
            status: "OK";
            emailPassword: { enabled: boolean };
            thirdParty: { enabled: boolean; providers: { id: string; name?: string }[] };
            passwordless: { enabled: boolean };
            firstFactors: string[];
          }
        | GeneralErrorResponse
      >);
};

export type TypeInput = {
  getAllowedDomainsForTenantId?: (tenantId: string, userContext: UserContext) => Promise<string[] | undefined>;
  override?: {
    functions?: (originalImplementation: RecipeInterface, builder: OverrideableBuilder<RecipeInterface>) => RecipeInterface;
    apis?: (originalImplementation: APIInterface, builder: OverrideableBuilder<APIInterface>) => APIInterface;
  };
};
