import { PortcullisError, UnknownTenantError } from "../core/errors.js";
import { emailProblem, normaliseEmail, normalisePhoneNumber } from "../core/normalise.js";
import type { AuthEvent } from "../core/auth-events.js";
import { createLog } from "../core/log.js";
import { consoleLogger, systemClock, systemRandom } from "../core/runtime.js";
import { makeRequestUserContext } from "../core/user-context.js";
import { userFromStored, type User } from "../core/user.js";
import { createPasswordHasher } from "../crypto/password/password-hasher.js";
import { createDevelopmentOutbox } from "../delivery/development-outbox.js";
import type { BaseRequest } from "../http/base-request.js";
import type { BaseResponse } from "../http/base-response.js";
import { pathnameOf } from "../http/url-path.js";
import { createStorage, describeDatabase } from "../storage/create-storage.js";
import { createLimiter, longestWindowMs, normaliseLimits } from "../limits/index.js";
import { createRedisCounterStore, type RedisCounterStore } from "../storage/redis/redis-counter-store.js";
import { gateOnMigration } from "../storage/ready-storage.js";
import { StorageUnavailableError } from "../storage/storage-errors.js";
import { normaliseAppInfo } from "./app-info.js";
import { createHealthCheck, sendHealth, type HealthReport } from "./health.js";
import { answerGenericError } from "./http-errors.js";
import { createRouter } from "./router.js";
import { normaliseCoreSettings } from "./settings.js";
import { createTenantSettingsReader } from "./tenant-settings.js";
import type { Engine, RecipeListFunction, RecipeModule, TenantDirectory, TypeInput } from "./types.js";

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
  /**
   * Resolves once the database answered and migrations ran. While the database is out of reach
   * at start-up it stays pending (migration is retried with back-off, requests get 503) and
   * resolves when the database is back; it rejects only for a failure that waiting will not fix
   * (bad credentials, a failed migration). For a bounded wait, race it with a timeout or poll
   * `health()`.
   */
  readonly ready: Promise<void>;
  /**
   * Whether this instance can serve requests that need the database now: the migration state,
   * then a trivial query, cached for a second. Also served as `GET <apiBasePath>/health`.
   */
  health(): Promise<HealthReport>;
  /**
   * Answers the request if it is an auth route; false lets the host framework go on. Every bridge
   * (Node, Fetch, custom) ends here with the request and response wrapped.
   */
  middleware(req: BaseRequest, res: BaseResponse, userContext?: Record<string, unknown>): Promise<boolean>;
  /** Answers Portcullis errors with the FDI bodies; false for errors that are not ours. */
  errorHandler(error: unknown, req: BaseRequest, res: BaseResponse, userContext?: Record<string, unknown>): Promise<boolean>;
  /** Verifies the request's session (the session recipe's verifySession); throws the SDK's session errors. */
  verifySession(options: unknown, req: BaseRequest, res: BaseResponse, userContext?: Record<string, unknown>): Promise<unknown>;
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

/**
 * The engine: one instance with its own storage, keys, recipes and routes. It knows no framework and
 * no recipe; recipes arrive as values in `recipeList` and declare what they contribute.
 */
