import type { OverrideableBuilder } from "../../core/override.js";
import type { RecipeUserId } from "../../core/recipe-user-id.js";
import type { UserContext } from "../../core/user-context.js";
import type { GeneralErrorResponse } from "../../core/general-error.js";
import type { BaseRequest } from "../../http/base-request.js";
import type { BaseResponse } from "../../http/base-response.js";
import type { NormalisedAppInfo } from "../../engine/app-info.js";
import type { EmailDeliveryInterface, EmailDeliveryTypeInput } from "../../delivery/email-delivery.js";
import type { SessionContainerInterface } from "../session/types.js";

export type EmailVerificationMode = "REQUIRED" | "OPTIONAL";

export type UserEmailInfo = { recipeUserId: RecipeUserId; email: string };

export type TypeEmailVerificationEmailDeliveryInput = {
  type: "EMAIL_VERIFICATION";
  user: { id: string; recipeUserId: RecipeUserId; email: string };
  emailVerifyLink: string;
  tenantId: string;
};

export type GetEmailForRecipeUserIdResult =
  | { status: "OK"; email: string }
  | { status: "EMAIL_DOES_NOT_EXIST_ERROR" }
  | { status: "UNKNOWN_USER_ID_ERROR" };

export type TypeInput = {
  mode: EmailVerificationMode;
  emailDelivery?: EmailDeliveryTypeInput<TypeEmailVerificationEmailDeliveryInput>;
  /** Where the email of a login method comes from; UNKNOWN_USER_ID_ERROR falls back to the stored login method. */
  getEmailForRecipeUserId?: (recipeUserId: RecipeUserId, userContext: UserContext) => Promise<GetEmailForRecipeUserIdResult>;
  override?: {
    functions?: (originalImplementation: RecipeInterface, builder: OverrideableBuilder<RecipeInterface>) => RecipeInterface;
    apis?: (originalImplementation: APIInterface, builder: OverrideableBuilder<APIInterface>) => APIInterface;
  };
};

export type TypeNormalisedInput = {
  mode: EmailVerificationMode;
  getEmailForRecipeUserId: TypeInput["getEmailForRecipeUserId"];
};

export type RecipeInterface = {
  createEmailVerificationToken(input: {
    recipeUserId: RecipeUserId;
    email: string;
    tenantId: string;
    userContext: UserContext;
  }): Promise<{ status: "OK"; token: string } | { status: "EMAIL_ALREADY_VERIFIED_ERROR" }>;
  verifyEmailUsingToken(input: {
    token: string;
    attemptAccountLinking: boolean;
    tenantId: string;
    userContext: UserContext;
  }): Promise<{ status: "OK"; user: UserEmailInfo } | { status: "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR" }>;
  isEmailVerified(input: { recipeUserId: RecipeUserId; email: string; userContext: UserContext }): Promise<boolean>;
  revokeEmailVerificationTokens(input: {
    recipeUserId: RecipeUserId;
    email: string;
    tenantId: string;
    userContext: UserContext;
  }): Promise<{ status: "OK" }>;
  unverifyEmail(input: { recipeUserId: RecipeUserId; email: string; userContext: UserContext }): Promise<{ status: "OK" }>;
};

export type APIOptions = {
  recipeImplementation: RecipeInterface;
  appInfo: NormalisedAppInfo;
  config: TypeNormalisedInput;
  recipeId: string;
  isInServerlessEnv: boolean;
  req: BaseRequest;
  res: BaseResponse;
  emailDelivery: { ingredientInterfaceImpl: EmailDeliveryInterface<TypeEmailVerificationEmailDeliveryInput> };
};

export type APIInterface = {
  verifyEmailPOST:
    | undefined
    | ((input: {
        token: string;
        tenantId: string;
        options: APIOptions;
        session: SessionContainerInterface | undefined;
        userContext: UserContext;
      }) => Promise<
        | { status: "OK"; user: UserEmailInfo; newSession?: SessionContainerInterface }
        | { status: "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR" }
        | GeneralErrorResponse
      >);
  isEmailVerifiedGET:
    | undefined
    | ((input: { options: APIOptions; session: SessionContainerInterface; userContext: UserContext }) => Promise<
        { status: "OK"; isVerified: boolean; newSession?: SessionContainerInterface } | GeneralErrorResponse
      >);
  generateEmailVerifyTokenPOST:
    | undefined
    | ((input: { options: APIOptions; session: SessionContainerInterface; userContext: UserContext }) => Promise<
        { status: "OK" | "EMAIL_ALREADY_VERIFIED_ERROR"; newSession?: SessionContainerInterface } | GeneralErrorResponse
      >);
};
