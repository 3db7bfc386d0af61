import { PortcullisError, UnknownTenantError } from "../../core/errors.js";
import { applyOverride } from "../../core/override.js";
import type { RecipeUserId } from "../../core/recipe-user-id.js";
import type { JSONObject } from "../../core/json.js";
import { makeRequestUserContext, type UserContext } from "../../core/user-context.js";
import type { BaseRequest } from "../../http/base-request.js";
import type { BaseResponse } from "../../http/base-response.js";
import { hostnameOf, isLocalHost } from "../../engine/app-info.js";
import type { Engine, RecipeModule, RouteDefinition, SessionVerifier } from "../../engine/types.js";
import { createSessionAPIImplementation } from "./api-implementation.js";
import type { SessionClaim } from "./claims/session-claim.js";
import { normaliseSessionConfig } from "./config.js";
import SessionError, { unauthorised } from "./error.js";
import { createSessionRecipeImplementation } from "./recipe-implementation.js";
import {
  clearSessionFromAllTransferMethods,
  createNewSessionInRequest,
  getSessionFromRequest,
  refreshSessionInRequest,
  type RequestContext,
} from "./request-functions.js";
import { SessionService } from "./session-service.js";
import { SigningKeyStore } from "./signing-keys.js";
import type {
  APIInterface,
  APIOptions,
  RecipeInterface,
  SessionClaimValidator,
  SessionContainerInterface,
  TypeInput,
  TypeNormalisedInput,
  VerifySessionOptions,
} from "./types.js";

export const SESSION_RECIPE_ID = "session";

export class SessionRecipe implements RecipeModule {
  readonly recipeId = SESSION_RECIPE_ID;
  readonly config: TypeNormalisedInput;
  readonly recipeInterfaceImpl: RecipeInterface;
  readonly apiImpl: APIInterface;
  readonly keys: SigningKeyStore;
  private readonly claimsAddedByOtherRecipes: SessionClaim<unknown>[] = [];
  private readonly apiIsLocal: boolean;
  private readonly claimValidatorsAddedByOtherRecipes: SessionClaimValidator[] = [];
  /** What every bridge's verifySession runs. */
  readonly sessionVerifier: SessionVerifier = {
    verifySession: (options, req, res, userContext) => this.verifySession(options as VerifySessionOptions | undefined, req, res, userContext),
  };

  constructor(
    readonly engine: Engine,
    input: TypeInput | undefined,
  ) {
    this.config = normaliseSessionConfig(engine.appInfo, input);
    this.apiIsLocal = isLocalHost(hostnameOf(engine.appInfo.apiDomain));
    const { settings } = engine;
    this.keys = new SigningKeyStore(
      engine.storage,
      engine.clock,
      engine.random,
      settings.accessTokenSigningKeyUpdateInterval * 3600 * 1000,
      settings.accessTokenValidity * 1000,
    );
    const service = new SessionService(
      engine.storage,
      this.keys,
      engine.clock,
      engine.random,
      async (tenantId, userContext) => {
        // Also reached for a tenant deleted since: its sessions are gone, so this is the end of the session.
        const { core } = await engine.tenantSettings(tenantId, userContext).catch((error: unknown) => {
          if (error instanceof UnknownTenantError) throw unauthorised(`tenant ${tenantId} no longer exists`);
          throw error;
        });
        return { accessMs: core.accessTokenValidity * 1000, refreshMs: core.refreshTokenValidity * 60 * 1000 };
      },
      settings.sessionAbsoluteLifetime * 60 * 1000,
      engine.log,
    );
    let implementation: RecipeInterface | undefined;
    this.recipeInterfaceImpl = implementation = applyOverride(
      createSessionRecipeImplementation({
        service,
        storage: engine.storage,
        clock: engine.clock,
        config: this.config,
        issuer: `${engine.appInfo.apiDomain}${engine.appInfo.apiGatewayPath}${engine.appInfo.apiBasePath}`,
        getImplementation: () => implementation as RecipeInterface,
        emit: (event) => engine.emit(event),
      }),
      this.config.override.functions,
    );
    this.apiImpl = applyOverride(createSessionAPIImplementation(
        () => this.claimValidatorsAddedByOtherRecipes,
        (userId) => engine.getUser(userId),
      ), this.config.override.apis);
  }

  /** Phase two: every recipe exists, so the claims they contribute are collected whatever the list order. */
  onAllRecipesBuilt(): void {
    for (const recipe of this.engine.listRecipes()) {
      const contributed = recipe.sessionClaims?.();
      for (const claim of contributed?.claims ?? []) this.addClaimFromOtherRecipe(claim as SessionClaim<unknown>);
      for (const validator of contributed?.globalValidators ?? []) this.addClaimValidatorFromOtherRecipe(validator as SessionClaimValidator);
    }
  }

