import { badInput } from "../../core/errors.js";
import { isPlainObject } from "../../core/json.js";
import { applyOverride } from "../../core/override.js";
import type { RecipeUserId } from "../../core/recipe-user-id.js";
import { makeUserContext, type UserContext } from "../../core/user-context.js";
import { resolveEmailDelivery, type EmailDeliveryInterface } from "../../delivery/email-delivery.js";
import type { Engine, RecipeModule, RouteDefinition, RouteInput } from "../../engine/types.js";
import type { BaseRequest } from "../../http/base-request.js";
import type { BaseResponse } from "../../http/base-response.js";
import { unauthorised } from "../session/error.js";
import type { SessionRecipe } from "../session/session-recipe.js";
import type { SessionContainerInterface } from "../session/types.js";
import { createEmailVerificationAPIImplementation } from "./api-implementation.js";
import { outboxVerificationEmailDelivery } from "./delivery.js";
import { EmailVerificationClaimClass, type VerificationSource } from "./email-verification-claim.js";
import { createEmailVerificationRecipeImplementation } from "./recipe-implementation.js";
import type {
  APIInterface,
  APIOptions,
  EmailVerificationMode,
  GetEmailForRecipeUserIdResult,
  RecipeInterface,
  TypeEmailVerificationEmailDeliveryInput,
  TypeInput,
  TypeNormalisedInput,
} from "./types.js";

export const EMAILVERIFICATION_RECIPE_ID = "emailverification";
const MODES: readonly EmailVerificationMode[] = ["REQUIRED", "OPTIONAL"];

function normaliseConfig(input: TypeInput | undefined): TypeNormalisedInput {
  // The SDK requires the mode: silently picking one would either lock users out or let them in unverified.
  if (input === undefined || !MODES.includes(input.mode)) {
    throw new Error(`EmailVerification.init needs { mode: "REQUIRED" | "OPTIONAL" }, got mode ${JSON.stringify(input?.mode)}`);
  }
  return { mode: input.mode, getEmailForRecipeUserId: input.getEmailForRecipeUserId };
}

/** What the facade functions take for `email`: an address, or undefined to look up the login method's. */
type EmailLookup = { status: "OK"; email: string } | { status: "EMAIL_DOES_NOT_EXIST_ERROR" };

export class EmailVerificationRecipe implements RecipeModule {
  readonly recipeId = EMAILVERIFICATION_RECIPE_ID;
  /** Its claim goes into sessions and its routes need one. */
  readonly requires = ["session"] as const;
  readonly config: TypeNormalisedInput;
  readonly recipeInterfaceImpl: RecipeInterface;
  readonly apiImpl: APIInterface;
  readonly emailDelivery: EmailDeliveryInterface<TypeEmailVerificationEmailDeliveryInput>;
  /** This instance's `st-ev` (the facade's `EmailVerificationClaim` reads the default instance). */
  readonly claim: EmailVerificationClaimClass;

  constructor(
    readonly engine: Engine,
    input: TypeInput | undefined,
  ) {
    this.config = normaliseConfig(input);
    this.recipeInterfaceImpl = applyOverride(createEmailVerificationRecipeImplementation(engine), input?.override?.functions);
    this.apiImpl = applyOverride(createEmailVerificationAPIImplementation(engine, () => this), input?.override?.apis);
    if (input?.emailDelivery?.service === undefined) {
      engine.outbox.assertAllowedFor("EmailVerification's verification emails", "EmailVerification.init({ emailDelivery: { service: new SMTPService({ smtpSettings }) } })");
    }
    this.emailDelivery = resolveEmailDelivery(input?.emailDelivery, outboxVerificationEmailDelivery(engine));
    this.claim = new EmailVerificationClaimClass(() => this.verificationSource);
  }

  /** Collected by the session recipe in phase two: `st-ev` in every new session, and in REQUIRED mode checked on every verifySession. */
  readonly sessionClaims = (): { claims: object[]; globalValidators: object[] } => ({
    claims: [this.claim],
    globalValidators: this.config.mode === "REQUIRED" ? [this.claim.validators.isVerified()] : [],
  });

  /** The claim's value: verified, or no email at all (phone-only logins count as verified). */
  readonly verificationSource: VerificationSource = async (recipeUserId, userContext) => {
    const info = await this.getEmailForRecipeUserId(recipeUserId, userContext);
    if (info.status === "EMAIL_DOES_NOT_EXIST_ERROR") return true;
    if (info.status === "UNKNOWN_USER_ID_ERROR") {
      // A session outliving its user (deleted while its access token is still valid) ends here.
      throw unauthorised("Unknown User ID provided");
    }
    return this.recipeInterfaceImpl.isEmailVerified({ recipeUserId, email: info.email, userContext });
  };

