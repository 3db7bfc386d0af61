import type { Auth } from "../engine/create-auth.js";
import { resolveAuth } from "../engine/default-instance.js";
import { hasValidSignature, parseAccessToken, type AccessTokenPayload } from "../recipes/session/access-token.js";
import { unauthorised } from "../recipes/session/error.js";
import { SESSION_RECIPE_ID, type SessionRecipe } from "../recipes/session/session-recipe.js";

/** A cookie as Next hands them out: `(await cookies()).getAll()` or `request.cookies.getAll()`. */
export interface RequestCookie {
  name: string;
  value: string;
}

/** The cookies themselves, or the store they come from (`await cookies()` from next/headers, `request.cookies`). */
export type SSRCookies = readonly RequestCookie[] | { getAll(): RequestCookie[] };

export interface SSRSession {
  /** The verified token's payload; undefined without a token, or when it expired or failed to verify. */
  accessTokenPayload: AccessTokenPayload | undefined;
  /** Whether the request carried an access token: no payload but a token means "refresh, then retry". */
  hasToken: boolean;
  /** Why a token that was present did not verify (bad structure, signature, unknown key); not set for plain expiry. */
  error: Error | undefined;
}

const ACCESS_TOKEN_COOKIE = "sAccessToken";

/**
 * For server components and getServerSideProps, as the SDK's: verifies the `sAccessToken` cookie
 * where it stands (structure, signature against this instance's keys, expiry), the same check as
 * the SDK's JWKS verification. It never refreshes, never writes to the database and never checks
 * revocation or claims: a revoked session passes until its token expires (minutes). Use
 * `withSession` where that matters. An expired token is no error: `hasToken` with no payload tells
 * the page to let the frontend refresh.
 *
 * The cookies are required. The SDK reads next/headers' `cookies()` when called without any, which
 * would load `next` at run time from this package; here the caller passes them, one line in the app:
 * `getSSRSession((await cookies()).getAll())`.
 */
export async function getSSRSession(cookies: SSRCookies, instance?: Auth): Promise<SSRSession> {
  if (typeof cookies !== "object" || cookies === null) {
    throw new TypeError("getSSRSession needs the request's cookies: getSSRSession((await cookies()).getAll()) with cookies from next/headers");
  }
  const list = "getAll" in cookies ? cookies.getAll() : cookies;
  const accessToken = list.find((cookie) => cookie.name === ACCESS_TOKEN_COOKIE)?.value;
  if (accessToken === undefined || accessToken === "") return { accessTokenPayload: undefined, hasToken: false, error: undefined };
  const auth = resolveAuth(instance);
  let payload: AccessTokenPayload;
  try {
    payload = await verifySignature(auth, accessToken);
  } catch (error) {
    return { accessTokenPayload: undefined, hasToken: true, error: error instanceof Error ? error : new Error(String(error)) };
  }
  const expired = payload.exp * 1000 <= auth.engine.clock.now();
  return { accessTokenPayload: expired ? undefined : payload, hasToken: true, error: undefined };
}

/** The token's payload once its structure and signature check out against this instance's keys. */
async function verifySignature(auth: Auth, accessToken: string): Promise<AccessTokenPayload> {
  const parsed = parseAccessToken(accessToken);
  if (parsed === undefined) throw unauthorised("The access token does not have the expected structure", false);
  const keys = auth.engine.requireRecipe<SessionRecipe>(SESSION_RECIPE_ID).keys;
  const key = await keys.findVerificationKey(parsed.kid);
  if (key === undefined) throw unauthorised(`No signing key ${parsed.kid} for the access token`, false);
  if (!hasValidSignature(parsed, key)) throw unauthorised("The access token's signature is invalid", false);
  return parsed.payload;
}
