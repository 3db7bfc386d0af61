import { siteOf } from "../../engine/app-info.js";
import type { NormalisedAppInfo } from "../../engine/app-info.js";
import { parseAccessToken } from "./access-token.js";
import { TokenKeyedCache } from "./token-keyed-cache.js";
import type { BaseRequest } from "../../http/base-request.js";
import type { UserContext } from "../../core/user-context.js";
import { getRequestFromUserContext } from "../../core/user-context.js";
import type { TypeInput, TypeNormalisedInput, RecipeInterface, APIInterface } from "./types.js";
import { defaultErrorHandlers } from "./error-handlers.js";

export function normaliseSessionConfig(appInfo: NormalisedAppInfo, input: TypeInput = {}): TypeNormalisedInput {
  const sessionExpiredStatusCode = input.sessionExpiredStatusCode ?? 401;
  const invalidClaimStatusCode = input.invalidClaimStatusCode ?? 403;
  if (sessionExpiredStatusCode === invalidClaimStatusCode) {
    throw new Error("sessionExpiredStatusCode and invalidClaimStatusCode must be different");
  }
  if (input.antiCsrf !== undefined && !["VIA_TOKEN", "VIA_CUSTOM_HEADER", "NONE"].includes(input.antiCsrf)) {
    throw new Error("antiCsrf config must be one of 'NONE' or 'VIA_CUSTOM_HEADER' or 'VIA_TOKEN'");
  }
  if (input.cookieSameSite !== undefined && !["strict", "lax", "none"].includes(input.cookieSameSite)) {
    throw new Error('cookie same site must be one of "strict", "lax", or "none"');
  }
  const apiSite = siteOf(appInfo.apiDomain);
  // The decision is per website origin, which is usually one constant: remember it.
  const sameSiteByOrigin = new Map<string, "lax" | "none">();
  const getCookieSameSite = (context: { request: BaseRequest | undefined; userContext: UserContext }): "strict" | "lax" | "none" => {
    if (input.cookieSameSite !== undefined) return input.cookieSameSite;
    const request = context.request ?? getRequestFromUserContext(context.userContext);
    const website = appInfo.getOrigin({ request, userContext: context.userContext });
    let sameSite = sameSiteByOrigin.get(website);
    if (sameSite === undefined) {
      sameSite = siteOf(website) === apiSite ? "lax" : "none";
      if (sameSiteByOrigin.size < 1000) sameSiteByOrigin.set(website, sameSite);
    }
    return sameSite;
  };
  const override = input.override ?? {};
  return {
    hasAccessTokenShape: createAccessTokenShapeCheck(),
    useDynamicAccessTokenSigningKey: input.useDynamicAccessTokenSigningKey ?? true,
    refreshTokenPath: `${appInfo.apiGatewayPath}${appInfo.apiBasePath}/session/refresh`,
    accessTokenPath: input.accessTokenPath ?? "/",
    cookieDomain: normaliseCookieDomain(input.cookieDomain),
    olderCookieDomain: normaliseCookieDomain(input.olderCookieDomain),
    getCookieSameSite,
    cookieSecure: input.cookieSecure ?? appInfo.apiDomain.startsWith("https"),
    getCookieNameForTokenType:
      input.getCookieNameForTokenType ?? ((_req, tokenType) => (tokenType === "access" ? "sAccessToken" : "sRefreshToken")),
    getResponseHeaderNameForTokenType:
      input.getResponseHeaderNameForTokenType ?? ((_req, tokenType) => (tokenType === "access" ? "st-access-token" : "st-refresh-token")),
    sessionExpiredStatusCode,
    invalidClaimStatusCode,
    errorHandlers: { ...defaultErrorHandlers(sessionExpiredStatusCode, invalidClaimStatusCode), ...input.errorHandlers },
    antiCsrfFunctionOrString:
      input.antiCsrf ?? ((context) => (getCookieSameSite(context) === "none" ? "VIA_CUSTOM_HEADER" : "NONE")),
    getTokenTransferMethod:
      input.getTokenTransferMethod ??
      (({ req, forCreateNewSession }) => {
        if (!forCreateNewSession) return "any";
        const mode = req.getHeaderValue("st-auth-mode");
        return mode === "cookie" || mode === "header" ? mode : "any";
      }),
    exposeAccessTokenToFrontendInCookieBasedAuth: input.exposeAccessTokenToFrontendInCookieBasedAuth ?? false,
    jwksRefreshIntervalSec: input.jwksRefreshIntervalSec ?? 14400,
    override: {
      functions: override.functions ?? ((original: RecipeInterface) => original),
      apis: override.apis ?? ((original: APIInterface) => original),
    },
  };
}

function normaliseCookieDomain(domain: string | undefined): string | undefined {
  if (domain === undefined) return undefined;
  let value = domain.trim().toLowerCase();
  if (value.startsWith("http://") || value.startsWith("https://")) value = new URL(value).hostname;
  else value = value.split("/")[0]?.split(":")[0] ?? value;
  return value;
}

export function resolveAntiCsrf(config: TypeNormalisedInput, request: BaseRequest | undefined, userContext: UserContext): "VIA_TOKEN" | "VIA_CUSTOM_HEADER" | "NONE" {
  const value = config.antiCsrfFunctionOrString;
  return typeof value === "string" ? value : value({ request, userContext });
}

/**
 * Whether a Bearer value has our access-token structure. Remembered per token string (a pure
 * function of it), because the same token arrives on every request of a session and is parsed
 * again, for real, by verification. One cache per instance: nothing is shared between instances.
 */
function createAccessTokenShapeCheck(limit = 2000): (token: string) => boolean {
  const shapes = new TokenKeyedCache<boolean>(limit);
  return (token) => {
    let shaped = shapes.get(token);
    if (shaped === undefined) {
      shaped = parseAccessToken(token) !== undefined;
      shapes.set(token, shaped);
    }
    return shaped;
  };
}
