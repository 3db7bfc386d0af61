import type { OverrideableBuilder } from "../../core/override.js";
import type { UserContext } from "../../core/user-context.js";
import type { GeneralErrorResponse } from "../../core/general-error.js";
import type { BaseRequest } from "../../http/base-request.js";
import type { BaseResponse } from "../../http/base-response.js";

export type TenantConfig = {
  thirdParty: { providers: { thirdPartyId: string; name?: string }[] };
  firstFactors?: string[];
  requiredSecondaryFactors?: string[];
  coreConfig: { [key: string]: unknown };
};

export type TenantConfigInput = {
  firstFactors?: string[] | null;
  requiredSecondaryFactors?: string[] | null;
  coreConfig?: { [key: string]: unknown };
};

export type RecipeInterface = {
  getTenantId(input: { tenantIdFromFrontend: string; userContext: UserContext }): Promise<string>;
  createOrUpdateTenant(input: { tenantId: string; config?: TenantConfigInput; userContext: UserContext }): Promise<{ status: "OK"; createdNew: boolean }>;
  deleteTenant(input: { tenantId: string; userContext: UserContext }): Promise<{ status: "OK"; didExist: boolean }>;
  getTenant(input: { tenantId: string; userContext: UserContext }): Promise<({ status: "OK" } & TenantConfig) | undefined>;
  listAllTenants(input: { userContext: UserContext }): Promise<{ status: "OK"; tenants: (TenantConfig & { tenantId: string })[] }>;
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
