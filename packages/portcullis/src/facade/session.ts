import type { JSONObject } from "../core/json.js";
import type { RecipeUserId } from "../core/recipe-user-id.js";
import { makeRequestUserContext, makeUserContext } from "../core/user-context.js";
import SessionError from "../recipes/session/error.js";
import { assertSessionClaims } from "../recipes/session/request-functions.js";
import { initSession, SESSION_RECIPE_ID, type SessionRecipe } from "../recipes/session/session-recipe.js";
import type { SessionClaim } from "../recipes/session/claims/session-claim.js";
import type {
  ClaimValidationError,
  SessionClaimValidator,
  SessionContainerInterface,
  SessionInformation,
  VerifySessionOptions,
} from "../recipes/session/types.js";
import { getDefaultInstance } from "./default-instance.js";
import { toBaseRequest, toBaseResponse } from "./wrap-native.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- these signatures mirror the SDK's public types */

const instance = () => getDefaultInstance();
const recipe = (): SessionRecipe => instance().engine.requireRecipe<SessionRecipe>(SESSION_RECIPE_ID);
const implementation = () => recipe().recipeInterfaceImpl;

export default class SessionWrapper {
  static init = initSession;
  static Error = SessionError;

  static async createNewSession(
    req: any,
    res: any,
    tenantId: string,
    recipeUserId: RecipeUserId,
    accessTokenPayload: any = {},
    sessionDataInDatabase: any = {},
    userContext?: Record<string, any>,
  ): Promise<SessionContainerInterface> {
    const request = toBaseRequest(req);
    return recipe().createNewSession(
      request,
      toBaseResponse(res),
      tenantId,
      recipeUserId,
      accessTokenPayload,
      sessionDataInDatabase,
      makeRequestUserContext(request, userContext, instance().engine.clock),
    );
  }

  static async createNewSessionWithoutRequestResponse(
    tenantId: string,
    recipeUserId: RecipeUserId,
    accessTokenPayload: any = {},
    sessionDataInDatabase: any = {},
    disableAntiCsrf = false,
    userContext?: Record<string, any>,
  ): Promise<SessionContainerInterface> {
    const context = makeUserContext(userContext, instance().engine.clock);
    const userId = recipe().primaryUserIdOf(recipeUserId);
    return implementation().createNewSession({
      userId,
      recipeUserId,
      accessTokenPayload: await recipe().buildInitialPayload(userId, recipeUserId, tenantId, accessTokenPayload, context),
      sessionDataInDatabase,
      disableAntiCsrf,
      tenantId,
      userContext: context,
    });
  }

  static getSession(req: any, res: any): Promise<SessionContainerInterface>;
  static getSession(req: any, res: any, options?: VerifySessionOptions & { sessionRequired?: true }, userContext?: Record<string, any>): Promise<SessionContainerInterface>;
  static getSession(
    req: any,
    res: any,
    options?: VerifySessionOptions & { sessionRequired: false },
    userContext?: Record<string, any>,
  ): Promise<SessionContainerInterface | undefined>;
  static getSession(req: any, res: any, options?: VerifySessionOptions, userContext?: Record<string, any>): Promise<SessionContainerInterface | undefined>;
  static async getSession(req: any, res: any, options?: VerifySessionOptions, userContext?: Record<string, any>): Promise<SessionContainerInterface | undefined> {
    const request = toBaseRequest(req);
    return recipe().getSession(request, toBaseResponse(res), options, makeRequestUserContext(request, userContext, instance().engine.clock));
  }

  static getSessionWithoutRequestResponse(
    accessToken: string,
    antiCsrfToken?: string,
    options?: VerifySessionOptions & { sessionRequired?: true },
    userContext?: Record<string, any>,
  ): Promise<SessionContainerInterface>;
  static getSessionWithoutRequestResponse(
    accessToken: string,
    antiCsrfToken?: string,
    options?: VerifySessionOptions & { sessionRequired: false },
    userContext?: Record<string, any>,
  ): Promise<SessionContainerInterface | undefined>;
  static getSessionWithoutRequestResponse(
    accessToken: string,
    antiCsrfToken?: string,
    options?: VerifySessionOptions,
    userContext?: Record<string, any>,
  ): Promise<SessionContainerInterface | undefined>;
  static async getSessionWithoutRequestResponse(
    accessToken: string,
    antiCsrfToken?: string,
    options?: VerifySessionOptions,
    userContext?: Record<string, any>,
  ): Promise<SessionContainerInterface | undefined> {
    const context = makeUserContext(userContext, instance().engine.clock);
    const session = recipe();
    const antiCsrf = session.config.antiCsrfFunctionOrString;
    if (antiCsrf === "VIA_CUSTOM_HEADER" && options?.antiCsrfCheck !== false) {
      throw new globalThis.Error("Since the anti-csrf mode is VIA_CUSTOM_HEADER getSessionWithoutRequestResponse can't check the CSRF protection. Please either use VIA_TOKEN or set antiCsrfCheck to false");
    }
    const container = await session.recipeInterfaceImpl.getSession({
      accessToken,
      ...(antiCsrfToken !== undefined ? { antiCsrfToken } : {}),
      options: { ...options, antiCsrfCheck: options?.antiCsrfCheck !== false && antiCsrf === "VIA_TOKEN" },
      userContext: context,
    });
    if (container === undefined) return undefined;
    await assertSessionClaims(session.recipeInterfaceImpl, session.getClaimValidatorsAddedByOtherRecipes(), container, options, context);
    return container;
  }

