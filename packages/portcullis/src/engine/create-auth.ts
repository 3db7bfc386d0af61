import { PortcullisError, UnknownTenantError } from "../core/errors.js";
import { normaliseEmail, normalisePhoneNumber } from "../core/normalise.js";
import { consoleLogger, systemClock, systemRandom } from "../core/runtime.js";
import { makeRequestUserContext } from "../core/user-context.js";
import { userFromStored, type User } from "../core/user.js";
import { createPasswordHasher } from "../crypto/password/password-hasher.js";
import { createOutboxEmailSender } from "../delivery/outbox-service.js";
import type { BaseRequest } from "../framework/base-request.js";
import type { BaseResponse } from "../framework/base-response.js";
import { NodeRequest, NodeResponse } from "../framework/node-http.js";
import { pathnameOf } from "../framework/url-path.js";
import { createStorage } from "../storage/create-storage.js";
import { gateOnMigration } from "../storage/ready-storage.js";
import { MultitenancyRecipe, MULTITENANCY_RECIPE_ID } from "../recipes/multitenancy/multitenancy-recipe.js";
import { normaliseAppInfo } from "./app-info.js";
import { answerGenericError } from "./http-errors.js";
import { createRouter } from "./router.js";
import { normaliseCoreSettings } from "./settings.js";
import type { Engine, RecipeModule, TypeInput } from "./types.js";

export interface GetUsersInput {
  tenantId: string;
  limit?: number;
  paginationToken?: string;
  includeRecipeIds?: string[];
  query?: { [key: string]: string };
  userContext?: Record<string, unknown>;
}

/** One Portcullis instance: its own storage, keys, recipes and routes. Nothing is shared between instances. */
export interface Auth {
  readonly engine: Engine;
  /** Resolves once migrations ran; every storage call waits for it anyway. */
  readonly ready: Promise<void>;
  /** Answers the request if it is an auth route; false lets the host framework go on. */
  middleware(req: BaseRequest, res: BaseResponse, userContext?: Record<string, unknown>): Promise<boolean>;
  /** Answers Portcullis errors with the FDI bodies; false for errors that are not ours. */
  errorHandler(error: unknown, req: BaseRequest, res: BaseResponse, userContext?: Record<string, unknown>): Promise<boolean>;
  getAllCORSHeaders(): string[];
  getRecipe<T extends RecipeModule>(recipeId: string): T | undefined;
  getUser(userId: string, userContext?: Record<string, unknown>): Promise<User | undefined>;
  listUsersByAccountInfo(
    tenantId: string,
    accountInfo: { email?: string; phoneNumber?: string; thirdParty?: { id: string; userId: string }; webauthn?: { credentialId: string } },
    doUnionOfAccountInfo?: boolean,
    userContext?: Record<string, unknown>,
  ): Promise<User[]>;
  getUsersOldestFirst(input: GetUsersInput): Promise<{ users: User[]; nextPaginationToken?: string }>;
  getUsersNewestFirst(input: GetUsersInput): Promise<{ users: User[]; nextPaginationToken?: string }>;
  getUserCount(includeRecipeIds?: string[], tenantId?: string, userContext?: Record<string, unknown>): Promise<number>;
  deleteUser(userId: string, removeAllLinkedAccounts?: boolean, userContext?: Record<string, unknown>): Promise<{ status: "OK" }>;
  close(): Promise<void>;
}

