import { badInput, type PortcullisError } from "../../core/errors.js";
import { isPlainObject } from "../../core/json.js";
import { normaliseEmail } from "../../core/normalise.js";
import { applyOverride } from "../../core/override.js";
import { RecipeUserId } from "../../core/recipe-user-id.js";
import { makeUserContext, type UserContext } from "../../core/user-context.js";
import { userFromStored } from "../../core/user.js";
import { resolveEmailDelivery, type EmailDeliveryInterface } from "../../delivery/email-delivery.js";
import type { BaseRequest } from "../../http/base-request.js";
import type { BaseResponse } from "../../http/base-response.js";
import { whenTenantAllows } from "../../engine/tenant-settings.js";
import type { Engine, RecipeModule, RouteDefinition } from "../../engine/types.js";
import type { SessionRecipe } from "../session/session-recipe.js";
import type { SessionContainerInterface } from "../session/types.js";
import { accountRoutes } from "./account-routes.js";
import { createEmailPasswordAPIImplementation } from "./api-implementation.js";
import { outboxEmailDelivery } from "./email-delivery.js";
import EmailPasswordError from "./error.js";
import { parseAndValidateFormFields } from "./form-fields.js";
import { RedirectAllowList } from "./redirect-urls.js";
import { rememberPreparedPassword } from "./prepared-password.js";
import { createEmailPasswordRecipeImplementation, PASSWORD_FACTOR, preparePassword } from "./recipe-implementation.js";
import type { APIInterface, APIOptions, NormalisedFormField, RecipeInterface, TypeEmailPasswordEmailDeliveryInput, TypeInput, TypeNormalisedInput } from "./types.js";
import { fieldById, isPasswordTooLong, normaliseSignUpFormFields, PASSWORD_TOO_LONG_MESSAGE } from "./validators.js";

export const EMAILPASSWORD_RECIPE_ID = "emailpassword";
const EMAIL_ALREADY_EXISTS_MESSAGE = "This email already exists. Please sign in instead.";

function normaliseConfig(input: TypeInput | undefined): TypeNormalisedInput {
  const signUpFields = normaliseSignUpFormFields(input?.signUpFeature?.formFields);
  const emailField = fieldById(signUpFields, "email");
  const passwordField = fieldById(signUpFields, "password");
  return {
    signUpFeature: { formFields: signUpFields },
    // Sign-in checks the email's shape but never the password policy (old passwords must still work).
    signInFeature: {
      formFields: [
        { id: "email", validate: emailField.validate, optional: false },
        { id: "password", validate: async () => undefined, optional: false },
      ],
    },
    resetPasswordUsingTokenFeature: {
      formFieldsForGenerateTokenForm: [{ id: "email", validate: emailField.validate, optional: false }],
      formFieldsForPasswordResetForm: [{ id: "password", validate: passwordField.validate, optional: false }],
    },
    revokeOlderResetTokens: input?.revokeOlderResetTokens !== false,
    resetPasswordRedirect: RedirectAllowList.fromConfig(input?.resetPasswordRedirect),
    override: {
      functions: input?.override?.functions ?? ((original) => original),
      apis: input?.override?.apis ?? ((original) => original),
    },
  };
}

