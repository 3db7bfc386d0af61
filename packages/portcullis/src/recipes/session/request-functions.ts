import type { RecipeUserId } from "../../core/recipe-user-id.js";
import type { UserContext } from "../../core/user-context.js";
import type { BaseRequest } from "../../http/base-request.js";
import type { BaseResponse } from "../../http/base-response.js";
import { resolveAntiCsrf } from "./config.js";
import { tryRefreshToken, unauthorised } from "./error.js";
import type { Session } from "./session-container.js";
import {
  AVAILABLE_TRANSFER_METHODS,
  clearSession,
  clearSessionFromAllTransferMethods,
  countAccessTokenCookies,
  getToken,
} from "./token-transport.js";
import type {
  RecipeInterface,
  SessionClaimValidator,
  SessionContainerInterface,
  TokenTransferMethod,
  TypeNormalisedInput,
  VerifySessionOptions,
} from "./types.js";

export interface RequestContext {
  req: BaseRequest;
  res: BaseResponse;
  config: TypeNormalisedInput;
  recipeImplementation: RecipeInterface;
  userContext: UserContext;
  getClaimValidatorsAddedByOtherRecipes: () => SessionClaimValidator[];
}

/** verifySession's algorithm: find the token (header first), check anti-CSRF, verify, validate claims. */
export async function getSessionFromRequest(
  ctx: RequestContext,
  options: VerifySessionOptions | undefined,
): Promise<SessionContainerInterface | undefined> {
  const { req, res, config, userContext } = ctx;
  if (req.getCookieValue("sIdRefreshToken") !== undefined) throw tryRefreshToken("using legacy session, please call the refresh API");
  const allowed = config.getTokenTransferMethod({ req, forCreateNewSession: false, userContext });
  let accessToken: string | undefined;
  let transferMethod: TokenTransferMethod | undefined;
  for (const method of ["header", "cookie"] as const) {
    if (allowed !== "any" && allowed !== method) continue;
    const token = getToken(config, req, "access", method, userContext);
    if (token !== undefined) {
      if (method === "cookie" && countAccessTokenCookies(config, req, userContext) > 1) {
        throw tryRefreshToken("multiple access tokens present in the request");
      }
      accessToken = token;
      transferMethod = method;
      break;
    }
  }
  let doAntiCsrfCheck = options?.antiCsrfCheck ?? req.getMethod() !== "get";
  if (transferMethod === "header" || accessToken === undefined) doAntiCsrfCheck = false;
  const antiCsrf = resolveAntiCsrf(config, req, userContext);
  if (doAntiCsrfCheck && antiCsrf === "VIA_CUSTOM_HEADER" && req.getHeaderValue("rid") === undefined) {
    throw tryRefreshToken("anti-csrf check failed. Please pass 'rid: \"session\"' header in the request, or set doAntiCsrfCheck to false for this API");
  }
  const session = (await ctx.recipeImplementation.getSession({
    accessToken,
    antiCsrfToken: req.getHeaderValue("anti-csrf"),
    options: { ...options, antiCsrfCheck: doAntiCsrfCheck && antiCsrf === "VIA_TOKEN" },
    userContext,
  })) as Session | undefined;
  if (session === undefined) return undefined;
  await session.attachToRequestResponse({ req, res, transferMethod: transferMethod ?? "header" }, userContext);
  await assertSessionClaims(ctx.recipeImplementation, ctx.getClaimValidatorsAddedByOtherRecipes(), session, options, userContext);
  return session;
}

/** The global validators (overridable per call) checked against a verified session; throws INVALID_CLAIMS. */
export async function assertSessionClaims(
  recipeImplementation: RecipeInterface,
  claimValidatorsAddedByOtherRecipes: SessionClaimValidator[],
  session: SessionContainerInterface,
  options: VerifySessionOptions | undefined,
  userContext: UserContext,
): Promise<void> {
  const globalValidators = await recipeImplementation.getGlobalClaimValidators({
    tenantId: session.getTenantId(),
    userId: session.getUserId(),
    recipeUserId: session.getRecipeUserId(),
    claimValidatorsAddedByOtherRecipes,
    userContext,
  });
  const validators =
    options?.overrideGlobalClaimValidators !== undefined
      ? await options.overrideGlobalClaimValidators(globalValidators, session, userContext)
      : globalValidators;
  await session.assertClaims(validators, userContext);
}

