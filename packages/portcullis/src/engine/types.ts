import type { Kysely } from "kysely";
import type { Clock, Logger, Random } from "../core/runtime.js";
import type { PortcullisError } from "../core/errors.js";
import type { AuthEventInput, OnAuthEvent } from "../core/auth-events.js";
import type { Log } from "../core/log.js";
import type { UserContext } from "../core/user-context.js";
import type { User } from "../core/user.js";
import type { BaseRequest, HTTPMethod } from "../http/base-request.js";
import type { BaseResponse } from "../http/base-response.js";
import type { DatabaseOptions } from "../storage/create-storage.js";
import type { AccountIdentifier, Storage } from "../storage/storage.js";
import type { PasswordHasher, PasswordHashingOptions } from "../crypto/password/password-hasher.js";
import type { DevelopmentOutbox, DevelopmentOutboxOptions } from "../delivery/development-outbox.js";
import type { AppInfo, NormalisedAppInfo } from "./app-info.js";
import type { Limiter, LimitsInput } from "../limits/index.js";

/** Token lifetimes and key rotation: SuperTokens keeps these in its core config; here they are ours. */
export interface CoreSettings {
  /** Seconds. Default 900 (15 min): access tokens are verified without a database call, so this bounds how long a revoked session's token keeps working on routes that do not set checkDatabase. */
  accessTokenValidity: number;
  /** Minutes, sliding. Default 144000 (100 days), as SuperTokens. */
  refreshTokenValidity: number;
  /**
   * Minutes. Default 43200 (30 days): a session ends this long after sign-in however often it
   * refreshes (ASVS 10.4.8, 7.3.2; NIST AAL1 reauthentication ≤ 30 days). The sliding
   * refreshTokenValidity only ends it earlier, after that long without a refresh.
   */
  sessionAbsoluteLifetime: number;
  /** Hours between dynamic signing-key rotations. Default 168 (7 days). */
  accessTokenSigningKeyUpdateInterval: number;
  /** Milliseconds. Default 3600000 (1 h). */
  passwordResetTokenLifetime: number;
  /** Milliseconds a passwordless code (and its magic link) stays valid. Default 600000 (10 min). */
  passwordlessCodeLifetime: number;
  /** Milliseconds an email-verification link stays valid. Default 86400000 (1 day), as SuperTokens. */
  emailVerificationTokenLifetime: number;
  /** Wrong codes one passwordless sign-in attempt may see before the user must start again. Default 5. */
  passwordlessMaxCodeInputAttempts: number;
}

/** Every value the SDK accepts, so its configurations compile; the adapter you mount decides how requests are read. */
export type FrameworkName = "express" | "fastify" | "hapi" | "loopback" | "koa" | "awsLambda" | "custom";

export interface TypeInput {
  framework?: FrameworkName | undefined;
  appInfo: AppInfo;
  recipeList: RecipeListFunction[];
  /** `sqlite:./data/portcullis.db`, `sqlite::memory:`, `postgres://…`, or a ready Kysely instance. Falls back to DATABASE_URL, then `./data/portcullis.db`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Kysely database type is accepted
  database?: string | undefined | Kysely<any>;
  /** Where Portcullis's tables go: a PostgreSQL schema (default `portcullis`) and/or a table prefix (default `portcullis_` on SQLite). */
  databaseOptions?: DatabaseOptions | undefined;
  /** Accepted and ignored so SuperTokens configurations compile unchanged: there is no separate core. */
  supertokens?: { connectionURI: string; apiKey?: string | undefined; networkInterceptor?: unknown; disableCoreCallCache?: boolean };
  core?: Partial<CoreSettings>;
  passwordHashing?: PasswordHashingOptions;
  telemetry?: boolean;
  isInServerlessEnv?: boolean;
  /** Logs the request flow (route matched, tenant, outcome) at debug level. */
  debug?: boolean;
  /** Where emails go when no delivery is configured: retention, and whether production may use it. */
  developmentOutbox?: DevelopmentOutboxOptions | undefined;
  /** Receives every auth event (sign-ins, failures, resets, revocations, throttling); forward it to an audit log or webhook. */
  onEvent?: OnAuthEvent | undefined;
  /** Abuse limits (sign-in failures, reset emails, email look-ups), counted in the database; `false` turns them off. See the README. */
  limits?: LimitsInput | false | undefined;
  clock?: Clock;
  random?: Random;
  logger?: Logger;
}

export interface RouteInput {
  tenantId: string;
  req: BaseRequest;
  res: BaseResponse;
  userContext: UserContext;
}

export interface RouteDefinition {
  method: HTTPMethod;
  /** Relative to apiBasePath, e.g. "/signin". */
  path: string;
  /** Whether the optional `/<tenantId>` prefix applies. */
  tenantScoped: boolean;
  /** Whether the route is switched off (its API was overridden to undefined). */
  disabled: boolean;
  handle(input: RouteInput): Promise<void>;
}

/** The settings a tenant may override; each absent key falls back to the instance's. */
export interface TenantOverrides {
  firstFactors?: readonly string[] | undefined;
  /** An origin (`https://acme.example.com`) for the links this tenant's emails and texts carry. */
  websiteDomain?: string | undefined;
  core?: Partial<Pick<CoreSettings, TenantCoreSettingName>> | undefined;
  inviteOnly?: boolean | undefined;
}

/** The CoreSettings a tenant's `coreConfig` may set. */
export type TenantCoreSettingName =
  | "accessTokenValidity"
  | "refreshTokenValidity"
  | "passwordResetTokenLifetime"
  | "passwordlessCodeLifetime"
  | "emailVerificationTokenLifetime";

