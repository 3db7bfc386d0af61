import type { OverrideableBuilder } from "../../core/override.js";
import type { RecipeUserId } from "../../core/recipe-user-id.js";
import type { UserContext } from "../../core/user-context.js";
import type { User } from "../../core/user.js";
import type { GeneralErrorResponse } from "../../core/general-error.js";
import type { BaseRequest } from "../../http/base-request.js";
import type { BaseResponse } from "../../http/base-response.js";
import type { NormalisedAppInfo } from "../../engine/app-info.js";
import type { EmailDeliveryInterface, EmailDeliveryTypeInput } from "../../delivery/email-delivery.js";
import type { SessionContainerInterface } from "../session/types.js";
import type { RedirectAllowList } from "./redirect-urls.js";

export type TypeInputFormField = {
  id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK
  validate?: (value: any, tenantId: string, userContext: UserContext) => Promise<string | undefined>;
  optional?: boolean;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK
export type TypeFormField = { id: string; value: any };

export type TypeInputSignUp = { formFields?: TypeInputFormField[] };

export type NormalisedFormField = {
  id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the SDK
  validate: (value: any, tenantId: string, userContext: UserContext) => Promise<string | undefined>;
  optional: boolean;
};

export type TypeEmailPasswordPasswordResetEmailDeliveryInput = {
  type: "PASSWORD_RESET";
  user: { id: string; recipeUserId: RecipeUserId | undefined; email: string };
  passwordResetLink: string;
  tenantId: string;
};
export type TypeEmailPasswordEmailDeliveryInput = TypeEmailPasswordPasswordResetEmailDeliveryInput;

export type TypeInput = {
  signUpFeature?: TypeInputSignUp;
  emailDelivery?: EmailDeliveryTypeInput<TypeEmailPasswordEmailDeliveryInput>;
  override?: {
    functions?: (originalImplementation: RecipeInterface, builder: OverrideableBuilder<RecipeInterface>) => RecipeInterface;
    apis?: (originalImplementation: APIInterface, builder: OverrideableBuilder<APIInterface>) => APIInterface;
  };
  /**
   * Portcullis extension: the origin of reset links, per tenant (e.g. `https://acme.example.com`).
   * Defaults to appInfo.origin / websiteDomain.
   */
  getPasswordResetLinkOrigin?: (input: { tenantId: string; defaultOrigin: string; userContext: UserContext }) => string | Promise<string>;
  /** Portcullis extension: revoke every session of the user after a password reset (default true). */
  revokeSessionsOnPasswordReset?: boolean;
  /** Portcullis extension: a new reset token invalidates the user's earlier ones (default true), so only the latest email works. */
  revokeOlderResetTokens?: boolean;
  /**
   * Portcullis extension: reset by an emailed link that goes through the API and on to one of your
   * pages (POST /user/password/reset/email). Only these URLs may be redirected to, matched exactly
   * (scheme, host, port, path); entries are absolute http(s) URLs without query or fragment.
   */
  resetPasswordRedirect?: { allowedRedirectURLs: string[] };
};

export type TypeNormalisedInput = {
  signUpFeature: { formFields: NormalisedFormField[] };
  signInFeature: { formFields: NormalisedFormField[] };
  resetPasswordUsingTokenFeature: {
    formFieldsForGenerateTokenForm: NormalisedFormField[];
    formFieldsForPasswordResetForm: NormalisedFormField[];
  };
  revokeOlderResetTokens: boolean;
  resetPasswordRedirect: RedirectAllowList;
  override: {
    functions: (originalImplementation: RecipeInterface, builder: OverrideableBuilder<RecipeInterface>) => RecipeInterface;
    apis: (originalImplementation: APIInterface, builder: OverrideableBuilder<APIInterface>) => APIInterface;
  };
};

export type LinkingFailure = {
  status: "LINKING_TO_SESSION_USER_FAILED";
  reason:
    | "EMAIL_VERIFICATION_REQUIRED"
    | "RECIPE_USER_ID_ALREADY_LINKED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR"
    | "ACCOUNT_INFO_ALREADY_ASSOCIATED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR"
    | "SESSION_USER_ACCOUNT_INFO_ALREADY_ASSOCIATED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR";
};

export type RecipeInterface = {
  signUp(input: {
    email: string;
    password: string;
    session: SessionContainerInterface | undefined;
    shouldTryLinkingWithSessionUser: boolean | undefined;
    tenantId: string;
    userContext: UserContext;
  }): Promise<{ status: "OK"; user: User; recipeUserId: RecipeUserId } | { status: "EMAIL_ALREADY_EXISTS_ERROR" } | LinkingFailure>;
  createNewRecipeUser(input: {
    email: string;
    password: string;
    tenantId: string;
    userContext: UserContext;
  }): Promise<{ status: "OK"; user: User; recipeUserId: RecipeUserId } | { status: "EMAIL_ALREADY_EXISTS_ERROR" }>;
  signIn(input: {
    email: string;
    password: string;
    session: SessionContainerInterface | undefined;
    shouldTryLinkingWithSessionUser: boolean | undefined;
    tenantId: string;
    userContext: UserContext;
  }): Promise<{ status: "OK"; user: User; recipeUserId: RecipeUserId } | { status: "WRONG_CREDENTIALS_ERROR" } | LinkingFailure>;
  verifyCredentials(input: {
    email: string;
    password: string;
    tenantId: string;
    userContext: UserContext;
  }): Promise<{ status: "OK"; user: User; recipeUserId: RecipeUserId } | { status: "WRONG_CREDENTIALS_ERROR" }>;
  createResetPasswordToken(input: {
    userId: string;
    email: string;
    tenantId: string;
    userContext: UserContext;
  }): Promise<{ status: "OK"; token: string } | { status: "UNKNOWN_USER_ID_ERROR" }>;
  /**
   * POST /user/password/reset calls this, then updateEmailOrPassword with the new password. They
   * form one transaction: the default implementation here already sets the new password (prepared
   * by the reset, passed on the userContext) in the token's transaction, and the default
   * updateEmailOrPassword reuses that hash. An override that does not call the original loses that
   * atomicity; the password is then set by updateEmailOrPassword alone.
   */
  consumePasswordResetToken(input: {
    token: string;
    tenantId: string;
    userContext: UserContext;
  }): Promise<{ status: "OK"; email: string; userId: string } | { status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" }>;
  updateEmailOrPassword(input: {
    recipeUserId: RecipeUserId;
    email?: string;
    password?: string;
    userContext: UserContext;
    applyPasswordPolicy?: boolean;
    tenantIdForPasswordPolicy: string;
  }): Promise<
    | { status: "OK" | "UNKNOWN_USER_ID_ERROR" | "EMAIL_ALREADY_EXISTS_ERROR" }
    | { status: "EMAIL_CHANGE_NOT_ALLOWED_ERROR"; reason: string }
    | { status: "PASSWORD_POLICY_VIOLATED_ERROR"; failureReason: string }
  >;
};

export type APIOptions = {
  recipeImplementation: RecipeInterface;
  appInfo: NormalisedAppInfo;
  config: TypeNormalisedInput;
  recipeId: string;
  isInServerlessEnv: boolean;
  req: BaseRequest;
  res: BaseResponse;
  emailDelivery: { ingredientInterfaceImpl: EmailDeliveryInterface<TypeEmailPasswordEmailDeliveryInput> };
};

type FormFieldsInput = { id: string; value: unknown }[];

export type APIInterface = {
  emailExistsGET:
    | undefined
    | ((input: { email: string; tenantId: string; options: APIOptions; userContext: UserContext }) => Promise<
        { status: "OK"; exists: boolean } | GeneralErrorResponse
      >);
  generatePasswordResetTokenPOST:
    | undefined
    | ((input: { formFields: FormFieldsInput; tenantId: string; options: APIOptions; userContext: UserContext }) => Promise<
        { status: "OK" } | { status: "PASSWORD_RESET_NOT_ALLOWED"; reason: string } | GeneralErrorResponse
      >);
  passwordResetPOST:
    | undefined
    | ((input: { formFields: FormFieldsInput; token: string; tenantId: string; options: APIOptions; userContext: UserContext }) => Promise<
        | { status: "OK"; email: string; user: User }
        | { status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" }
        | { status: "PASSWORD_POLICY_VIOLATED_ERROR"; failureReason: string }
        | GeneralErrorResponse
      >);
  /**
   * Portcullis extension (seed 001): emails a link to GET /user/password/reset/redirect, which
   * sends the user on to `redirectURL` with the token. Needs the email verification recipe and a
   * verified email.
   */
  passwordResetEmailPOST:
    | undefined
    | ((input: { email: string; redirectURL: string; tenantId: string; options: APIOptions; userContext: UserContext }) => Promise<
        | { status: "OK" }
        | { status: "INVALID_REDIRECT_URL_ERROR"; message: string }
        | { status: "EMAIL_VERIFICATION_NOT_ENABLED_ERROR"; message: string }
        | { status: "EMAIL_NOT_VERIFIED_ERROR"; message: string }
        | GeneralErrorResponse
      >);
  /**
   * Portcullis extension: where the emailed link lands. Checks the token without using it and
   * answers where to redirect (`location`); INVALID_REDIRECT_URL_ERROR is answered 400.
   */
  passwordResetRedirectGET:
    | undefined
    | ((input: { token: string; redirectURL: string; tenantId: string; options: APIOptions; userContext: UserContext }) => Promise<
        { status: "OK"; location: string } | { status: "INVALID_REDIRECT_URL_ERROR"; message: string }
      >);
  /** Portcullis extension: a signed-in email-password user changes their password; every session of theirs ends. */
  passwordChangePOST:
    | undefined
    | ((input: {
        oldPassword: string;
        newPassword: string;
        session: SessionContainerInterface;
        tenantId: string;
        options: APIOptions;
        userContext: UserContext;
      }) => Promise<
        | { status: "OK" }
        | { status: "WRONG_CREDENTIALS_ERROR" }
        | { status: "PASSWORD_POLICY_VIOLATED_ERROR"; failureReason: string }
        | GeneralErrorResponse
      >);
  signInPOST:
    | undefined
    | ((input: {
        formFields: FormFieldsInput;
        tenantId: string;
        session: SessionContainerInterface | undefined;
        shouldTryLinkingWithSessionUser: boolean | undefined;
        options: APIOptions;
        userContext: UserContext;
      }) => Promise<
        | { status: "OK"; user: User; session: SessionContainerInterface }
        | { status: "SIGN_IN_NOT_ALLOWED"; reason: string }
        | { status: "WRONG_CREDENTIALS_ERROR" }
        | GeneralErrorResponse
      >);
  signUpPOST:
    | undefined
    | ((input: {
        formFields: FormFieldsInput;
        tenantId: string;
        session: SessionContainerInterface | undefined;
        shouldTryLinkingWithSessionUser: boolean | undefined;
        options: APIOptions;
        userContext: UserContext;
      }) => Promise<
        | { status: "OK"; user: User; session: SessionContainerInterface }
        | { status: "SIGN_UP_NOT_ALLOWED"; reason: string }
        | { status: "EMAIL_ALREADY_EXISTS_ERROR" }
        | GeneralErrorResponse
      >);
};