  addClaimFromOtherRecipe(claim: SessionClaim<unknown>): void {
    if (this.claimsAddedByOtherRecipes.some((c) => c.key === claim.key)) throw new Error("Claim added by multiple recipes");
    this.claimsAddedByOtherRecipes.push(claim);
  }

  addClaimValidatorFromOtherRecipe(validator: SessionClaimValidator): void {
    this.claimValidatorsAddedByOtherRecipes.push(validator);
  }

  getClaimValidatorsAddedByOtherRecipes(): SessionClaimValidator[] {
    return this.claimValidatorsAddedByOtherRecipes;
  }

  apiOptions(req: BaseRequest, res: BaseResponse): APIOptions {
    return { recipeImplementation: this.recipeInterfaceImpl, config: this.config, recipeId: this.recipeId, isInServerlessEnv: false, req, res };
  }

  requestContext(req: BaseRequest, res: BaseResponse, userContext: UserContext): RequestContext {
    return {
      req,
      res,
      config: this.config,
      recipeImplementation: this.recipeInterfaceImpl,
      userContext,
      getClaimValidatorsAddedByOtherRecipes: () => this.claimValidatorsAddedByOtherRecipes,
    };
  }

  /** Session creation after a successful sign-in/up: adds the claims other recipes registered. */
  async createNewSession(
    req: BaseRequest,
    res: BaseResponse,
    tenantId: string,
    recipeUserId: RecipeUserId,
    accessTokenPayload: Record<string, unknown> = {},
    sessionDataInDatabase: Record<string, unknown> = {},
    userContextInput?: UserContext,
  ): Promise<SessionContainerInterface> {
    const userContext = makeRequestUserContext(req, userContextInput, this.engine.clock);
    const userId = this.primaryUserIdOf(recipeUserId);
    const payload = await this.buildInitialPayload(userId, recipeUserId, tenantId, accessTokenPayload, userContext);
    return createNewSessionInRequest(this.requestContext(req, res, userContext), {
      tenantId,
      userId,
      recipeUserId,
      accessTokenPayload: payload,
      sessionDataInDatabase,
      isCookieSessionAllowed: (sameSite) =>
        sameSite !== "none" ||
        this.config.cookieSecure ||
        (this.apiIsLocal && isLocalHost(hostnameOf(this.engine.appInfo.getOrigin({ request: req, userContext })))),
    });
  }

  /**
   * The session's `sub`. Without account linking every recipe user is its own primary user, so no
   * database read is needed on the sign-in path; linking would look the primary id up here.
   */
  primaryUserIdOf(recipeUserId: RecipeUserId): string {
    return recipeUserId.getAsString();
  }

  /** The app's payload plus the claims other recipes put in every new session (st-ev, st-role…). */
  async buildInitialPayload(
    userId: string,
    recipeUserId: RecipeUserId,
    tenantId: string,
    accessTokenPayload: Record<string, unknown>,
    userContext: UserContext,
  ): Promise<JSONObject> {
    let payload: JSONObject = { ...(accessTokenPayload as JSONObject) };
    for (const claim of this.claimsAddedByOtherRecipes) {
      payload = { ...payload, ...(await claim.build(userId, recipeUserId, tenantId, payload, userContext)) };
    }
    return payload;
  }

  async getSession(req: BaseRequest, res: BaseResponse, options: VerifySessionOptions | undefined, userContext: UserContext) {
    return getSessionFromRequest(this.requestContext(req, res, userContext), options);
  }

  async refreshSession(req: BaseRequest, res: BaseResponse, userContext: UserContext) {
    return refreshSessionInRequest(this.requestContext(req, res, userContext));
  }

  /** What every framework's verifySession middleware runs. */
  async verifySession(options: VerifySessionOptions | undefined, req: BaseRequest, res: BaseResponse, userContext: UserContext) {
    return this.apiImpl.verifySession({ verifySessionOptions: options, options: this.apiOptions(req, res), userContext });
  }