/** What a tenant's requests run with: its overrides over the instance's settings. */
export interface TenantSettings {
  tenantId: string;
  /** The first factors the tenant allows; undefined: every first factor the recipes offer. */
  firstFactors: readonly string[] | undefined;
  /** Where the tenant's links point: its websiteDomain, else the app's origin (appInfo). */
  websiteOrigin: string;
  /** The instance's CoreSettings with the tenant's lifetimes applied. */
  core: CoreSettings;
  /** undefined: the instance decides (the Invitations recipe's inviteOnly). */
  inviteOnly: boolean | undefined;
}

/** How the recipe that owns tenants (multitenancy) lets the engine route tenant-scoped paths. */
export interface TenantDirectory {
  /** The tenant a request acts for, from the path segment (`public` when the path had none). */
  resolveTenantId(tenantIdFromPath: string, userContext: UserContext): Promise<string>;
  tenantExists(tenantId: string): Promise<boolean>;
  /** The tenant's overrides, or undefined when the tenant does not exist (`public` always does). */
  overrides(tenantId: string): Promise<TenantOverrides | undefined>;
}

/** Who is about to get a new account: the login method's recipe, tenant and email or phone number. */
export interface NewAccount {
  recipeId: string;
  tenantId: string;
  identifier: AccountIdentifier;
  userContext: UserContext;
}

/**
 * Set by a recipe that decides who may sign up (invitations). Every login recipe asks the engine
 * before a sign-up request creates an account, and tells it afterwards, so a new login method is
 * covered by adding the two calls, not by changing the gate.
 */
export interface SignUpGate {
  mayCreateAccount(account: NewAccount): Promise<{ allowed: true } | { allowed: false; message: string }>;
  /** After the account exists (an invitation is marked used, its roles assigned). Errors are logged, never thrown at the user. */
  accountCreated(account: NewAccount & { userId: string }): Promise<void>;
}

/** What verifySession does for every bridge; contributed by the session recipe. */
export interface SessionVerifier {
  verifySession(options: unknown, req: BaseRequest, res: BaseResponse, userContext: UserContext): Promise<unknown>;
}

/**
 * A recipe as a value. It is built in phase one (it may not look at other recipes yet) and wired in
 * phase two (`onAllRecipesBuilt`), once every recipe of the list exists, so `recipeList` order never
 * matters. What it contributes to the rest of the system is declared here, not registered by side effect.
 */
export interface RecipeModule {
  readonly recipeId: string;
  /** Recipe ids that must also be in recipeList; checked before phase two, with a clear error. */
  readonly requires?: readonly string[];
  /** First factors this recipe offers, as `/loginmethods` lists them (e.g. `emailpassword`, `otp-email`). */
  readonly firstFactors?: readonly string[];
  /** Set by the recipe that owns tenants. */
  readonly tenantDirectory?: TenantDirectory;
  /** Set by the session recipe. */
  readonly sessionVerifier?: SessionVerifier;
  /** Set by a recipe that restricts sign-up (invitations). */
  readonly signUpGate?: SignUpGate;
  /**
   * Session claims this recipe puts into every new session (`st-role`, `st-ev`, ...) and the
   * validators every verification runs; the session recipe collects them in phase two. Typed
   * loosely here because the engine knows no recipe: they are the session recipe's claim objects.
   */
  readonly sessionClaims?: () => { claims?: readonly object[]; globalValidators?: readonly object[] };
  /** Phase two: cross-recipe wiring (claims another recipe adds to sessions, validators, ...). */
  onAllRecipesBuilt?(): void;
  getRoutes(): RouteDefinition[];
  /** Returns true when it answered the error. */
  handleError?(error: PortcullisError, req: BaseRequest, res: BaseResponse, userContext: UserContext): Promise<boolean>;
  getAllCORSHeaders?(): string[];
}

export type RecipeListFunction = (engine: Engine) => RecipeModule;

/** What every recipe may use. One per `createAuth()` call: nothing here is global. */
export interface Engine {
  readonly appInfo: NormalisedAppInfo;
  readonly framework: FrameworkName;
  readonly storage: Storage;
  readonly settings: CoreSettings;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** The app's logger, called in its own style (console-like or object-first like pino). */
  readonly log: Log;
  /** Logs an auth event and hands it to the app's `onEvent`; never throws, never waits. */
  emit(event: AuthEventInput): void;
  readonly passwordHasher: PasswordHasher;
  /** Abuse limits shared by every instance on the database (a no-op when `limits: false`). */
  readonly limits: Limiter;
  /** The development outbox: used by delivery when the app configured nothing. */
  readonly outbox: DevelopmentOutbox;
  getRecipe<T extends RecipeModule>(recipeId: string): T | undefined;
  requireRecipe<T extends RecipeModule>(recipeId: string): T;
  /** Every recipe of this instance, in recipeList order. */
  listRecipes(): readonly RecipeModule[];
  getUser(userId: string): Promise<User | undefined>;
  /** Throws UnknownTenantError for a tenant that was never created (`public` always exists). */
  assertTenantExists(tenantId: string): Promise<void>;
  /**
   * The tenant's effective settings (its overrides, else the instance's); UnknownTenantError for
   * a tenant that does not exist. Read from the database on every call, so a change made through
   * any instance applies at once everywhere; with the request's userContext the read is shared
   * by everything that asks during that request.
   */
  tenantSettings(tenantId: string, userContext?: UserContext): Promise<TenantSettings>;
  /** Whether a sign-up request may create this account: asks the recipe that restricts sign-up, if any. */
  mayCreateAccount(account: NewAccount): Promise<{ allowed: true } | { allowed: false; message: string }>;
  /** Tells the recipe that restricts sign-up that an account was created; never throws. */
  accountCreated(account: NewAccount & { userId: string }): Promise<void>;
}
