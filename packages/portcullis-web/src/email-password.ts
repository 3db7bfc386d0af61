import { mapData } from "./api-call.js";
import { formFields, type MethodContext } from "./context.js";
import type { Result, User } from "./types.js";

export function emailPasswordMethods(ctx: MethodContext) {
  const rid = "emailpassword";
  return {
    /** POST {t}/signup. Errors: FIELD_ERROR, EMAIL_ALREADY_EXISTS, SIGN_UP_NOT_ALLOWED, GENERAL_ERROR, RATE_LIMITED. */
    async signUpWithEmail(email: string, password: string): Promise<Result<{ user: User }>> {
      const result = await ctx.api.call({ rid, method: "POST", path: "/signup", tenantId: ctx.tenantId(), body: formFields({ email, password }) });
      return mapData(result, (body) => ({ user: body["user"] as User }));
    },

    /** POST {t}/signin. Errors: WRONG_CREDENTIALS, FIELD_ERROR, SIGN_IN_NOT_ALLOWED, RATE_LIMITED. */
    async signInWithEmail(email: string, password: string): Promise<Result<{ user: User }>> {
      const result = await ctx.api.call({ rid, method: "POST", path: "/signin", tenantId: ctx.tenantId(), body: formFields({ email, password }) });
      return mapData(result, (body) => ({ user: body["user"] as User }));
    },

    /** GET {t}/emailpassword/email/exists. */
    async doesEmailExist(email: string): Promise<Result<{ exists: boolean }>> {
      const result = await ctx.api.call({ rid, method: "GET", path: "/emailpassword/email/exists", tenantId: ctx.tenantId(), query: { email } });
      return mapData(result, (body) => ({ exists: body["exists"] === true }));
    },

    /**
     * Seed 001: POST {t}/user/password/reset/email. The email links to the API, which redirects to
     * `redirectURL?access_token=…&action=reset-pwd`. OK also for unknown emails. Errors:
     * INVALID_REDIRECT_URL, EMAIL_NOT_VERIFIED, EMAIL_VERIFICATION_NOT_ENABLED, RATE_LIMITED.
     */
    async sendResetPwdEmail(email: string, redirectURL: string): Promise<Result<Record<string, never>>> {
      const result = await ctx.api.call({ rid, method: "POST", path: "/user/password/reset/email", tenantId: ctx.tenantId(), body: { email, redirectURL } });
      return mapData(result, () => ({}));
    },

    /** Seed 001: POST {t}/user/password/reset with the redirect's access_token. Errors: INVALID_TOKEN, FIELD_ERROR. */
    async resetPwdWithToken(accessToken: string, newPassword: string): Promise<Result<Record<string, never>>> {
      const result = await ctx.api.call({
        rid,
        method: "POST",
        path: "/user/password/reset",
        tenantId: ctx.tenantId(),
        body: { method: "token", token: accessToken, ...formFields({ password: newPassword }) },
      });
      return mapData(result, () => ({}));
    },
  };
}