export async function refreshSessionInRequest(ctx: RequestContext): Promise<SessionContainerInterface> {
  const { req, res, config, userContext } = ctx;
  const allowed = config.getTokenTransferMethod({ req, forCreateNewSession: false, userContext });
  let refreshToken: string | undefined;
  let transferMethod: TokenTransferMethod | undefined;
  for (const method of ["header", "cookie"] as const) {
    if (allowed !== "any" && allowed !== method) continue;
    const token = getToken(config, req, "refresh", method, userContext);
    if (token !== undefined) {
      refreshToken = token;
      transferMethod = method;
      break;
    }
  }
  if (refreshToken === undefined || transferMethod === undefined) {
    throw unauthorised("Refresh token not found. Are you sending the refresh token in the request?");
  }
  const antiCsrf = resolveAntiCsrf(config, req, userContext);
  let disableAntiCsrf = transferMethod === "header";
  if (antiCsrf === "VIA_CUSTOM_HEADER" && !disableAntiCsrf) {
    if (req.getHeaderValue("rid") === undefined) throw unauthorised("anti-csrf check failed. Please pass 'rid: \"session\"' header in the request.");
    disableAntiCsrf = true;
  }
  const session = await ctx.recipeImplementation.refreshSession({
    refreshToken,
    antiCsrfToken: req.getHeaderValue("anti-csrf"),
    disableAntiCsrf,
    userContext,
  });
  clearOtherTransferMethods(ctx, transferMethod);
  await session.attachToRequestResponse({ req, res, transferMethod }, userContext);
  return session;
}

export async function createNewSessionInRequest(
  ctx: RequestContext,
  input: {
    tenantId: string;
    userId: string;
    recipeUserId: RecipeUserId;
    accessTokenPayload: Record<string, unknown>;
    sessionDataInDatabase: Record<string, unknown>;
    isCookieSessionAllowed: (sameSite: "strict" | "lax" | "none") => boolean;
  },
): Promise<SessionContainerInterface> {
  const { req, res, config, userContext } = ctx;
  let transferMethod = config.getTokenTransferMethod({ req, forCreateNewSession: true, userContext });
  if (transferMethod === "any") transferMethod = "header";
  if (transferMethod === "cookie" && !input.isCookieSessionAllowed(config.getCookieSameSite({ request: req, userContext }))) {
    throw new Error(
      "Since your API and website domain are different, for sessions to work, please use https on your apiDomain and dont set cookieSecure to false.",
    );
  }
  const session = await ctx.recipeImplementation.createNewSession({
    userId: input.userId,
    recipeUserId: input.recipeUserId,
    accessTokenPayload: input.accessTokenPayload,
    sessionDataInDatabase: input.sessionDataInDatabase,
    disableAntiCsrf: transferMethod === "header",
    tenantId: input.tenantId,
    userContext,
  });
  clearOtherTransferMethods(ctx, transferMethod);
  await session.attachToRequestResponse({ req, res, transferMethod }, userContext);
  return session;
}

/** Tokens the request carried in the other mode are cleared, so the client never holds two sessions. */
function clearOtherTransferMethods(ctx: RequestContext, used: TokenTransferMethod): void {
  for (const method of AVAILABLE_TRANSFER_METHODS) {
    if (method === used) continue;
    const carried =
      getToken(ctx.config, ctx.req, "access", method, ctx.userContext) !== undefined ||
      getToken(ctx.config, ctx.req, "refresh", method, ctx.userContext) !== undefined;
    if (carried) clearSession(ctx.config, ctx.req, ctx.res, method, ctx.userContext);
  }
}

export { clearSessionFromAllTransferMethods };