  /** The app's lookup first; what it does not know comes from the stored login method. */
  async getEmailForRecipeUserId(recipeUserId: RecipeUserId, userContext: UserContext): Promise<GetEmailForRecipeUserIdResult> {
    if (this.config.getEmailForRecipeUserId !== undefined) {
      const fromApp = await this.config.getEmailForRecipeUserId(recipeUserId, userContext);
      if (fromApp.status !== "UNKNOWN_USER_ID_ERROR") return fromApp;
    }
    const user = await this.engine.getUser(recipeUserId.getAsString());
    const login = user?.loginMethods.find((method) => method.recipeUserId.getAsString() === recipeUserId.getAsString());
    if (login === undefined) return { status: "UNKNOWN_USER_ID_ERROR" };
    return login.email !== undefined ? { status: "OK", email: login.email } : { status: "EMAIL_DOES_NOT_EXIST_ERROR" };
  }

  /** `{origin}{websiteBasePath}/verify-email?token=…&tenantId=…`, the page auth-react and web-js apps serve. */
  async buildVerificationLink(tenantId: string, token: string, userContext: UserContext): Promise<string> {
    const { appInfo } = this.engine;
    // The tenant's own website domain when it has one (the request's origin rule otherwise).
    const origin = (await this.engine.tenantSettings(tenantId, userContext)).websiteOrigin.replace(/\/+$/, "");
    return `${origin}${appInfo.websiteBasePath}/verify-email?token=${token}&tenantId=${encodeURIComponent(tenantId)}`;
  }

  // --- functions behind the SDK-shaped module -------------------------------------------

  /** An explicit email, or the login method's; a user that does not exist is a caller's bug. */
  private async resolveEmail(recipeUserId: RecipeUserId, email: string | undefined, userContext: UserContext): Promise<EmailLookup> {
    if (email !== undefined) return { status: "OK", email };
    const info = await this.getEmailForRecipeUserId(recipeUserId, userContext);
    if (info.status === "UNKNOWN_USER_ID_ERROR") throw new Error("Unknown User ID provided without email");
    return info;
  }

  async createEmailVerificationToken(tenantId: string, recipeUserId: RecipeUserId, email?: string, userContext?: Record<string, unknown>) {
    const context = makeUserContext(userContext, this.engine.clock);
    const resolved = await this.resolveEmail(recipeUserId, email, context);
    if (resolved.status !== "OK") return { status: "EMAIL_ALREADY_VERIFIED_ERROR" as const };
    return this.recipeInterfaceImpl.createEmailVerificationToken({ recipeUserId, email: resolved.email, tenantId, userContext: context });
  }

  async createEmailVerificationLink(
    tenantId: string,
    recipeUserId: RecipeUserId,
    email?: string,
    userContext?: Record<string, unknown>,
  ): Promise<{ status: "OK"; link: string } | { status: "EMAIL_ALREADY_VERIFIED_ERROR" }> {
    const context = makeUserContext(userContext, this.engine.clock);
    const created = await this.createEmailVerificationToken(tenantId, recipeUserId, email, context);
    if (created.status !== "OK") return created;
    return { status: "OK", link: await this.buildVerificationLink(tenantId, created.token, context) };
  }

  async sendEmailVerificationEmail(
    tenantId: string,
    userId: string,
    recipeUserId: RecipeUserId,
    email?: string,
    userContext?: Record<string, unknown>,
  ): Promise<{ status: "OK" | "EMAIL_ALREADY_VERIFIED_ERROR" }> {
    const context = makeUserContext(userContext, this.engine.clock);
    const resolved = await this.resolveEmail(recipeUserId, email, context);
    if (resolved.status !== "OK") return { status: "EMAIL_ALREADY_VERIFIED_ERROR" };
    const link = await this.createEmailVerificationLink(tenantId, recipeUserId, resolved.email, context);
    if (link.status !== "OK") return link;
    await this.emailDelivery.sendEmail({
      type: "EMAIL_VERIFICATION",
      user: { id: userId, recipeUserId, email: resolved.email },
      emailVerifyLink: link.link,
      tenantId,
      userContext: context,
    });
    this.engine.emit({ type: "email-verification.sent", tenantId, userId: recipeUserId.getAsString() });
    return { status: "OK" };
  }

  async verifyEmailUsingToken(tenantId: string, token: string, attemptAccountLinking = true, userContext?: Record<string, unknown>) {
    return this.recipeInterfaceImpl.verifyEmailUsingToken({ token, tenantId, attemptAccountLinking, userContext: makeUserContext(userContext, this.engine.clock) });
  }

  /** True also for a login method without an email (nothing to verify). */
  async isEmailVerified(recipeUserId: RecipeUserId, email?: string, userContext?: Record<string, unknown>): Promise<boolean> {
    const context = makeUserContext(userContext, this.engine.clock);
    const resolved = await this.resolveEmail(recipeUserId, email, context);
    if (resolved.status !== "OK") return true;
    return this.recipeInterfaceImpl.isEmailVerified({ recipeUserId, email: resolved.email, userContext: context });
  }

