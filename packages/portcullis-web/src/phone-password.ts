import { mapData } from "./api-call.js";
import { formFields, type MethodContext } from "./context.js";
import type { Result, User } from "./types.js";

export function phonePasswordMethods(ctx: MethodContext) {
  const rid = "phonepassword";
  return {
    /** POST {t}/phonepassword/signup. Errors: FIELD_ERROR (invalid phone, weak password), PHONE_NUMBER_ALREADY_EXISTS. */
    async signUpWithPhone(phoneNumber: string, password: string): Promise<Result<{ user: User }>> {
      const result = await ctx.api.call({ rid, method: "POST", path: "/phonepassword/signup", tenantId: ctx.tenantId(), body: formFields({ phoneNumber, password }) });
      return mapData(result, (body) => ({ user: body["user"] as User }));
    },

    /** POST {t}/phonepassword/signin. Errors: WRONG_CREDENTIALS, FIELD_ERROR, RATE_LIMITED. */
    async signInWithPhone(phoneNumber: string, password: string): Promise<Result<{ user: User }>> {
      const result = await ctx.api.call({ rid, method: "POST", path: "/phonepassword/signin", tenantId: ctx.tenantId(), body: formFields({ phoneNumber, password }) });
      return mapData(result, (body) => ({ user: body["user"] as User }));
    },

    /** GET {t}/phonepassword/phonenumber/exists. */
    async doesPhoneNumberExist(phoneNumber: string): Promise<Result<{ exists: boolean }>> {
      const result = await ctx.api.call({ rid, method: "GET", path: "/phonepassword/phonenumber/exists", tenantId: ctx.tenantId(), query: { phoneNumber } });
      return mapData(result, (body) => ({ exists: body["exists"] === true }));
    },

    /** POST {t}/phonepassword/verify/code (signed in): texts a 6-digit code. `alreadyVerified` when there is nothing to do. */
    async sendPhoneVerificationCode(): Promise<Result<{ alreadyVerified: boolean }>> {
      const result = await ctx.api.call({ rid, method: "POST", path: "/phonepassword/verify/code", tenantId: ctx.tenantId(), okStatuses: ["PHONE_ALREADY_VERIFIED_ERROR"] });
      return mapData(result, (body) => ({ alreadyVerified: body["status"] === "PHONE_ALREADY_VERIFIED_ERROR" }));
    },

    /** POST {t}/phonepassword/verify (signed in). Errors: INCORRECT_CODE, EXPIRED_CODE (with attempt counts), RESTART_FLOW. */
    async verifyPhone(code: string): Promise<Result<Record<string, never>>> {
      const result = await ctx.api.call({ rid, method: "POST", path: "/phonepassword/verify", tenantId: ctx.tenantId(), body: { code } });
      return mapData(result, () => ({}));
    },

    /** Seed 001: POST {t}/phonepassword/reset/code. OK also for unknown numbers. Errors: PHONE_NOT_VERIFIED, RATE_LIMITED. */
    async sendResetPwdCode(phone: string): Promise<Result<Record<string, never>>> {
      const result = await ctx.api.call({ rid, method: "POST", path: "/phonepassword/reset/code", tenantId: ctx.tenantId(), body: { phoneNumber: phone } });
      return mapData(result, () => ({}));
    },

    /** Seed 001: POST {t}/phonepassword/reset. Errors: INCORRECT_CODE, EXPIRED_CODE, RESTART_FLOW, PASSWORD_POLICY_VIOLATED. */
    async resetPwdWithCode(phone: string, code: string, newPassword: string): Promise<Result<Record<string, never>>> {
      const result = await ctx.api.call({
        rid,
        method: "POST",
        path: "/phonepassword/reset",
        tenantId: ctx.tenantId(),
        body: { phoneNumber: phone, code, newPassword },
      });
      return mapData(result, () => ({}));
    },
  };
}
