import { applyOverride } from "../../core/override.js";
import type { Engine, RecipeModule, RouteDefinition, TenantDirectory } from "../../engine/types.js";
import { UnknownTenantError } from "../../core/errors.js";
import { RecipeUserId } from "../../core/recipe-user-id.js";
import { KNOWN_FIRST_FACTORS, mergeTenantConfig, toOverrides, toTenantConfig } from "./tenant-config.js";
import type { APIInterface, RecipeInterface, TypeInput } from "./types.js";

export const MULTITENANCY_RECIPE_ID = "multitenancy";
export const DEFAULT_TENANT_ID = "public";
const TENANT_ID_PATTERN = /^[a-z0-9-]{1,64}$/;

export class MultitenancyRecipe implements RecipeModule {
  readonly recipeId = MULTITENANCY_RECIPE_ID;
  readonly recipeInterfaceImpl: RecipeInterface;
  readonly apiImpl: APIInterface;
  readonly tenantDirectory: TenantDirectory = {
    resolveTenantId: (tenantIdFromPath, userContext) => this.recipeInterfaceImpl.getTenantId({ tenantIdFromFrontend: tenantIdFromPath, userContext }),
    tenantExists: (tenantId) => this.tenantExists(tenantId),
    overrides: async (tenantId) => {
      const record = await this.engine.storage.tenants.get(tenantId);
      if (record === undefined) return tenantId === DEFAULT_TENANT_ID ? {} : undefined;
      return toOverrides(record.config);
    },
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
          if (typeof tenantId !== "string" || !TENANT_ID_PATTERN.test(tenantId)) {
            throw new Error(`Invalid tenant id ${JSON.stringify(tenantId)}: use 1–64 lowercase letters, digits or dashes`);
          }
          // Checked before the read, so bad input never reaches the database.
          mergeTenantConfig({}, config, this.configChecks());
          const existing = (await storage.tenants.get(tenantId))?.config ?? {};
          const merged = mergeTenantConfig(existing, config, this.configChecks());
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
          return { status: "OK", ...toTenantConfig(record?.config ?? {}) };
        },
        listAllTenants: async () => {
          const records = await storage.tenants.list();
          const tenants = records.map((record) => ({ tenantId: record.tenantId, ...toTenantConfig(record.config) }));
          if (!tenants.some((t) => t.tenantId === DEFAULT_TENANT_ID)) tenants.unshift({ tenantId: DEFAULT_TENANT_ID, ...toTenantConfig({}) });
          return { status: "OK", tenants };
        },
        associateUserToTenant: async ({ tenantId, recipeUserId }) => {
          const result = await storage.credentials.associateWithTenant(recipeUserIdString(recipeUserId), tenantId, { tenantMustExist: tenantId !== DEFAULT_TENANT_ID });
          switch (result.status) {
            case "OK":
              return result;
            case "UNKNOWN_TENANT":
              throw new UnknownTenantError(tenantId);
            case "UNKNOWN_USER":
              return { status: "UNKNOWN_USER_ID_ERROR" };
            case "IDENTIFIER_TAKEN":
              return { status: result.identifier === "email" ? "EMAIL_ALREADY_EXISTS_ERROR" : "PHONE_NUMBER_ALREADY_EXISTS_ERROR" };
          }
        },
        disassociateUserFromTenant: async ({ tenantId, recipeUserId }) => {
          const { wasAssociated } = await storage.credentials.disassociateFromTenant(recipeUserIdString(recipeUserId), tenantId);
          return { status: "OK", wasAssociated };
        },
      },
      input?.override?.functions,
    );
    this.apiImpl = applyOverride<APIInterface>(
      {
        loginMethodsGET: async ({ tenantId, options, userContext }) => {
          const tenant = await options.recipeImplementation.getTenant({ tenantId, userContext });
          // Each recipe declares the first factors it offers; a tenant may narrow them.
          const available = this.offeredFirstFactors();
          // A factor the tenant names but no recipe offers cannot be used: the UI must not show it.
          const firstFactors = tenant?.firstFactors?.filter((factor) => available.includes(factor)) ?? available;
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

  /** First factors the recipes of this instance offer. */
  offeredFirstFactors(): string[] {
    return [...new Set(this.engine.listRecipes().flatMap((recipe) => recipe.firstFactors ?? []))];
  }

  private configChecks() {
    return {
      factorIds: [...new Set([...KNOWN_FIRST_FACTORS, ...this.offeredFirstFactors()])],
      instance: this.engine.settings,
      hasInvitations: this.engine.getRecipe("invitations") !== undefined,
    };
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

/** The SDK passes a RecipeUserId; a plain string is accepted too (older call sites). */
function recipeUserIdString(recipeUserId: RecipeUserId | string): string {
  if (typeof recipeUserId === "string") return recipeUserId;
  if (recipeUserId instanceof RecipeUserId) return recipeUserId.getAsString();
  throw new Error("recipeUserId must be a RecipeUserId (new RecipeUserId(id))");
}

export function initMultitenancy(config?: TypeInput): (engine: Engine) => MultitenancyRecipe {
  return (engine) => new MultitenancyRecipe(engine, config);
}