export function createAuthInstance(config: TypeInput, options: { defaultRecipes?: RecipeListFunction[] } = {}): Auth {
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
  const log = createLog(logger, { debug: config.debug === true });
  const onEvent = config.onEvent;
  const databaseName = describeDatabase(config.database, config.databaseOptions);
  const storage = gateOnMigration(createStorage(config.database, config.databaseOptions), {
    onWaiting(error, retryInMs, attempt) {
      if (attempt === 1) {
        log.warn(`Waiting for the database (${databaseName}): ${error.message}. Retrying with back-off up to 10 s; requests that need it get 503 until then.`);
      } else log.debug(`Database still unavailable (attempt ${attempt}, next in ${retryInMs} ms): ${error.message}`);
    },
    onUp: (attempts) => log.info(`The database (${databaseName}) is up after ${attempts} attempts; migrations applied, serving requests.`),
  });
  const health = createHealthCheck(storage);
  const reportOutage = outageReporter(log, clock);
  const outbox = createDevelopmentOutbox({
    store: storage.outbox,
    clock,
    log,
    options: config.developmentOutbox,
    production: process.env["NODE_ENV"] === "production",
  });
  const recipes = new Map<string, RecipeModule>();
  const limits = normaliseLimits(config.limits);
  const limitsStore = limits !== false && config.limits !== false ? redisLimitsStore(config.limits?.store, limits, log) : undefined;

  const settings = normaliseCoreSettings(config.core);
  const tenantSettings = createTenantSettingsReader({ directory: () => tenantDirectory, appInfo, settings });

  const engine: Engine = {
    appInfo,
    framework: config.framework ?? "express",
    storage,
    settings,
    clock,
    random: config.random ?? systemRandom,
    logger,
    log,
    emit(input) {
      const event = { ...input, at: clock.now() } as AuthEvent;
      log.info(`auth event ${event.type}`, { event });
      if (onEvent === undefined) return;
      // The hook may be slow or fail: neither may touch the request that caused the event.
      void Promise.resolve()
        .then(() => onEvent(event))
        .catch((error: unknown) => log.error(`onEvent failed for ${event.type}`, error));
    },
    passwordHasher: createPasswordHasher(config.passwordHashing),
    limits: createLimiter(limits, { counters: limitsStore ?? storage.counters, clock, emit: (event) => engine.emit(event) }),
    outbox,
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
    listRecipes: () => [...recipes.values()],
    assertTenantExists: async (tenantId) => {
      const exists = tenantDirectory === undefined ? tenantId === "public" : await tenantDirectory.tenantExists(tenantId);
      if (!exists) throw new UnknownTenantError(tenantId);
    },
    tenantSettings,
    mayCreateAccount: async (account) => {
      if (signUpGate !== undefined) return signUpGate.mayCreateAccount(account);
      // A tenant set invite-only while the app no longer runs Invitations stays closed, never opens.
      const { inviteOnly } = await tenantSettings(account.tenantId, account.userContext);
      return inviteOnly === true ? { allowed: false, message: "Sign up is by invitation only. Please contact the admin." } : { allowed: true };
    },
    accountCreated: async (account) => {
      if (signUpGate === undefined) return;
      // The account exists and its owner is signing in: a failed follow-up must not turn that into an error.
      await signUpGate.accountCreated(account).catch((error: unknown) => log.error(`Sign-up follow-up failed for user ${account.userId}`, error));
    },
  };

  // Phase one: build every recipe; none may look at another yet.
  for (const factory of config.recipeList) {
    const recipe = factory(engine);
    if (recipes.has(recipe.recipeId)) throw new Error(`${recipe.recipeId} recipe has already been initialised. Please check your code for bugs.`);
    recipes.set(recipe.recipeId, recipe);
  }
  for (const factory of options.defaultRecipes ?? []) {
    const recipe = factory(engine);
    if (!recipes.has(recipe.recipeId)) recipes.set(recipe.recipeId, recipe);
  }
  for (const recipe of recipes.values()) {
    for (const needed of recipe.requires ?? []) {
      if (!recipes.has(needed)) throw new Error(`The ${recipe.recipeId} recipe needs the ${needed} recipe: add its init() to recipeList`);
    }
  }
  // Declared here, used by the closures above only once requests arrive.
  const tenantDirectory: TenantDirectory | undefined = only(recipes, "tenantDirectory");
  const sessionVerifier = only(recipes, "sessionVerifier");
  const signUpGate = only(recipes, "signUpGate");
  // Phase two: every recipe exists, so cross-recipe wiring is order-independent.
  for (const recipe of recipes.values()) recipe.onAllRecipesBuilt?.();
  const route = createRouter(
    [...recipes.values()].flatMap((recipe) => recipe.getRoutes()),
    appInfo.apiBasePath,
  );
  const healthPath = `${appInfo.apiBasePath}/health`;

  const errorHandler: Auth["errorHandler"] = async (error, req, res, userContextInput) => {
    if (log.debugEnabled) log.debug(`${req.getMethod().toUpperCase()} ${pathnameOf(req.getOriginalURL())}: error ${describeError(error)}`);
    const userContext = makeRequestUserContext(req, userContextInput, clock);
    if (StorageUnavailableError.is(error)) reportOutage(error);
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
    health,
    async middleware(req, res, userContextInput) {
      const pathname = pathnameOf(req.getOriginalURL());
      // The engine's own route, outside the recipes' table: no tenant segment, and never disabled.
      if (pathname === healthPath && req.getMethod() === "get") {
        res.setHeader("Cache-Control", "no-store", false);
        sendHealth(await health(), res);
        return true;
      }
      const match = route(pathname, req.getMethod());
      if (match === undefined) return false;
      if (log.debugEnabled) log.debug(`${req.getMethod().toUpperCase()} ${pathname}: ${match.route.method} ${match.route.path}`, { tenantIdFromPath: match.tenantIdFromPath });
      const userContext = makeRequestUserContext(req, userContextInput, clock);
      let tenantId = "public";
      if (match.route.tenantScoped) {
        const fromPath = match.tenantIdFromPath ?? "public";
        tenantId = tenantDirectory === undefined ? fromPath : await tenantDirectory.resolveTenantId(fromPath, userContext);
        // Throws UnknownTenantError, and leaves the tenant's settings read for the route to use.
        await tenantSettings(tenantId, userContext);
      }
      // Auth responses carry tokens or account state: never cache them.
      res.setHeader("Cache-Control", "no-store", false);
      await match.route.handle({ tenantId, req, res, userContext });
      if (log.debugEnabled) log.debug(`${req.getMethod().toUpperCase()} ${pathname}: answered`, { tenantId });
      return true;
    },
    errorHandler,
    verifySession(options, req, res, userContextInput) {
      if (sessionVerifier === undefined) throw new Error("verifySession needs the session recipe: add Session.init() to recipeList");
      return sessionVerifier.verifySession(options, req, res, makeRequestUserContext(req, userContextInput, clock));
    },
    getAllCORSHeaders() {
      const headers = new Set(["rid", "fdi-version"]);
      for (const recipe of recipes.values()) for (const header of recipe.getAllCORSHeaders?.() ?? []) headers.add(header);
      return [...headers];
    },
    getRecipe: engine.getRecipe,
    getUser: (userId) => engine.getUser(userId),
    async listUsersByAccountInfo(tenantId, accountInfo, doUnionOfAccountInfo = false) {
      if (accountInfo.email !== undefined && emailProblem(accountInfo.email) !== undefined) return [];
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
    async close() {
      await Promise.all([storage.close(), limitsStore?.close()]);
    },
  };
}

/** The counters in Redis when `limits.store` says so, kept as long as the longest limit window. */
function redisLimitsStore(
  store: NonNullable<Exclude<TypeInput["limits"], false>>["store"],
  limits: Exclude<ReturnType<typeof normaliseLimits>, false>,
  log: ReturnType<typeof createLog>,
): RedisCounterStore | undefined {
  if (store === undefined) return undefined;
  return createRedisCounterStore(store, {
    retentionMs: longestWindowMs(limits),
    onConnectionError: (error) =>
      log.warn(`Redis (abuse-limit counters) is unreachable: ${error instanceof Error ? error.message : String(error)}. Limited routes answer 503 until it is back.`),
  });
}

/** The one recipe that contributes `key`, if any; two contributors would be ambiguous. */
function only<K extends "tenantDirectory" | "sessionVerifier" | "signUpGate">(recipes: Map<string, RecipeModule>, key: K): RecipeModule[K] {
  const providers = [...recipes.values()].filter((recipe) => recipe[key] !== undefined);
  if (providers.length > 1) throw new Error(`Only one recipe may provide ${key}; found ${providers.map((r) => r.recipeId).join(", ")}`);
  return providers[0]?.[key];
}

/**
 * Logs outages that requests meet, at most once every 10 s: an outage fails every request, and
 * the log should say so without repeating it thousands of times.
 */
function outageReporter(log: ReturnType<typeof createLog>, clock: { now(): number }): (error: StorageUnavailableError) => void {
  let lastAt: number | undefined;
  let suppressed = 0;
  return (error) => {
    const now = clock.now();
    if (lastAt !== undefined && now - lastAt < 10_000) {
      suppressed++;
      return;
    }
    const more = suppressed > 0 ? ` (${suppressed} more since the last report)` : "";
    log.warn(`Answering 503: ${error.message}${more}`);
    lastAt = now;
    suppressed = 0;
  };
}

/** For debug lines: the error's kind and message, never a payload (it may hold claim values). */
function describeError(error: unknown): string {
  if (PortcullisError.isErrorFromSuperTokens(error)) return `${error.type}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
