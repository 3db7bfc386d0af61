/**
 * Seed 001's reset by email: the emailed link goes to the API, which checks the token without
 * using it and redirects to an allow-listed page of the app with `access_token` and
 * `action=reset-pwd`; the app then resets through the usual POST /user/password/reset.
 */
import { normaliseEmail } from "../../core/normalise.js";
import { sha256Hex } from "../../crypto/hash.js";
import { RecipeUserId } from "../../core/recipe-user-id.js";
import type { UserContext } from "../../core/user-context.js";
import type { Engine, RecipeModule } from "../../engine/types.js";
import { throttled } from "../../limits/index.js";
import type { APIInterface } from "./types.js";
import { PASSWORD_RESET_TOKEN_KIND, sendResetEmailInBackground, simulateResetTokenCreation } from "./recipe-implementation.js";
import { withQuery } from "./redirect-urls.js";

export const EMAIL_VERIFICATION_RECIPE_ID = "emailverification";
export const RESET_REDIRECT_PATH = "/user/password/reset/redirect";
const INVALID_REDIRECT_URL_MESSAGE = "The redirect URL is not one of the allowed redirect URLs";
/** Reset tokens are 43 base64url characters; anything else cannot be one, so it is not looked up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,128}$/;

/** The API link the email carries; the tenant goes in the path, as every tenant-scoped route takes it. */
export function resetRedirectLink(engine: Engine, tenantId: string, token: string, redirectURL: string): string {
  const { apiDomain, apiGatewayPath, apiBasePath } = engine.appInfo;
  const tenantSegment = tenantId === "public" ? "" : `/${encodeURIComponent(tenantId)}`;
  const base = `${apiDomain}${apiGatewayPath}${apiBasePath}`.replace(/\/+$/, "");
  return `${base}${tenantSegment}${RESET_REDIRECT_PATH}?token=${encodeURIComponent(token)}&redirectURL=${encodeURIComponent(redirectURL)}`;
}

/** What this flow needs of the email-verification recipe: its (overridable) check. */
interface EmailVerificationCheck extends RecipeModule {
  recipeInterfaceImpl: { isEmailVerified(input: { recipeUserId: RecipeUserId; email: string; userContext: UserContext }): Promise<boolean> };
}

export function createResetRedirectAPI(engine: Engine): Pick<APIInterface, "passwordResetEmailPOST" | "passwordResetRedirectGET"> {
  return {
    async passwordResetEmailPOST({ email: rawEmail, redirectURL, tenantId, options, userContext }) {
      const emailVerification = engine.getRecipe<EmailVerificationCheck>(EMAIL_VERIFICATION_RECIPE_ID);
      if (emailVerification === undefined) {
        return {
          status: "EMAIL_VERIFICATION_NOT_ENABLED_ERROR",
          message: "Reset by email link needs email verification: add EmailVerification.init() to the recipe list",
        };
      }
      const allowed = options.config.resetPasswordRedirect.match(redirectURL);
      if (allowed === undefined) return { status: "INVALID_REDIRECT_URL_ERROR", message: INVALID_REDIRECT_URL_MESSAGE };
      const email = normaliseEmail(rawEmail);
      // The same per-email and per-IP budget as the reset-token route: two routes, one cap.
      const decision = await engine.limits.allowSend({ purpose: "password-reset", tenantId, account: email, ip: engine.limits.clientIp(options.req) });
      if (!decision.allowed) return throttled(options.res, decision);
      const login = await engine.storage.credentials.find("emailpassword", tenantId, { email });
      engine.emit({ type: "password-reset.requested", tenantId, ...(login !== undefined ? { userId: login.user.id } : {}) });
      if (login === undefined) {
        // The same reads and writes as a known, verified email (verification read, token insert).
        await engine.storage.emailVerification.isVerified(engine.random.uuid(), email);
        await simulateResetTokenCreation(engine, tenantId);
        return { status: "OK" };
      }
      // The seed asks for this answer, so an existing unverified account is told apart from an
      // unknown email; the send cap above bounds how fast anyone can probe with it.
      // Through the recipe's function, so an app's override of isEmailVerified is honoured here too.
      const verified = await emailVerification.recipeInterfaceImpl.isEmailVerified({ recipeUserId: new RecipeUserId(login.recipeUserId), email, userContext });
      if (!verified) {
        return { status: "EMAIL_NOT_VERIFIED_ERROR", message: "The email of this account has not been verified" };
      }
      const created = await options.recipeImplementation.createResetPasswordToken({ userId: login.user.id, email, tenantId, userContext });
      if (created.status !== "OK") return { status: "OK" };
      // The link names the entry from the allow-list, not the bytes the request sent.
      const passwordResetLink = resetRedirectLink(engine, tenantId, created.token, allowed);
      sendResetEmailInBackground(engine, options, { userId: login.user.id, email, passwordResetLink, tenantId, userContext });
      return { status: "OK" };
    },

    async passwordResetRedirectGET({ token, redirectURL, tenantId, options }) {
      const allowed = options.config.resetPasswordRedirect.match(redirectURL);
      if (allowed === undefined) return { status: "INVALID_REDIRECT_URL_ERROR", message: INVALID_REDIRECT_URL_MESSAGE };
      // Read, not consumed: mail scanners and link previews open links too, and must not burn the token.
      const found = TOKEN_SHAPE.test(token)
        ? await engine.storage.tokens.find(PASSWORD_RESET_TOKEN_KIND, sha256Hex(token), tenantId, engine.clock.now())
        : undefined;
      if (found === undefined) return { status: "OK", location: withQuery(allowed, [["action", "reset-pwd"], ["error", "invalid_token"]]) };
      return { status: "OK", location: withQuery(allowed, [["access_token", token], ["action", "reset-pwd"]]) };
    },
  };
}
