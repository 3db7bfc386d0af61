import { failure, mapData } from "./api-call.js";
import type { MethodContext } from "./context.js";
import { authError } from "./error-mapping.js";
import { parseUrl } from "./passwordless.js";
import type { Result } from "./types.js";

export function emailVerificationMethods(ctx: MethodContext) {
  const rid = "emailverification";
  return {
    /** POST /user/email/verify/token (signed in). `alreadyVerified` instead of an error when there is nothing to verify. */
    async sendVerificationEmail(): Promise<Result<{ alreadyVerified: boolean }>> {
      const result = await ctx.api.call({ rid, method: "POST", path: "/user/email/verify/token", okStatuses: ["EMAIL_ALREADY_VERIFIED_ERROR"] });
      return mapData(result, (body) => ({ alreadyVerified: body["status"] === "EMAIL_ALREADY_VERIFIED_ERROR" }));
    },

    /**
     * POST {t}/user/email/verify with a token: by default the current page's `?token=…&tenantId=…`
     * (the emailed link). Works without a session. Errors: INVALID_TOKEN, INVALID_LINK.
     */
    async verifyEmail(token?: string): Promise<Result<Record<string, never>>> {
      const page = parseUrl(ctx.currentUrl());
      const value = token ?? page?.searchParams.get("token") ?? undefined;
      if (value === undefined || value === "") return failure(authError("INVALID_LINK", "This is not an email verification link"));
      const tenantId = page?.searchParams.get("tenantId") ?? ctx.tenantId();
      const result = await ctx.api.call({ rid, method: "POST", path: "/user/email/verify", tenantId, body: { method: "token", token: value } });
      return mapData(result, () => ({}));
    },

    /** GET /user/email/verify (signed in); also refreshes the session's st-ev claim. */
    async isEmailVerified(): Promise<Result<{ isVerified: boolean }>> {
      const result = await ctx.api.call({ rid, method: "GET", path: "/user/email/verify" });
      return mapData(result, (body) => ({ isVerified: body["isVerified"] === true }));
    },
  };
}
