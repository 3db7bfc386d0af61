import type { Kysely } from "kysely";
import type { Clock, Logger, Random } from "../core/runtime.js";
import type { PortcullisError } from "../core/errors.js";
import type { UserContext } from "../core/user-context.js";
import type { User } from "../core/user.js";
import type { BaseRequest, HTTPMethod } from "../framework/base-request.js";
import type { BaseResponse } from "../framework/base-response.js";
import type { DatabaseOptions } from "../storage/create-storage.js";
import type { Storage } from "../storage/storage.js";
import type { PasswordHasher, PasswordHashingOptions } from "../crypto/password/password-hasher.js";
import type { EmailContent } from "../delivery/email-content.js";
import type { AppInfo, NormalisedAppInfo } from "./app-info.js";

/** Token lifetimes and key rotation: SuperTokens keeps these in its core config; here they are ours. */
export interface CoreSettings {
  /** Seconds. Default 900 (15 min): access tokens are verified without a database call, so this bounds how long a revoked session's token keeps working on routes that do not set checkDatabase. */
  accessTokenValidity: number;
  /** Minutes, sliding. Default 144000 (100 days), as SuperTokens. */
  refreshTokenValidity: number;
  /** Hours between dynamic signing-key rotations. Default 168 (7 days). */
  accessTokenSigningKeyUpdateInterval: number;
  /** Milliseconds. Default 3600000 (1 h). */
  passwordResetTokenLifetime: number;
}

export type FrameworkName = "express" | "custom";

export interface TypeInput {
  framework?: FrameworkName;
  appInfo: AppInfo;
  recipeList: RecipeListFunction[];
  /** `sqlite:./data/portcullis.db`, `sqlite::memory:`, `postgres://…`, or a ready Kysely instance. Falls back to DATABASE_URL, then `./data/portcullis.db`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Kysely database type is accepted
  database?: string | Kysely<any>;
  /** Where Portcullis's tables go: a PostgreSQL schema (default `portcullis`) and/or a table prefix (default `portcullis_` on SQLite). */
  databaseOptions?: DatabaseOptions;
  /** Accepted and ignored so SuperTokens configurations compile unchanged: there is no separate core. */
  supertokens?: { connectionURI: string; apiKey?: string; networkInterceptor?: unknown; disableCoreCallCache?: boolean };
  core?: Partial<CoreSettings>;
  passwordHashing?: PasswordHashingOptions;
  telemetry?: boolean;
  isInServerlessEnv?: boolean;
  debug?: boolean;
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

export interface RecipeModule {
  readonly recipeId: string;
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
  readonly passwordHasher: PasswordHasher;
  /** The development outbox: used by delivery when the app configured nothing. */
  readonly outbox: { send(content: EmailContent, channel?: "email" | "sms"): Promise<void> };
  getRecipe<T extends RecipeModule>(recipeId: string): T | undefined;
  requireRecipe<T extends RecipeModule>(recipeId: string): T;
  getUser(userId: string): Promise<User | undefined>;
  /** Throws UnknownTenantError for a tenant that was never created (`public` always exists). */
  assertTenantExists(tenantId: string): Promise<void>;
  wrapRequest(request: unknown): BaseRequest;
  wrapResponse(response: unknown): BaseResponse;
}
