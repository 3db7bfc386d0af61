import type { JSONObject, JSONValue } from "../../core/json.js";
import type { OverrideableBuilder } from "../../core/override.js";
import type { RecipeUserId } from "../../core/recipe-user-id.js";
import type { UserContext } from "../../core/user-context.js";
import type { BaseRequest } from "../../http/base-request.js";
import type { BaseResponse } from "../../http/base-response.js";
import type { GeneralErrorResponse } from "../../core/general-error.js";
import type { User } from "../../core/user.js";
import type { SessionClaim } from "./claims/session-claim.js";

export type AntiCsrfType = "VIA_TOKEN" | "VIA_CUSTOM_HEADER" | "NONE";
export type TokenType = "access" | "refresh";
export type TokenTransferMethod = "header" | "cookie";

export interface TokenInfo {
  token: string;
  expiry: number;
  createdTime: number;
}

export interface ErrorHandlerMiddleware {
  (message: string, request: BaseRequest, response: BaseResponse, userContext: UserContext): Promise<void>;
}
export interface TokenTheftErrorHandlerMiddleware {
  (
    sessionHandle: string,
    userId: string,
    recipeUserId: RecipeUserId,
    request: BaseRequest,
    response: BaseResponse,
    userContext: UserContext,
  ): Promise<void>;
}
export interface InvalidClaimErrorHandlerMiddleware {
  (validatorErrors: ClaimValidationError[], request: BaseRequest, response: BaseResponse, userContext: UserContext): Promise<void>;
}
export interface ErrorHandlers {
  onUnauthorised?: ErrorHandlerMiddleware;
  onTryRefreshToken?: ErrorHandlerMiddleware;
  onTokenTheftDetected?: TokenTheftErrorHandlerMiddleware;
  onInvalidClaim?: InvalidClaimErrorHandlerMiddleware;
  onClearDuplicateSessionCookies?: ErrorHandlerMiddleware;
}
export interface NormalisedErrorHandlers {
  onUnauthorised: ErrorHandlerMiddleware;
  onTryRefreshToken: ErrorHandlerMiddleware;
  onTokenTheftDetected: TokenTheftErrorHandlerMiddleware;
  onInvalidClaim: InvalidClaimErrorHandlerMiddleware;
  onClearDuplicateSessionCookies: ErrorHandlerMiddleware;
}

export type TypeInput = {
  useDynamicAccessTokenSigningKey?: boolean;
  sessionExpiredStatusCode?: number;
  invalidClaimStatusCode?: number;
  accessTokenPath?: string | undefined;
  cookieSecure?: boolean | undefined;
  cookieSameSite?: "strict" | "lax" | "none" | undefined;
  cookieDomain?: string | undefined;
  olderCookieDomain?: string | undefined;
  getTokenTransferMethod?: (input: {
    req: BaseRequest;
    forCreateNewSession: boolean;
    userContext: UserContext;
  }) => TokenTransferMethod | "any";
  getCookieNameForTokenType?: (req: BaseRequest, tokenType: TokenType, userContext: UserContext) => string;
  getResponseHeaderNameForTokenType?: (req: BaseRequest, tokenType: TokenType, userContext: UserContext) => string;
  errorHandlers?: ErrorHandlers;
  antiCsrf?: "VIA_TOKEN" | "VIA_CUSTOM_HEADER" | "NONE";
  exposeAccessTokenToFrontendInCookieBasedAuth?: boolean;
  jwksRefreshIntervalSec?: number;
  override?: {
    functions?: (originalImplementation: RecipeInterface, builder: OverrideableBuilder<RecipeInterface>) => RecipeInterface;
    apis?: (originalImplementation: APIInterface, builder: OverrideableBuilder<APIInterface>) => APIInterface;
  };
};

export type TypeNormalisedInput = {
  /** Whether a Bearer value has our access-token structure; remembered per instance (see token-transport). */
  hasAccessTokenShape(token: string): boolean;
  useDynamicAccessTokenSigningKey: boolean;
  refreshTokenPath: string;
  accessTokenPath: string;
  cookieDomain: string | undefined;
  olderCookieDomain: string | undefined;
  getCookieSameSite: (input: { request: BaseRequest | undefined; userContext: UserContext }) => "strict" | "lax" | "none";
  cookieSecure: boolean;
  getCookieNameForTokenType: (req: BaseRequest, tokenType: TokenType, userContext: UserContext) => string;
  getResponseHeaderNameForTokenType: (req: BaseRequest, tokenType: TokenType, userContext: UserContext) => string;
  sessionExpiredStatusCode: number;
  errorHandlers: NormalisedErrorHandlers;
  antiCsrfFunctionOrString:
    | "VIA_TOKEN"
    | "VIA_CUSTOM_HEADER"
    | "NONE"
    | ((input: { request: BaseRequest | undefined; userContext: UserContext }) => "VIA_CUSTOM_HEADER" | "NONE");
  getTokenTransferMethod: (input: {
    req: BaseRequest;
    forCreateNewSession: boolean;
    userContext: UserContext;
  }) => TokenTransferMethod | "any";
  invalidClaimStatusCode: number;
  exposeAccessTokenToFrontendInCookieBasedAuth: boolean;
  jwksRefreshIntervalSec: number;
  override: {
    functions: (originalImplementation: RecipeInterface, builder: OverrideableBuilder<RecipeInterface>) => RecipeInterface;
    apis: (originalImplementation: APIInterface, builder: OverrideableBuilder<APIInterface>) => APIInterface;
  };
};