  async revokeEmailVerificationTokens(tenantId: string, recipeUserId: RecipeUserId, email?: string, userContext?: Record<string, unknown>) {
    const context = makeUserContext(userContext, this.engine.clock);
    const resolved = await this.resolveEmail(recipeUserId, email, context);
    if (resolved.status !== "OK") return { status: "OK" as const };
    return this.recipeInterfaceImpl.revokeEmailVerificationTokens({ recipeUserId, email: resolved.email, tenantId, userContext: context });
  }

  async unverifyEmail(recipeUserId: RecipeUserId, email?: string, userContext?: Record<string, unknown>) {
    const context = makeUserContext(userContext, this.engine.clock);
    const resolved = await this.resolveEmail(recipeUserId, email, context);
    if (resolved.status !== "OK") return { status: "OK" as const };
    return this.recipeInterfaceImpl.unverifyEmail({ recipeUserId, email: resolved.email, userContext: context });
  }

  async sendEmail(input: TypeEmailVerificationEmailDeliveryInput & { userContext?: Record<string, unknown> }): Promise<void> {
    await this.emailDelivery.sendEmail({ ...input, userContext: makeUserContext(input.userContext, this.engine.clock) });
  }

  // --- HTTP ---------------------------------------------------------------------------------

  private apiOptions(req: BaseRequest, res: BaseResponse): APIOptions {
    return {
      recipeImplementation: this.recipeInterfaceImpl,
      appInfo: this.engine.appInfo,
      config: this.config,
      recipeId: this.recipeId,
      isInServerlessEnv: false,
      req,
      res,
      emailDelivery: { ingredientInterfaceImpl: this.emailDelivery },
    };
  }

  /** These routes serve unverified users, so the global validators (st-ev itself) are skipped. */
  private async session(input: RouteInput, sessionRequired: boolean): Promise<SessionContainerInterface | undefined> {
    const sessionRecipe = this.engine.requireRecipe<SessionRecipe>("session");
    return sessionRecipe.getSession(input.req, input.res, { sessionRequired, overrideGlobalClaimValidators: () => [] }, input.userContext);
  }

  private async requiredSession(input: RouteInput): Promise<SessionContainerInterface> {
    const session = await this.session(input, true);
    if (session === undefined) throw new Error("Session is undefined. Should never come here.");
    return session;
  }

  getRoutes(): RouteDefinition[] {
    const api = this.apiImpl;
    const route = (method: "get" | "post", path: string, apiFunction: unknown, handle: (input: RouteInput) => Promise<void>): RouteDefinition => ({
      method,
      path,
      tenantScoped: true,
      disabled: apiFunction === undefined,
      handle,
    });
    return [
      route("post", "/user/email/verify/token", api.generateEmailVerifyTokenPOST, async (input) => {
        const session = await this.requiredSession(input);
        const result = await api.generateEmailVerifyTokenPOST?.({ options: this.apiOptions(input.req, input.res), session, userContext: input.userContext });
        input.res.sendJSONResponse(result?.status === "GENERAL_ERROR" ? result : { status: result?.status });
      }),
      route("post", "/user/email/verify", api.verifyEmailPOST, async (input) => {
        const parsed: unknown = await input.req.getJSONBody();
        const token = isPlainObject(parsed) ? parsed["token"] : undefined;
        if (token === undefined || token === null) throw badInput("Please provide the email verification token");
        if (typeof token !== "string") throw badInput("The email verification token must be a string");
        const session = await this.session(input, false);
        const result = await api.verifyEmailPOST?.({
          token,
          tenantId: input.tenantId,
          session,
          options: this.apiOptions(input.req, input.res),
          userContext: input.userContext,
        });
        input.res.sendJSONResponse(result?.status === "OK" ? { status: "OK" } : result);
      }),
      route("get", "/user/email/verify", api.isEmailVerifiedGET, async (input) => {
        const session = await this.requiredSession(input);
        const result = await api.isEmailVerifiedGET?.({ options: this.apiOptions(input.req, input.res), session, userContext: input.userContext });
        input.res.sendJSONResponse(result?.status === "OK" ? { status: "OK", isVerified: result.isVerified } : result);
      }),
    ];
  }
}

/** `EmailVerification.init(config)`: a recipe factory for `recipeList`. */
export function initEmailVerification(config: TypeInput): (engine: Engine) => EmailVerificationRecipe {
  // Checked here too, so a wrong mode fails at init() and not only at createAuth().
  normaliseConfig(config);
  return (engine) => new EmailVerificationRecipe(engine, config);
}