  getRoutes(): RouteDefinition[] {
    const basePath = this.engine.appInfo.apiBasePath;
    return [
      {
        method: "post",
        path: "/session/refresh",
        tenantScoped: false,
        disabled: this.apiImpl.refreshPOST === undefined,
        handle: async ({ req, res, userContext }) => {
          await this.apiImpl.refreshPOST?.({ options: this.apiOptions(req, res), userContext });
          res.sendJSONResponse({});
        },
      },
      {
        method: "post",
        path: "/signout",
        tenantScoped: false,
        disabled: this.apiImpl.signOutPOST === undefined,
        handle: async ({ req, res, userContext }) => {
          const session = await this.apiImpl.verifySession({
            verifySessionOptions: { sessionRequired: true, overrideGlobalClaimValidators: () => [] },
            options: this.apiOptions(req, res),
            userContext,
          });
          if (session === undefined) throw new Error("Session is undefined. Should never come here.");
          const result = await this.apiImpl.signOutPOST?.({ options: this.apiOptions(req, res), session, userContext });
          res.sendJSONResponse(result);
        },
      },
      {
        method: "get",
        path: "/session/user",
        tenantScoped: false,
        disabled: this.apiImpl.userGET === undefined,
        handle: async ({ req, res, userContext }) => {
          // Claims skipped, as for signout: a user who must still verify their email needs to see who they are.
          // checkDatabase: a signed-out or revoked session stops here at once, not when its access token expires.
          const session = await this.apiImpl.verifySession({
            verifySessionOptions: { sessionRequired: true, checkDatabase: true, overrideGlobalClaimValidators: () => [] },
            options: this.apiOptions(req, res),
            userContext,
          });
          if (session === undefined) throw new Error("Session is undefined. Should never come here.");
          const result = await this.apiImpl.userGET?.({ options: this.apiOptions(req, res), session, userContext });
          if (result === undefined) throw new Error("userGET is undefined. Should never come here.");
          res.sendJSONResponse(result.status === "OK" ? { status: "OK", user: result.user.toJson() } : result);
        },
      },
      {
        method: "get",
        path: "/jwt/jwks.json",
        tenantScoped: false,
        disabled: false,
        handle: async ({ res }) => {
          const keys = await this.keys.getJWKS();
          res.setHeader("Cache-Control", "max-age=60, must-revalidate", false);
          res.setHeader("Access-Control-Allow-Origin", "*", false);
          res.sendJSONResponse({ keys });
        },
      },
      {
        method: "get",
        path: "/.well-known/openid-configuration",
        tenantScoped: false,
        disabled: false,
        handle: async ({ res }) => {
          const issuer = `${this.engine.appInfo.apiDomain}${this.engine.appInfo.apiGatewayPath}${basePath}`;
          res.sendJSONResponse({ issuer, jwks_uri: `${issuer}/jwt/jwks.json`, status: "OK" });
        },
      },
    ];
  }

  async handleError(error: PortcullisError, req: BaseRequest, res: BaseResponse, userContext: UserContext): Promise<boolean> {
    if (error.fromRecipe !== SESSION_RECIPE_ID) return false;
    const handlers = this.config.errorHandlers;
    switch (error.type) {
      case SessionError.UNAUTHORISED: {
        const payload = error.payload as { clearTokens?: boolean } | undefined;
        if (payload?.clearTokens !== false) clearSessionFromAllTransferMethods(this.config, req, res, userContext);
        await handlers.onUnauthorised(error.message, req, res, userContext);
        return true;
      }
      case SessionError.TRY_REFRESH_TOKEN:
        await handlers.onTryRefreshToken(error.message, req, res, userContext);
        return true;
      case SessionError.TOKEN_THEFT_DETECTED: {
        const payload = error.payload as { sessionHandle: string; userId: string; recipeUserId: RecipeUserId };
        this.engine.emit({ type: "session.refresh-token-reuse", sessionHandle: payload.sessionHandle, userId: payload.userId });
        this.engine.log.warn(`Refresh-token reuse: session ${payload.sessionHandle} of user ${payload.userId} revoked (possible token theft)`);
        await this.recipeInterfaceImpl.revokeSession({ sessionHandle: payload.sessionHandle, userContext });
        clearSessionFromAllTransferMethods(this.config, req, res, userContext);
        await handlers.onTokenTheftDetected(payload.sessionHandle, payload.userId, payload.recipeUserId, req, res, userContext);
        return true;
      }
      case SessionError.INVALID_CLAIMS:
        await handlers.onInvalidClaim(error.payload as never, req, res, userContext);
        return true;
      case SessionError.CLEAR_DUPLICATE_SESSION_COOKIES:
        await handlers.onClearDuplicateSessionCookies(error.message, req, res, userContext);
        return true;
      default:
        return false;
    }
  }

  getAllCORSHeaders(): string[] {
    return ["anti-csrf", "rid", "authorization", "st-auth-mode"];
  }
}

/** `Session.init(config)`: a recipe factory for `recipeList`. */
export function initSession(config?: TypeInput): (engine: Engine) => SessionRecipe {
  return (engine) => new SessionRecipe(engine, config);
}