  static async refreshSession(req: any, res: any, userContext?: Record<string, any>): Promise<SessionContainerInterface> {
    const request = toBaseRequest(req);
    return recipe().refreshSession(request, toBaseResponse(res), makeRequestUserContext(request, userContext, instance().engine.clock));
  }

  static refreshSessionWithoutRequestResponse(
    refreshToken: string,
    disableAntiCsrf = false,
    antiCsrfToken?: string,
    userContext?: Record<string, any>,
  ): Promise<SessionContainerInterface> {
    return implementation().refreshSession({
      refreshToken,
      ...(antiCsrfToken !== undefined ? { antiCsrfToken } : {}),
      disableAntiCsrf,
      userContext: makeUserContext(userContext, instance().engine.clock),
    });
  }

  static revokeAllSessionsForUser(userId: string, revokeSessionsForLinkedAccounts = true, tenantId?: string, userContext?: Record<string, any>): Promise<string[]> {
    return implementation().revokeAllSessionsForUser({
      userId,
      revokeSessionsForLinkedAccounts,
      tenantId: tenantId ?? "public",
      revokeAcrossAllTenants: tenantId === undefined,
      userContext: makeUserContext(userContext, instance().engine.clock),
    });
  }

  static getAllSessionHandlesForUser(userId: string, fetchSessionsForAllLinkedAccounts = true, tenantId?: string, userContext?: Record<string, any>): Promise<string[]> {
    return implementation().getAllSessionHandlesForUser({
      userId,
      fetchSessionsForAllLinkedAccounts,
      tenantId: tenantId ?? "public",
      fetchAcrossAllTenants: tenantId === undefined,
      userContext: makeUserContext(userContext, instance().engine.clock),
    });
  }

  static revokeSession(sessionHandle: string, userContext?: Record<string, any>): Promise<boolean> {
    return implementation().revokeSession({ sessionHandle, userContext: makeUserContext(userContext, instance().engine.clock) });
  }

  static revokeMultipleSessions(sessionHandles: string[], userContext?: Record<string, any>): Promise<string[]> {
    return implementation().revokeMultipleSessions({ sessionHandles, userContext: makeUserContext(userContext, instance().engine.clock) });
  }

  static updateSessionDataInDatabase(sessionHandle: string, newSessionData: any, userContext?: Record<string, any>): Promise<boolean> {
    return implementation().updateSessionDataInDatabase({ sessionHandle, newSessionData, userContext: makeUserContext(userContext, instance().engine.clock) });
  }

  static mergeIntoAccessTokenPayload(sessionHandle: string, accessTokenPayloadUpdate: JSONObject, userContext?: Record<string, any>): Promise<boolean> {
    return implementation().mergeIntoAccessTokenPayload({ sessionHandle, accessTokenPayloadUpdate, userContext: makeUserContext(userContext, instance().engine.clock) });
  }

  static fetchAndSetClaim(sessionHandle: string, claim: SessionClaim<any>, userContext?: Record<string, any>): Promise<boolean> {
    return implementation().fetchAndSetClaim({ sessionHandle, claim, userContext: makeUserContext(userContext, instance().engine.clock) });
  }

  static setClaimValue<T>(sessionHandle: string, claim: SessionClaim<T>, value: T, userContext?: Record<string, any>): Promise<boolean> {
    return implementation().setClaimValue({ sessionHandle, claim, value, userContext: makeUserContext(userContext, instance().engine.clock) });
  }

  static getClaimValue<T>(
    sessionHandle: string,
    claim: SessionClaim<T>,
    userContext?: Record<string, any>,
  ): Promise<{ status: "SESSION_DOES_NOT_EXIST_ERROR" } | { status: "OK"; value: T | undefined }> {
    return implementation().getClaimValue({ sessionHandle, claim, userContext: makeUserContext(userContext, instance().engine.clock) });
  }

