import type { BaseRequest } from "../../http/base-request.js";
import type { BaseResponse } from "../../http/base-response.js";
import type { UserContext } from "../../core/user-context.js";
import type { TokenTransferMethod, TokenType, TypeNormalisedInput } from "./types.js";

/** The access-token cookie outlives the JWT on purpose: an expired-but-present token gets "try refresh token". */
const ACCESS_COOKIE_LIFETIME_MS = 365 * 24 * 3600 * 1000;
export const AVAILABLE_TRANSFER_METHODS: TokenTransferMethod[] = ["cookie", "header"];

export function buildFrontToken(userId: string, accessTokenExpiry: number, payload: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ uid: userId, ate: accessTokenExpiry, up: payload }), "utf8").toString("base64");
}

export function exposeHeader(res: BaseResponse, name: string): void {
  res.setHeader("Access-Control-Expose-Headers", name, true);
}

function setToken(
  config: TypeNormalisedInput,
  req: BaseRequest,
  res: BaseResponse,
  tokenType: TokenType,
  value: string,
  expires: number,
  transferMethod: TokenTransferMethod,
  userContext: UserContext,
): void {
  if (transferMethod === "cookie") {
    const path = tokenType === "access" ? config.accessTokenPath : config.refreshTokenPath;
    res.setCookie(
      config.getCookieNameForTokenType(req, tokenType, userContext),
      value,
      config.cookieDomain,
      config.cookieSecure,
      true,
      expires,
      path,
      config.getCookieSameSite({ request: req, userContext }),
    );
  } else {
    const header = config.getResponseHeaderNameForTokenType(req, tokenType, userContext);
    res.setHeader(header, value, false);
    exposeHeader(res, header);
  }
}

export function setAccessToken(
  config: TypeNormalisedInput,
  req: BaseRequest,
  res: BaseResponse,
  accessToken: string,
  frontToken: string,
  transferMethod: TokenTransferMethod,
  now: number,
  userContext: UserContext,
): void {
  res.setHeader("front-token", frontToken, false);
  exposeHeader(res, "front-token");
  setToken(config, req, res, "access", accessToken, now + ACCESS_COOKIE_LIFETIME_MS, transferMethod, userContext);
  if (config.exposeAccessTokenToFrontendInCookieBasedAuth && transferMethod === "cookie") {
    setToken(config, req, res, "access", accessToken, now + ACCESS_COOKIE_LIFETIME_MS, "header", userContext);
  }
}

export function setRefreshToken(
  config: TypeNormalisedInput,
  req: BaseRequest,
  res: BaseResponse,
  refreshToken: string,
  expiry: number,
  transferMethod: TokenTransferMethod,
  userContext: UserContext,
): void {
  setToken(config, req, res, "refresh", refreshToken, expiry, transferMethod, userContext);
}

export function setAntiCsrfToken(res: BaseResponse, antiCsrfToken: string): void {
  res.setHeader("anti-csrf", antiCsrfToken, false);
  exposeHeader(res, "anti-csrf");
}

/** Empty values with epoch expiry (cookies) or empty headers, plus `front-token: remove`. */
export function clearSession(
  config: TypeNormalisedInput,
  req: BaseRequest,
  res: BaseResponse,
  transferMethod: TokenTransferMethod,
  userContext: UserContext,
): void {
  res.setHeader("front-token", "remove", false);
  exposeHeader(res, "front-token");
  setToken(config, req, res, "access", "", 0, transferMethod, userContext);
  setToken(config, req, res, "refresh", "", 0, transferMethod, userContext);
}

export function clearSessionFromAllTransferMethods(
  config: TypeNormalisedInput,
  req: BaseRequest,
  res: BaseResponse,
  userContext: UserContext,
): void {
  for (const method of AVAILABLE_TRANSFER_METHODS) clearSession(config, req, res, method, userContext);
}

/** A Bearer value counts as an access token only if it has our access-token structure. */
export function getToken(
  config: TypeNormalisedInput,
  req: BaseRequest,
  tokenType: TokenType,
  transferMethod: TokenTransferMethod,
  userContext: UserContext,
): string | undefined {
  if (transferMethod === "cookie") {
    return req.getCookieValue(config.getCookieNameForTokenType(req, tokenType, userContext));
  }
  const authorization = req.getHeaderValue("authorization");
  if (authorization === undefined || !authorization.startsWith("Bearer ")) return undefined;
  const value = authorization.slice("Bearer ".length).trim();
  if (value === "") return undefined;
  if (tokenType === "access" && !config.hasAccessTokenShape(value)) return undefined;
  return value;
}

export function countAccessTokenCookies(config: TypeNormalisedInput, req: BaseRequest, userContext: UserContext): number {
  const name = config.getCookieNameForTokenType(req, "access", userContext);
  const withValues = req as BaseRequest & { getCookieValues?: (key: string) => string[] };
  return withValues.getCookieValues?.(name).length ?? (req.getCookieValue(name) === undefined ? 0 : 1);
}
