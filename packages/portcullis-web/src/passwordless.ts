import { failure, mapData } from "./api-call.js";
import type { MethodContext } from "./context.js";
import { authError } from "./error-mapping.js";
import type { PasswordlessAttempt, PasswordlessFlowType, Result, User } from "./types.js";

type Contact = { email: string } | { phoneNumber: string };

export function passwordlessMethods(ctx: MethodContext) {
  const rid = "passwordless";

  /** The attempt createPasswordlessCode stored (it survives a reload, as web-js's does, so the code screen can resend). */
  async function storedAttempt(): Promise<PasswordlessAttempt | undefined> {
    try {
      const raw = await ctx.store.get("passwordless");
      return raw === null ? undefined : (JSON.parse(raw) as PasswordlessAttempt);
    } catch {
      return undefined;
    }
  }

  async function consume(body: Record<string, string>, tenantId: string): Promise<Result<{ user: User; createdNewRecipeUser: boolean }>> {
    const result = await ctx.api.call({ rid, method: "POST", path: "/signinup/code/consume", tenantId, body });
    // Success and a dead attempt both end it; a wrong or expired code leaves it for another try.
    if (result.errors === null || result.errors.code === "RESTART_FLOW") await ctx.store.set("passwordless", null);
    return mapData(result, (data) => ({ user: data["user"] as User, createdNewRecipeUser: data["createdNewRecipeUser"] === true }));
  }

  return {
    /** POST {t}/signinup/code with `{email}` or `{phoneNumber}`. Errors: GENERAL_ERROR (invalid address, not invited), SIGN_IN_UP_NOT_ALLOWED, RATE_LIMITED. */
    async createPasswordlessCode(contact: Contact): Promise<Result<{ deviceId: string; preAuthSessionId: string; flowType: PasswordlessFlowType }>> {
      const tenantId = ctx.tenantId();
      const result = await ctx.api.call({ rid, method: "POST", path: "/signinup/code", tenantId, body: contact });
      if (result.errors !== null) return result;
      const attempt: PasswordlessAttempt = {
        deviceId: String(result.data["deviceId"]),
        preAuthSessionId: String(result.data["preAuthSessionId"]),
        flowType: result.data["flowType"] as PasswordlessFlowType,
        ...contact,
        tenantId,
      };
      await ctx.store.set("passwordless", JSON.stringify(attempt));
      return { data: { deviceId: attempt.deviceId, preAuthSessionId: attempt.preAuthSessionId, flowType: attempt.flowType }, errors: null };
    },

    /** The pending attempt, if a code was sent and not yet used. */
    async getPasswordlessAttempt(): Promise<Result<PasswordlessAttempt | null>> {
      return { data: (await storedAttempt()) ?? null, errors: null };
    },

    /** POST {t}/signinup/code/resend for the stored attempt. Errors: RESTART_FLOW (none pending, or it expired), RATE_LIMITED. */
    async resendPasswordlessCode(): Promise<Result<Record<string, never>>> {
      const attempt = await storedAttempt();
      if (attempt === undefined) return failure(authError("RESTART_FLOW", "No code was requested in this browser: please start again"));
      const result = await ctx.api.call({
        rid,
        method: "POST",
        path: "/signinup/code/resend",
        tenantId: attempt.tenantId,
        body: { deviceId: attempt.deviceId, preAuthSessionId: attempt.preAuthSessionId },
      });
      if (result.errors?.code === "RESTART_FLOW") await ctx.store.set("passwordless", null);
      return mapData(result, () => ({}));
    },

    /** POST {t}/signinup/code/consume with the code the user typed. Errors: INCORRECT_CODE, EXPIRED_CODE (with attempt counts), RESTART_FLOW. */
    async consumePasswordlessCode(userInputCode: string): Promise<Result<{ user: User; createdNewRecipeUser: boolean }>> {
      const attempt = await storedAttempt();
      if (attempt === undefined) return failure(authError("RESTART_FLOW", "No code was requested in this browser: please start again"));
      return consume({ preAuthSessionId: attempt.preAuthSessionId, deviceId: attempt.deviceId, userInputCode }, attempt.tenantId);
    },

    /**
     * Signs in with a magic link `…/verify?preAuthSessionId=…&tenantId=…#<linkCode>`: by default the
     * current page's URL. Works in another browser than the one that asked. Errors: INVALID_LINK, RESTART_FLOW.
     */
    async consumeMagicLink(url?: string): Promise<Result<{ user: User; createdNewRecipeUser: boolean }>> {
      const link = parseUrl(url ?? ctx.currentUrl());
      const preAuthSessionId = link?.searchParams.get("preAuthSessionId");
      const linkCode = link?.hash.replace(/^#/, "");
      if (link === undefined || !preAuthSessionId || !linkCode) return failure(authError("INVALID_LINK", "This is not a sign-in link"));
      return consume({ preAuthSessionId, linkCode }, link.searchParams.get("tenantId") ?? ctx.tenantId());
    },

    /** GET {t}/passwordless/email/exists. */
    async doesPasswordlessEmailExist(email: string): Promise<Result<{ exists: boolean }>> {
      const result = await ctx.api.call({ rid, method: "GET", path: "/passwordless/email/exists", tenantId: ctx.tenantId(), query: { email } });
      return mapData(result, (body) => ({ exists: body["exists"] === true }));
    },
  };
}

export function parseUrl(url: string | undefined): URL | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