export function createAuth(config: TypeInput): Auth {
  if (config === undefined || config === null) throw new Error("Please provide a configuration object");
  if (!Array.isArray(config.recipeList) || config.recipeList.length === 0) {
    throw new Error("Please provide at least one recipe to the supertokens.init function call");
  }
  if (config.recipeList.some((recipe) => recipe === undefined)) {
    throw new Error("Please remove empty items from recipeList");
  }
  const appInfo = normaliseAppInfo(config.appInfo);
  const clock = config.clock ?? systemClock;
  const logger = config.logger ?? consoleLogger;
  const storage = gateOnMigration(createStorage(config.database, config.databaseOptions));
  const outboxSender = createOutboxEmailSender({
    insert: (message) => storage.outbox.insert(message),
    now: () => clock.now(),
    log: (line) => logger.info(line),
  });
  const recipes = new Map<string, RecipeModule>();
  const multitenancy = () => recipes.get(MULTITENANCY_RECIPE_ID) as MultitenancyRecipe;

  const engine: Engine = {
    appInfo,
    framework: config.framework ?? "express",
    storage,
    settings: normaliseCoreSettings(config.core),
    clock,
    random: config.random ?? systemRandom,
    logger,
    passwordHasher: createPasswordHasher(config.passwordHashing),
    outbox: { send: (content) => outboxSender.send(content) },
    getRecipe: <T extends RecipeModule>(recipeId: string) => recipes.get(recipeId) as T | undefined,
    requireRecipe: <T extends RecipeModule>(recipeId: string) => {
      const recipe = recipes.get(recipeId);
      if (recipe === undefined) throw new Error(`Initialisation not done. Did you forget to call the ${recipeId} init function in recipeList?`);
      return recipe as T;
    },
    getUser: async (userId) => {
      const stored = await storage.users.get(userId);
      return stored === undefined ? undefined : userFromStored(stored);
    },
    assertTenantExists: async (tenantId) => {
      if (!(await multitenancy().tenantExists(tenantId))) throw new UnknownTenantError(tenantId);
    },
    wrapRequest: (request) => (isWrapped(request) ? (request as BaseRequest) : new NodeRequest(request as never)),
    wrapResponse: (response) => (isWrapped(response) ? (response as BaseResponse) : new NodeResponse(response as never)),
  };

  for (const factory of config.recipeList) {
    const recipe = factory(engine);
    if (recipes.has(recipe.recipeId)) throw new Error(`${recipe.recipeId} recipe has already been initialised. Please check your code for bugs.`);
    recipes.set(recipe.recipeId, recipe);
  }
  if (!recipes.has(MULTITENANCY_RECIPE_ID)) recipes.set(MULTITENANCY_RECIPE_ID, new MultitenancyRecipe(engine, undefined));
  const route = createRouter(
    [...recipes.values()].flatMap((recipe) => recipe.getRoutes()),
    appInfo.apiBasePath,
  );

  const errorHandler: Auth["errorHandler"] = async (error, req, res, userContextInput) => {
    const userContext = makeRequestUserContext(req, userContextInput);
    if (answerGenericError(error, res)) return true;
    if (!PortcullisError.isErrorFromSuperTokens(error)) return false;
    for (const recipe of recipes.values()) {
      if (recipe.handleError !== undefined && (await recipe.handleError(error, req, res, userContext))) return true;
    }
    return false;
  };

  const toUsers = (stored: Awaited<ReturnType<typeof storage.users.list>>) => ({
    users: stored.users.map(userFromStored),
    ...(stored.nextPaginationToken !== undefined ? { nextPaginationToken: stored.nextPaginationToken } : {}),
  });
  const listUsers = async (input: GetUsersInput, order: "ASC" | "DESC") => {
    const limit = input.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new Error("limit must be an integer between 1 and 500");
    return toUsers(
      await storage.users.list({
        tenantId: input.tenantId,
        order,
        limit,
        paginationToken: input.paginationToken,
        includeRecipeIds: input.includeRecipeIds,
        query: input.query,
      }),
    );
  };

  return {
    engine,
    ready: storage.ready,
    async middleware(req, res, userContextInput) {
      const match = route(pathnameOf(req.getOriginalURL()), req.getMethod());
      if (match === undefined) return false;
      const userContext = makeRequestUserContext(req, userContextInput);
      let tenantId = "public";
      if (match.route.tenantScoped) {
        tenantId = await multitenancy().recipeInterfaceImpl.getTenantId({ tenantIdFromFrontend: match.tenantIdFromPath ?? "public", userContext });
        await engine.assertTenantExists(tenantId);
      }
      // Auth responses carry tokens or account state: never cache them.
      res.setHeader("Cache-Control", "no-store", false);
      await match.route.handle({ tenantId, req, res, userContext });
      return true;
    },
    errorHandler,
    getAllCORSHeaders() {
      const headers = new Set(["rid", "fdi-version"]);
      for (const recipe of recipes.values()) for (const header of recipe.getAllCORSHeaders?.() ?? []) headers.add(header);
      return [...headers];
    },
    getRecipe: engine.getRecipe,
    getUser: (userId) => engine.getUser(userId),
    async listUsersByAccountInfo(tenantId, accountInfo, doUnionOfAccountInfo = false) {
      const info = {
        ...(accountInfo.email !== undefined ? { email: normaliseEmail(accountInfo.email) } : {}),
        ...(accountInfo.phoneNumber !== undefined ? { phoneNumber: normalisePhoneNumber(accountInfo.phoneNumber) } : {}),
      };
      if (Object.keys(info).length === 0) return [];
      return (await storage.users.listByAccountInfo(tenantId, info, doUnionOfAccountInfo)).map(userFromStored);
    },
    getUsersOldestFirst: (input) => listUsers(input, "ASC"),
    getUsersNewestFirst: (input) => listUsers(input, "DESC"),
    getUserCount: (includeRecipeIds, tenantId) => storage.users.count({ tenantId, includeRecipeIds }),
    async deleteUser(userId) {
      await storage.users.delete(userId);
      return { status: "OK" };
    },
    close: () => storage.close(),
  };
}

function isWrapped(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { wrapperUsed?: unknown }).wrapperUsed === true;
}