export interface SessionRequest extends BaseRequest {
  session?: SessionContainerInterface;
}

export interface VerifySessionOptions {
  antiCsrfCheck?: boolean;
  sessionRequired?: boolean;
  checkDatabase?: boolean;
  overrideGlobalClaimValidators?: (
    globalClaimValidators: SessionClaimValidator[],
    session: SessionContainerInterface,
    userContext: UserContext,
  ) => Promise<SessionClaimValidator[]> | SessionClaimValidator[];
}

export type RecipeInterface = {
  createNewSession(input: {
    userId: string;
    recipeUserId: RecipeUserId;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK
    accessTokenPayload?: any;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK
    sessionDataInDatabase?: any;
    disableAntiCsrf?: boolean;
    tenantId: string;
    userContext: UserContext;
  }): Promise<SessionContainerInterface>;
  getGlobalClaimValidators(input: {
    tenantId: string;
    userId: string;
    recipeUserId: RecipeUserId;
    claimValidatorsAddedByOtherRecipes: SessionClaimValidator[];
    userContext: UserContext;
  }): Promise<SessionClaimValidator[]> | SessionClaimValidator[];
  getSession(input: {
    accessToken: string | undefined;
    antiCsrfToken?: string;
    options?: VerifySessionOptions;
    userContext: UserContext;
  }): Promise<SessionContainerInterface | undefined>;
  refreshSession(input: {
    refreshToken: string;
    antiCsrfToken?: string;
    disableAntiCsrf: boolean;
    userContext: UserContext;
  }): Promise<SessionContainerInterface>;
  getSessionInformation(input: { sessionHandle: string; userContext: UserContext }): Promise<SessionInformation | undefined>;
  revokeAllSessionsForUser(input: {
    userId: string;
    revokeSessionsForLinkedAccounts: boolean;
    tenantId: string;
    revokeAcrossAllTenants?: boolean;
    userContext: UserContext;
  }): Promise<string[]>;
  getAllSessionHandlesForUser(input: {
    userId: string;
    fetchSessionsForAllLinkedAccounts: boolean;
    tenantId: string;
    fetchAcrossAllTenants?: boolean;
    userContext: UserContext;
  }): Promise<string[]>;
  revokeSession(input: { sessionHandle: string; userContext: UserContext }): Promise<boolean>;
  revokeMultipleSessions(input: { sessionHandles: string[]; userContext: UserContext }): Promise<string[]>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK
  updateSessionDataInDatabase(input: { sessionHandle: string; newSessionData: any; userContext: UserContext }): Promise<boolean>;
  mergeIntoAccessTokenPayload(input: {
    sessionHandle: string;
    accessTokenPayloadUpdate: JSONObject;
    userContext: UserContext;
  }): Promise<boolean>;
  regenerateAccessToken(input: {
    accessToken: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK
    newAccessTokenPayload?: any;
    userContext: UserContext;
  }): Promise<
    | {
        status: "OK";
        session: {
          handle: string;
          userId: string;
          recipeUserId: RecipeUserId;
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK
          userDataInJWT: any;
          tenantId: string;
        };
        accessToken?: { token: string; expiry: number; createdTime: number };
      }
    | undefined
  >;
  validateClaims(input: {
    userId: string;
    recipeUserId: RecipeUserId;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK
    accessTokenPayload: any;
    claimValidators: SessionClaimValidator[];
    userContext: UserContext;
  }): Promise<{
    invalidClaims: ClaimValidationError[];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK
    accessTokenPayloadUpdate?: any;
  }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK
  fetchAndSetClaim(input: { sessionHandle: string; claim: SessionClaim<any>; userContext: UserContext }): Promise<boolean>;
  setClaimValue<T>(input: { sessionHandle: string; claim: SessionClaim<T>; value: T; userContext: UserContext }): Promise<boolean>;
  getClaimValue<T>(input: {
    sessionHandle: string;
    claim: SessionClaim<T>;
    userContext: UserContext;
  }): Promise<{ status: "SESSION_DOES_NOT_EXIST_ERROR" } | { status: "OK"; value: T | undefined }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK
  removeClaim(input: { sessionHandle: string; claim: SessionClaim<any>; userContext: UserContext }): Promise<boolean>;
};

