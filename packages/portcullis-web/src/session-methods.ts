import { failure, mapData, success } from "./api-call.js";
import type { MethodContext } from "./context.js";
import { authError } from "./error-mapping.js";
import type { Result, User } from "./types.js";

/** Change-password routes by the login method's recipe (issue 8 contract). */
const CHANGE_PASSWORD_ROUTE: Record<string, { rid: string; path: string }> = {
  emailpassword: { rid: "emailpassword", path: "/user/password/change" },
  phonepassword: { rid: "phonepassword", path: "/phonepassword/password/change" },
};

export function sessionMethods(ctx: MethodContext) {
  /** The front token, refreshed first when the access token it describes has expired (as web-js's doesSessionExist does). */
  async function liveFrontToken() {
    const token = await ctx.transport.frontToken();
    if (token === undefined || token.ate > Date.now()) return { token, error: null };
    const outcome = await ctx.transport.refreshAfter401(await ctx.transport.snapshot());
    if (outcome.kind === "failed") return { token: undefined, error: outcome.error };
    return { token: await ctx.transport.frontToken(), error: null };
  }

  async function getUser(): Promise<Result<{ user: User }>> {
    const result = await ctx.api.call({ rid: "session", method: "GET", path: "/session/user" });
    return mapData(result, (body) => ({ user: body["user"] as User }));
  }

  return {
    /** POST /signout. Local session state is forgotten even if the server cannot be reached. */
    async signOut(): Promise<Result<Record<string, never>>> {
      const result = await ctx.api.call({ rid: "session", method: "POST", path: "/signout" });
      await ctx.store.clearSession();
      // Signed out already is what the caller wanted.
      if (result.errors?.code === "UNAUTHORISED") return success({});
      return mapData(result, () => ({}));
    },

    /** GET /session/user: the signed-in user. Errors: UNAUTHORISED. */
    getUser,

    /** Whether a session exists (refreshing an expired access token to find out). */
    async doesSessionExist(): Promise<Result<boolean>> {
      const { token, error } = await liveFrontToken();
      return error === null ? success(token !== undefined) : failure(error);
    },

    /** The signed-in user's id, from the front token (no request). Errors: UNAUTHORISED. */
    async getUserId(): Promise<Result<string>> {
      const token = await ctx.transport.frontToken();
      return token === undefined ? failure(authError("UNAUTHORISED")) : success(token.uid);
    },

    /** The access token's payload (claims such as st-ev, st-role), refreshed first if expired. Errors: UNAUTHORISED. */
    async getAccessTokenPayload(): Promise<Result<Record<string, unknown>>> {
      const { token, error } = await liveFrontToken();
      if (error !== null) return failure(error);
      return token === undefined ? failure(authError("UNAUTHORISED")) : success(token.up);
    },

    /**
     * Changes the password of the signed-in user, on the route of their login method (email or
     * phone). Every session of the user ends, this one included. Errors: WRONG_CREDENTIALS,
     * PASSWORD_POLICY_VIOLATED, UNAUTHORISED, NOT_SUPPORTED (no password login method).
     */
    async changePassword(oldPassword: string, newPassword: string): Promise<Result<Record<string, never>>> {
      const current = await getUser();
      if (current.errors !== null) return current;
      const payload = (await ctx.transport.frontToken())?.up;
      const recipeUserId = typeof payload?.["rsub"] === "string" ? payload["rsub"] : undefined;
      const methods = current.data.user.loginMethods;
      // The login method of this session first (rsub), then any password method of the user.
      const method =
        methods.find((m) => m.recipeUserId === recipeUserId && CHANGE_PASSWORD_ROUTE[m.recipeId] !== undefined) ??
        methods.find((m) => CHANGE_PASSWORD_ROUTE[m.recipeId] !== undefined);
      const route = method === undefined ? undefined : CHANGE_PASSWORD_ROUTE[method.recipeId];
      if (route === undefined) return failure(authError("NOT_SUPPORTED", "This account signs in without a password"));
      const tenantId = typeof payload?.["tId"] === "string" ? payload["tId"] : ctx.tenantId();
      const result = await ctx.api.call({ rid: route.rid, method: "POST", path: route.path, tenantId, body: { oldPassword, newPassword } });
      return mapData(result, () => ({}));
    },
  };
}