export type ResetWithTokenResult =
  | { status: "OK"; userId: string; email: string }
  | { status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" }
  | { status: "PASSWORD_POLICY_VIOLATED_ERROR"; failureReason: string };

export class EmailPasswordRecipe implements RecipeModule {
  readonly recipeId = EMAILPASSWORD_RECIPE_ID;
  readonly requires = ["session"] as const;
  readonly firstFactors = ["emailpassword"] as const;
  readonly config: TypeNormalisedInput;
  readonly recipeInterfaceImpl: RecipeInterface;
  readonly apiImpl: APIInterface;
  readonly emailDelivery: EmailDeliveryInterface<TypeEmailPasswordEmailDeliveryInput>;

  constructor(
    readonly engine: Engine,
    private readonly input: TypeInput | undefined,
  ) {
    this.config = normaliseConfig(input);
    this.recipeInterfaceImpl = applyOverride(createEmailPasswordRecipeImplementation(engine, this.config), this.config.override.functions);
    this.apiImpl = applyOverride(createEmailPasswordAPIImplementation(engine, () => this), this.config.override.apis);
    if (input?.emailDelivery?.service === undefined) {
      engine.outbox.assertAllowedFor("EmailPassword's password-reset emails", "EmailPassword.init({ emailDelivery: { service: new SMTPService({ smtpSettings }) } })");
    }
    this.emailDelivery = resolveEmailDelivery(input?.emailDelivery, outboxEmailDelivery(engine));
  }

  // --- functions behind the SDK-shaped module -------------------------------------------

  async signUp(tenantId: string, email: string, password: string, session?: SessionContainerInterface, userContext?: Record<string, unknown>) {
    return this.recipeInterfaceImpl.signUp({
      email,
      password,
      session,
      shouldTryLinkingWithSessionUser: session !== undefined,
      tenantId,
      userContext: makeUserContext(userContext),
    });
  }

  async signIn(tenantId: string, email: string, password: string, session?: SessionContainerInterface, userContext?: Record<string, unknown>) {
    return this.recipeInterfaceImpl.signIn({
      email,
      password,
      session,
      shouldTryLinkingWithSessionUser: session !== undefined,
      tenantId,
      userContext: makeUserContext(userContext),
    });
  }

  async verifyCredentials(tenantId: string, email: string, password: string, userContext?: Record<string, unknown>) {
    const result = await this.recipeInterfaceImpl.verifyCredentials({ email, password, tenantId, userContext: makeUserContext(userContext) });
    return { status: result.status };
  }

  async createResetPasswordToken(tenantId: string, userId: string, email: string, userContext?: Record<string, unknown>) {
    return this.recipeInterfaceImpl.createResetPasswordToken({ userId, email, tenantId, userContext: makeUserContext(userContext) });
  }

  async consumePasswordResetToken(tenantId: string, token: string, userContext?: Record<string, unknown>) {
    return this.recipeInterfaceImpl.consumePasswordResetToken({ token, tenantId, userContext: makeUserContext(userContext) });
  }

  async resetPasswordUsingToken(
    tenantId: string,
    token: string,
    newPassword: string,
    userContext?: Record<string, unknown>,
  ): Promise<{ status: "OK" | "UNKNOWN_USER_ID_ERROR" | "RESET_PASSWORD_INVALID_TOKEN_ERROR" } | { status: "PASSWORD_POLICY_VIOLATED_ERROR"; failureReason: string }> {
    const result = await this.resetPasswordWithToken(tenantId, token, newPassword, makeUserContext(userContext), { applyPolicy: true });
    return result.status === "OK" ? { status: "OK" } : result;
  }

  /**
   * Consumes the token and sets the password in one transaction (two concurrent uses: exactly one
   * wins), then ends every session of the user unless configured otherwise.
   */
  async resetPasswordWithToken(
    tenantId: string,
    token: string,
    newPassword: string,
    userContext: UserContext,
    options: { applyPolicy: boolean },
  ): Promise<ResetWithTokenResult> {
    if (isPasswordTooLong(newPassword)) return { status: "PASSWORD_POLICY_VIOLATED_ERROR", failureReason: PASSWORD_TOO_LONG_MESSAGE };
    if (options.applyPolicy) {
      const failureReason = await fieldById(this.config.signUpFeature.formFields, "password").validate(newPassword, tenantId, userContext);
      if (failureReason !== undefined) return { status: "PASSWORD_POLICY_VIOLATED_ERROR", failureReason };
    }
    // Validation and hashing happen before the token is touched, so a weak password never burns it.
    rememberPreparedPassword(userContext, newPassword, await this.engine.passwordHasher.hash(preparePassword(newPassword)));
    // Both steps go through the overridable functions; with the defaults, the password is set in
    // the token's transaction and the update only confirms it (see prepared-password.ts).
    const result = await this.recipeInterfaceImpl.consumePasswordResetToken({ token, tenantId, userContext });
    if (result.status !== "OK") return result;
    const updated = await this.recipeInterfaceImpl.updateEmailOrPassword({
      recipeUserId: new RecipeUserId(result.userId),
      password: newPassword,
      applyPasswordPolicy: false,
      tenantIdForPasswordPolicy: tenantId,
      userContext,
    });
    if (updated.status === "PASSWORD_POLICY_VIOLATED_ERROR") return updated;
    if (updated.status !== "OK") return { status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" };
    this.engine.emit({ type: "password-reset.used", tenantId, userId: result.userId });
    // Holding the inbox proves ownership: the sign-in throttle never locks the owner out for good.
    // The password has changed by now, so a counter store that is out of reach (Redis down) must
    // not stop the sessions being revoked: the owner then waits out the throttle at worst.
    await this.engine.limits.clearFailures({ factor: PASSWORD_FACTOR, tenantId, account: result.email }).catch((error: unknown) => {
      this.engine.log.warn(`Could not clear the sign-in failures after a password reset: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (this.input?.revokeSessionsOnPasswordReset !== false) {
      const session = this.engine.getRecipe<SessionRecipe>("session");
      await session?.recipeInterfaceImpl.revokeAllSessionsForUser({
        userId: result.userId,
        revokeSessionsForLinkedAccounts: true,
        tenantId,
        revokeAcrossAllTenants: true,
        userContext,
      });
    }
    return result;
  }

  async updateEmailOrPassword(input: {
    recipeUserId?: RecipeUserId;
    /** Older SDK signature, still accepted. */
    userId?: string;
    email?: string;
    password?: string;
    userContext?: Record<string, unknown>;
    applyPasswordPolicy?: boolean;
    tenantIdForPasswordPolicy?: string;
  }) {
    const recipeUserId = input.recipeUserId ?? (input.userId !== undefined ? new RecipeUserId(input.userId) : undefined);
    if (recipeUserId === undefined) throw new Error("updateEmailOrPassword needs recipeUserId (or, in the older signature, userId)");
    return this.recipeInterfaceImpl.updateEmailOrPassword({
      recipeUserId,
      ...(input.email !== undefined ? { email: input.email } : {}),
      ...(input.password !== undefined ? { password: input.password } : {}),
      ...(input.applyPasswordPolicy !== undefined ? { applyPasswordPolicy: input.applyPasswordPolicy } : {}),
      tenantIdForPasswordPolicy: input.tenantIdForPasswordPolicy ?? "public",
      userContext: makeUserContext(input.userContext),
    });
  }

  /** The tenant's websiteDomain (else the app's origin), unless getPasswordResetLinkOrigin says otherwise. */
  async buildResetPasswordLink(tenantId: string, token: string, userContext: UserContext): Promise<string> {
    const { appInfo } = this.engine;
    const defaultOrigin = (await this.engine.tenantSettings(tenantId, userContext)).websiteOrigin;
    const origin = (await this.input?.getPasswordResetLinkOrigin?.({ tenantId, defaultOrigin, userContext })) ?? defaultOrigin;
    return `${origin.replace(/\/+$/, "")}${appInfo.websiteBasePath}/reset-password?token=${token}&tenantId=${encodeURIComponent(tenantId)}`;
  }

  async createResetPasswordLink(tenantId: string, userId: string, email: string, userContext?: Record<string, unknown>) {
    const context = makeUserContext(userContext);
    const created = await this.recipeInterfaceImpl.createResetPasswordToken({ userId, email, tenantId, userContext: context });
    if (created.status !== "OK") return created;
    return { status: "OK" as const, link: await this.buildResetPasswordLink(tenantId, created.token, context) };
  }

  async sendResetPasswordEmail(tenantId: string, userId: string, email: string, userContext?: Record<string, unknown>) {
    const context = makeUserContext(userContext);
    const user = await this.engine.getUser(userId);
    const link = await this.createResetPasswordLink(tenantId, userId, email, context);
    if (link.status !== "OK" || user === undefined) return { status: "UNKNOWN_USER_ID_ERROR" as const };
    const recipeUserId = user.loginMethods.find((m) => m.recipeId === "emailpassword" && m.hasSameEmailAs(email))?.recipeUserId;
    await this.sendEmail({
      type: "PASSWORD_RESET",
      user: { id: user.id, recipeUserId, email: normaliseEmail(email) },
      passwordResetLink: link.link,
      tenantId,
      userContext: context,
    });
    return { status: "OK" as const };
  }

  async sendEmail(input: TypeEmailPasswordEmailDeliveryInput & { userContext?: Record<string, unknown> }): Promise<void> {
    await this.emailDelivery.sendEmail({ ...input, userContext: makeUserContext(input.userContext) });
  }

  /**
   * Portcullis extension for migrations: creates an email-password user from an existing hash
   * (argon2id, argon2i/d or bcrypt `$2a$/$2b$/$2y$`). Weaker hashes are upgraded to argon2id at the
   * user's next sign-in.
   */
  async importUserWithPasswordHash(input: { tenantId?: string; email: string; passwordHash: string; timeJoined?: number }) {
    if (!/^\$(argon2(id|i|d)\$|2[aby]\$\d\d\$)/.test(input.passwordHash)) {
      return { status: "INVALID_PASSWORD_HASH_ERROR" as const };
    }
    const result = await this.engine.storage.credentials.createUser({
      userId: this.engine.random.uuid(),
      recipeId: "emailpassword",
      tenantId: input.tenantId ?? "public",
      identifier: { email: normaliseEmail(input.email) },
      secretHash: input.passwordHash,
      timeJoined: input.timeJoined ?? this.engine.clock.now(),
    });
    if (result.status !== "OK") return { status: "EMAIL_ALREADY_EXISTS_ERROR" as const };
    return { status: "OK" as const, user: userFromStored(result.user) };
  }

  /** Older SDK function: the email-password user with this id, in the old flat shape. */
  async getUserById(userId: string) {
    const user = await this.engine.getUser(userId);
    const login = user?.loginMethods.find((m) => m.recipeId === "emailpassword");
    if (user === undefined || login === undefined || login.email === undefined) return undefined;
    return { id: user.id, email: login.email, timeJoined: login.timeJoined, tenantIds: login.tenantIds };
  }

  // --- HTTP ---------------------------------------------------------------------------------

  apiOptions(req: BaseRequest, res: BaseResponse): APIOptions {
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

  getRoutes(): RouteDefinition[] {
    const body = async (req: BaseRequest): Promise<Record<string, unknown>> => {
      const parsed: unknown = await req.getJSONBody();
      return isPlainObject(parsed) ? parsed : {};
    };
    const api = this.apiImpl;
    const routes: RouteDefinition[] = [
      this.signInOrUpRoute("/signup", api.signUpPOST, this.config.signUpFeature.formFields, body),
      this.signInOrUpRoute("/signin", api.signInPOST, this.config.signInFeature.formFields, body),
      {
        method: "get",
        path: "/emailpassword/email/exists",
        tenantScoped: true,
        disabled: api.emailExistsGET === undefined,
        handle: async ({ tenantId, req, res, userContext }) => this.answerEmailExists(tenantId, req, res, userContext),
      },
      {
        method: "get",
        path: "/signup/email/exists",
        tenantScoped: true,
        disabled: api.emailExistsGET === undefined,
        handle: async ({ tenantId, req, res, userContext }) => this.answerEmailExists(tenantId, req, res, userContext),
      },
      {
        method: "post",
        path: "/user/password/reset/token",
        tenantScoped: true,
        disabled: api.generatePasswordResetTokenPOST === undefined,
        handle: async ({ tenantId, req, res, userContext }) => {
          const formFields = await parseAndValidateFormFields(
            this.config.resetPasswordUsingTokenFeature.formFieldsForGenerateTokenForm,
            (await body(req))["formFields"],
            tenantId,
            userContext,
          );
          res.sendJSONResponse(await api.generatePasswordResetTokenPOST?.({ formFields, tenantId, options: this.apiOptions(req, res), userContext }));
        },
      },
      {
        method: "post",
        path: "/user/password/reset",
        tenantScoped: true,
        disabled: api.passwordResetPOST === undefined,
        handle: async ({ tenantId, req, res, userContext }) => {
          const requestBody = await body(req);
          const formFields = await parseAndValidateFormFields(
            this.config.resetPasswordUsingTokenFeature.formFieldsForPasswordResetForm,
            requestBody["formFields"],
            tenantId,
            userContext,
          );
          const token = requestBody["token"];
          if (token === undefined) throw badInput("Please provide the password reset token");
          if (typeof token !== "string") throw badInput("The password reset token must be a string");
          const result = await api.passwordResetPOST?.({ formFields, token, tenantId, options: this.apiOptions(req, res), userContext });
          if (result?.status === "OK") res.sendJSONResponse({ status: "OK" });
          else if (result?.status === "PASSWORD_POLICY_VIOLATED_ERROR") {
            res.sendJSONResponse({ status: "FIELD_ERROR", formFields: [{ id: "password", error: result.failureReason }] });
          } else res.sendJSONResponse(result);
        },
      },
      ...accountRoutes({
        api,
        config: this.config,
        apiOptions: (req, res) => this.apiOptions(req, res),
        session: () => this.engine.requireRecipe<SessionRecipe>("session"),
      }),
    ];
    // A tenant without "emailpassword" in its firstFactors gets none of it, password resets included.
    return routes.map((route) => (route.tenantScoped ? whenTenantAllows(this.engine, this.firstFactors, route) : route));
  }

  /** Sign-up and sign-in share their wire handling; only the API function and the form differ. */
  private signInOrUpRoute(
    path: "/signup" | "/signin",
    apiFunction: APIInterface["signUpPOST"] | APIInterface["signInPOST"],
    formFieldsConfig: NormalisedFormField[],
    body: (req: BaseRequest) => Promise<Record<string, unknown>>,
  ): RouteDefinition {
    return {
      method: "post",
      path,
      tenantScoped: true,
      disabled: apiFunction === undefined,
      handle: async ({ tenantId, req, res, userContext }) => {
        const formFields = await parseAndValidateFormFields(formFieldsConfig, (await body(req))["formFields"], tenantId, userContext);
        const result = await apiFunction?.({
          formFields,
          tenantId,
          session: undefined,
          shouldTryLinkingWithSessionUser: false,
          options: this.apiOptions(req, res),
          userContext,
        });
        if (result?.status === "OK") res.sendJSONResponse({ status: "OK", user: result.user.toJson() });
        else if (result?.status === "EMAIL_ALREADY_EXISTS_ERROR") {
          // The SDK reports a taken email on sign-up as a field error, with this exact text.
          res.sendJSONResponse({ status: "FIELD_ERROR", formFields: [{ id: "email", error: EMAIL_ALREADY_EXISTS_MESSAGE }] });
        } else res.sendJSONResponse(result);
      },
    };
  }

  private async answerEmailExists(tenantId: string, req: BaseRequest, res: BaseResponse, userContext: UserContext): Promise<void> {
    const email = req.getKeyValueFromQuery("email");
    if (email === undefined) throw badInput("Please provide the email as a GET param");
    res.sendJSONResponse(await this.apiImpl.emailExistsGET?.({ email: email.trim(), tenantId, options: this.apiOptions(req, res), userContext }));
  }

  async handleError(error: PortcullisError, _req: BaseRequest, res: BaseResponse): Promise<boolean> {
    if (error.fromRecipe !== EMAILPASSWORD_RECIPE_ID || error.type !== EmailPasswordError.FIELD_ERROR) return false;
    res.sendJSONResponse({ status: "FIELD_ERROR", formFields: error.payload });
    return true;
  }
}

export function initEmailPassword(config?: TypeInput): (engine: Engine) => EmailPasswordRecipe {
  return (engine) => new EmailPasswordRecipe(engine, config);
}