/* eslint-disable @typescript-eslint/no-explicit-any -- the SessionContainer interface mirrors the SDK's public types */
export interface SessionContainerInterface {
  revokeSession(userContext?: Record<string, any>): Promise<void>;
  getSessionDataFromDatabase(userContext?: Record<string, any>): Promise<any>;
  updateSessionDataInDatabase(newSessionData: any, userContext?: Record<string, any>): Promise<any>;
  getUserId(userContext?: Record<string, any>): string;
  getRecipeUserId(userContext?: Record<string, any>): RecipeUserId;
  getTenantId(userContext?: Record<string, any>): string;
  getAccessTokenPayload(userContext?: Record<string, any>): any;
  getHandle(userContext?: Record<string, any>): string;
  getAllSessionTokensDangerously(): {
    accessToken: string;
    refreshToken: string | undefined;
    antiCsrfToken: string | undefined;
    frontToken: string;
    accessAndFrontTokenUpdated: boolean;
  };
  getAccessToken(userContext?: Record<string, any>): string;
  mergeIntoAccessTokenPayload(accessTokenPayloadUpdate: JSONObject, userContext?: Record<string, any>): Promise<void>;
  getTimeCreated(userContext?: Record<string, any>): Promise<number>;
  getExpiry(userContext?: Record<string, any>): Promise<number>;
  assertClaims(claimValidators: SessionClaimValidator[], userContext?: Record<string, any>): Promise<void>;
  fetchAndSetClaim<T>(claim: SessionClaim<T>, userContext?: Record<string, any>): Promise<void>;
  setClaimValue<T>(claim: SessionClaim<T>, value: T, userContext?: Record<string, any>): Promise<void>;
  getClaimValue<T>(claim: SessionClaim<T>, userContext?: Record<string, any>): Promise<T | undefined>;
  removeClaim(claim: SessionClaim<any>, userContext?: Record<string, any>): Promise<void>;
  attachToRequestResponse(reqResInfo: ReqResInfo, userContext?: Record<string, any>): Promise<void> | void;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export type APIOptions = {
  recipeImplementation: RecipeInterface;
  config: TypeNormalisedInput;
  recipeId: string;
  isInServerlessEnv: boolean;
  req: BaseRequest;
  res: BaseResponse;
};

export type APIInterface = {
  refreshPOST: undefined | ((input: { options: APIOptions; userContext: UserContext }) => Promise<SessionContainerInterface>);
  signOutPOST:
    | undefined
    | ((input: {
        options: APIOptions;
        session: SessionContainerInterface;
        userContext: UserContext;
      }) => Promise<{ status: "OK" } | GeneralErrorResponse>);
  verifySession(input: {
    verifySessionOptions: VerifySessionOptions | undefined;
    options: APIOptions;
    userContext: UserContext;
  }): Promise<SessionContainerInterface | undefined>;
  /**
   * GET /session/user (not in the SDK; the portcullis-web client reads the signed-in user with it).
   * Optional so overrides written against the SDK's APIInterface still type-check; undefined disables the route.
   */
  userGET?:
    | undefined
    | ((input: {
        options: APIOptions;
        session: SessionContainerInterface;
        userContext: UserContext;
      }) => Promise<{ status: "OK"; user: User } | GeneralErrorResponse>);
};

export type SessionInformation = {
  sessionHandle: string;
  userId: string;
  recipeUserId: RecipeUserId;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK
  sessionDataInDatabase: any;
  expiry: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK
  customClaimsInAccessTokenPayload: any;
  timeCreated: number;
  tenantId: string;
};

export type ClaimValidationResult = { isValid: true } | { isValid: false; reason?: JSONValue };
export type ClaimValidationError = { id: string; reason?: JSONValue };

export type SessionClaimValidator = (
  | {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK
      claim: SessionClaim<any>;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK
      shouldRefetch: (payload: any, userContext: UserContext) => Promise<boolean> | boolean;
    }
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- mirrors the SDK: either both fields or neither
  | {}
) & {
  id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK
  validate: (payload: any, userContext: UserContext) => Promise<ClaimValidationResult>;
};

export type ReqResInfo = {
  res: BaseResponse;
  req: BaseRequest;
  transferMethod: TokenTransferMethod;
};
