import { applyOverride } from "../../core/override.js";
import type { Engine, RecipeModule, RouteDefinition, TenantDirectory } from "../../engine/types.js";
import type { TenantRecord } from "../../storage/storage.js";
import type { APIInterface, RecipeInterface, TenantConfig, TypeInput } from "./types.js";

export const MULTITENANCY_RECIPE_ID = "multitenancy";
export const DEFAULT_TENANT_ID = "public";
const TENANT_ID_PATTERN = /^[a-z0-9-]{1,64}$/;

function toTenantConfig(record: TenantRecord | undefined): TenantConfig {
  const config = record?.config ?? {};
  return {
    thirdParty: { providers: [] },
    ...(Array.isArray(config["firstFactors"]) ? { firstFactors: config["firstFactors"] as string[] } : {}),
    ...(Array.isArray(config["requiredSecondaryFactors"]) ? { requiredSecondaryFactors: config["requiredSecondaryFactors"] as string[] } : {}),
    coreConfig: (config["coreConfig"] as Record<string, unknown> | undefined) ?? {},
  };
}

export class MultitenancyRecipe implements RecipeModule {
  readonly recipeId = MULTITENANCY_RECIPE_ID;
  readonly recipeInterfaceImpl: RecipeInterface;
  readonly apiImpl: APIInterface;
  readonly tenantDirectory: TenantDirectory = {
    resolveTenantId: (tenantIdFromPath, userContext) => this.recipeInterfaceImpl.getTenantId({ tenantIdFromFrontend: tenantIdFromPath, userContext }),
    tenantExists: (tenantId) => this.tenantExists(tenantId),
  };

  constructor(
    private readonly engine: Engine,
    input: TypeInput | undefined,
  ) {
    const storage = engine.storage;
    this.recipeInterfaceImpl = applyOverride<RecipeInterface>(
      {
        getTenantId: async ({ tenantIdFromFrontend }) => tenantIdFromFrontend,
        createOrUpdateTenant: async ({ tenantId, config }) => {
          if (!TENANT_ID_PATTERN.test(tenantId)) throw new Error(`Invalid tenant id "${tenantId}": use 1–64 lowercase letters, digits or dashes`);
          const existing = (await storage.tenants.get(tenantId))?.config ?? {};
          const merged: Record<string, unknown> = { ...existing };
          for (const key of ["firstFactors", "requiredSecondaryFactors", "coreConfig"] as const) {
            const value = config?.[key];
            if (value === null) delete merged[key];
            else if (value !== undefined) merged[key] = value;
          }
          const { createdNew } = await storage.tenants.upsert(tenantId, merged, engine.clock.now());
          return { status: "OK", createdNew };
        },
        deleteTenant: async ({ tenantId }) => {
          if (tenantId === DEFAULT_TENANT_ID) throw new Error("The public tenant cannot be deleted");
          return { status: "OK", didExist: await storage.tenants.delete(tenantId) };
        },
        getTenant: async ({ tenantId }) => {
          const record = await storage.tenants.get(tenantId);
          if (record === undefined && tenantId !== DEFAULT_TENANT_ID) return undefined;
          return { status: "OK", ...toTenantConfig(record) };
        },
        listAllTenants: async () => {
          const records = await storage.tenants.list();
          const tenants = records.map((record) => ({ tenantId: record.tenantId, ...toTenantConfig(record) }));
          if (!tenants.some((t) => t.tenantId === DEFAULT_TENANT_ID)) tenants.unshift({ tenantId: DEFAULT_TENANT_ID, ...toTenantConfig(undefined) });
          return { status: "OK", tenants };
        },
      },
      input?.override?.functions,
    );
    this.apiImpl = applyOverride<APIInterface>(
      {
        loginMethodsGET: async ({ tenantId, options, userContext }) => {
          const tenant = await options.recipeImplementation.getTenant({ tenantId, userContext });
          // Each recipe declares the first factors it offers; a tenant may narrow them.
          const available = [...new Set(this.engine.listRecipes().flatMap((recipe) => recipe.firstFactors ?? []))];
          const firstFactors = tenant?.firstFactors ?? available;
          return {
            status: "OK",
            emailPassword: { enabled: firstFactors.includes("emailpassword") },
            thirdParty: { enabled: false, providers: [] },
            passwordless: { enabled: firstFactors.some((f) => f.startsWith("otp-") || f.startsWith("link-")) },
            firstFactors,
          };
        },
      },
      input?.override?.apis,
    );
  }

  async tenantExists(tenantId: string): Promise<boolean> {
    if (tenantId === DEFAULT_TENANT_ID) return true;
    return (await this.engine.storage.tenants.get(tenantId)) !== undefined;
  }

  getRoutes(): RouteDefinition[] {
    return [
      {
        method: "get",
        path: "/loginmethods",
        tenantScoped: true,
        disabled: this.apiImpl.loginMethodsGET === undefined,
        handle: async ({ tenantId, req, res, userContext }) => {
          const clientType = req.getKeyValueFromQuery("clientType");
          const result = await this.apiImpl.loginMethodsGET?.({
            tenantId,
            ...(clientType !== undefined ? { clientType } : {}),
            options: { recipeImplementation: this.recipeInterfaceImpl, recipeId: this.recipeId, isInServerlessEnv: false, req, res },
            userContext,
          });
          res.sendJSONResponse(result);
        },
      },
    ];
  }
}

export function initMultitenancy(config?: TypeInput): (engine: Engine) => MultitenancyRecipe {
  return (engine) => new MultitenancyRecipe(engine, config);
}