  static removeClaim(sessionHandle: string, claim: SessionClaim<any>, userContext?: Record<string, any>): Promise<boolean> {
    return implementation().removeClaim({ sessionHandle, claim, userContext: makeUserContext(userContext, instance().engine.clock) });
  }

  static async validateClaimsForSessionHandle(
    sessionHandle: string,
    overrideGlobalClaimValidators?: (
      globalClaimValidators: SessionClaimValidator[],
      sessionInfo: SessionInformation,
      userContext: Record<string, any>,
    ) => Promise<SessionClaimValidator[]> | SessionClaimValidator[],
    userContext?: Record<string, any>,
  ): Promise<{ status: "SESSION_DOES_NOT_EXIST_ERROR" } | { status: "OK"; invalidClaims: ClaimValidationError[] }> {
    const context = makeUserContext(userContext, instance().engine.clock);
    const impl = implementation();
    const info = await impl.getSessionInformation({ sessionHandle, userContext: context });
    if (info === undefined) return { status: "SESSION_DOES_NOT_EXIST_ERROR" };
    const global = await impl.getGlobalClaimValidators({
      tenantId: info.tenantId,
      userId: info.userId,
      recipeUserId: info.recipeUserId,
      claimValidatorsAddedByOtherRecipes: recipe().getClaimValidatorsAddedByOtherRecipes(),
      userContext: context,
    });
    const validators = overrideGlobalClaimValidators !== undefined ? await overrideGlobalClaimValidators(global, info, context) : global;
    const result = await impl.validateClaims({
      userId: info.userId,
      recipeUserId: info.recipeUserId,
      accessTokenPayload: info.customClaimsInAccessTokenPayload,
      claimValidators: validators,
      userContext: context,
    });
    if (result.accessTokenPayloadUpdate !== undefined) {
      const stored = await impl.mergeIntoAccessTokenPayload({ sessionHandle, accessTokenPayloadUpdate: result.accessTokenPayloadUpdate, userContext: context });
      if (!stored) return { status: "SESSION_DOES_NOT_EXIST_ERROR" };
    }
    return { status: "OK", invalidClaims: result.invalidClaims };
  }

  static getSessionInformation(sessionHandle: string, userContext?: Record<string, any>): Promise<SessionInformation | undefined> {
    return implementation().getSessionInformation({ sessionHandle, userContext: makeUserContext(userContext, instance().engine.clock) });
  }

  static async getJWKS(_userContext?: Record<string, any>): Promise<{ keys: { kty: string; kid: string; n: string; e: string; alg: string; use: string }[]; validityInSeconds?: number }> {
    return { keys: await recipe().keys.getJWKS(), validityInSeconds: 60 };
  }
}

export const init = SessionWrapper.init;
export const Error = SessionWrapper.Error;
export const createNewSession = SessionWrapper.createNewSession;
export const createNewSessionWithoutRequestResponse = SessionWrapper.createNewSessionWithoutRequestResponse;
export const getSession = SessionWrapper.getSession;
export const getSessionWithoutRequestResponse = SessionWrapper.getSessionWithoutRequestResponse;
export const refreshSession = SessionWrapper.refreshSession;
export const refreshSessionWithoutRequestResponse = SessionWrapper.refreshSessionWithoutRequestResponse;
export const revokeAllSessionsForUser = SessionWrapper.revokeAllSessionsForUser;
export const getAllSessionHandlesForUser = SessionWrapper.getAllSessionHandlesForUser;
export const revokeSession = SessionWrapper.revokeSession;
export const revokeMultipleSessions = SessionWrapper.revokeMultipleSessions;
export const updateSessionDataInDatabase = SessionWrapper.updateSessionDataInDatabase;
export const mergeIntoAccessTokenPayload = SessionWrapper.mergeIntoAccessTokenPayload;
export const fetchAndSetClaim = SessionWrapper.fetchAndSetClaim;
export const setClaimValue = SessionWrapper.setClaimValue;
export const getClaimValue = SessionWrapper.getClaimValue;
export const removeClaim = SessionWrapper.removeClaim;
export const validateClaimsForSessionHandle = SessionWrapper.validateClaimsForSessionHandle;
export const getSessionInformation = SessionWrapper.getSessionInformation;
export const getJWKS = SessionWrapper.getJWKS;

export type SessionContainer = SessionContainerInterface;
export type {
  VerifySessionOptions,
  RecipeInterface,
  APIInterface,
  APIOptions,
  SessionInformation,
  SessionClaimValidator,
  ClaimValidationError,
  TypeInput,
  SessionRequest,
} from "../recipes/session/types.js";
export type { SessionClaim };
