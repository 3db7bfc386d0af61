import type { OverrideableBuilder } from "../../core/override.js";
import type { RecipeUserId } from "../../core/recipe-user-id.js";
import type { UserContext } from "../../core/user-context.js";
import type { User } from "../../core/user.js";
import type { GeneralErrorResponse } from "../../core/general-error.js";
import type { BaseRequest } from "../../http/base-request.js";
import type { BaseResponse } from "../../http/base-response.js";
import type { NormalisedAppInfo } from "../../engine/app-info.js";
import type { SmsDeliveryInterface, SmsDeliveryTypeInput } from "../../delivery/sms/sms-delivery.js";
import type { PhonePasswordSmsInput } from "../../delivery/templates/phonepassword-sms.js";
import type { SessionContainerInterface } from "../session/types.js";

export type TypePhonePasswordSmsDeliveryInput = PhonePasswordSmsInput;

/** A validator answers an error message, or undefined when the value is fine. */
export type Validator = (value: string, tenantId: string) => Promise<string | undefined> | string | undefined;

export type TypeInput = {
  /** Sign-up only (sign-in must keep accepting old numbers). Runs after the built-in E.164 check, which it cannot loosen. */
  validatePhoneNumber?: Validator;
  /** Password policy for sign-up, reset and change. Default: emailpassword's (8+ characters, a letter and a number). */
  validatePassword?: Validator;
  /** Milliseconds an SMS code stays valid. Default and maximum 600000 (10 min). */
  codeLifetime?: number;
  /** Wrong codes one code may see before it is void. Default and maximum 5. */
  maxCodeInputAttempts?: number;
  smsDelivery?: SmsDeliveryTypeInput<TypePhonePasswordSmsDeliveryInput>;
  override?: {
    functions?: (originalImplementation: RecipeInterface, builder: OverrideableBuilder<RecipeInterface>) => RecipeInterface;
    apis?: (originalImplementation: APIInterface, builder: OverrideableBuilder<APIInterface>) => APIInterface;
  };
};

export type TypeNormalisedInput = {
  validatePhoneNumber: (value: string, tenantId: string) => Promise<string | undefined>;
  validatePassword: (value: string, tenantId: string) => Promise<string | undefined>;
  codeLifetime: number;
  maxCodeInputAttempts: number;
};

type SignInOk = { status: "OK"; user: User; recipeUserId: RecipeUserId };
export type CodeFailure =
  | { status: "INCORRECT_CODE_ERROR" | "EXPIRED_CODE_ERROR"; failedCodeInputAttemptCount: number; maximumCodeInputAttempts: number }
  | { status: "RESTART_FLOW_ERROR" };
export type PolicyViolation = { status: "PASSWORD_POLICY_VIOLATED_ERROR"; failureReason: string };

export type RecipeInterface = {
  signUp(input: { phoneNumber: string; password: string; tenantId: string; userContext: UserContext }): Promise<
    SignInOk | { status: "PHONE_NUMBER_ALREADY_EXISTS_ERROR" }
  >;
  signIn(input: { phoneNumber: string; password: string; tenantId: string; userContext: UserContext }): Promise<SignInOk | { status: "WRONG_CREDENTIALS_ERROR" }>;
  verifyCredentials(input: { phoneNumber: string; password: string; tenantId: string; userContext: UserContext }): Promise<
    SignInOk | { status: "WRONG_CREDENTIALS_ERROR" }
  >;
  /** A new verification code for the user's phone number (replacing any earlier one); not sent. */
  createPhoneVerificationCode(input: { recipeUserId: RecipeUserId; tenantId: string; userContext: UserContext }): Promise<
    | { status: "OK"; code: string; phoneNumber: string; codeLifetime: number }
    | { status: "PHONE_ALREADY_VERIFIED_ERROR" }
    | { status: "UNKNOWN_USER_ID_ERROR" }
  >;
  /** Uses a verification code of this number: the number's owner is then verified. */
  verifyPhoneNumber(input: { phoneNumber: string; code: string; tenantId: string; userContext: UserContext }): Promise<
    { status: "OK"; recipeUserId: RecipeUserId; phoneNumber: string } | CodeFailure
  >;
  isPhoneNumberVerified(input: { recipeUserId: RecipeUserId; userContext: UserContext }): Promise<boolean>;
  /** A new reset code for the account with this number (replacing any earlier one); only a verified number gets one. Not sent. */
  createResetPasswordCode(input: { phoneNumber: string; tenantId: string; userContext: UserContext }): Promise<
    | { status: "OK"; code: string; userId: string; phoneNumber: string; codeLifetime: number }
    | { status: "UNKNOWN_PHONE_NUMBER_ERROR" }
    | { status: "PHONE_NOT_VERIFIED_ERROR" }
  >;
  /** Uses a reset code and sets the new password in the same transaction (of two concurrent uses one wins). */
  resetPasswordUsingCode(input: { phoneNumber: string; code: string; newPassword: string; tenantId: string; userContext: UserContext }): Promise<
    { status: "OK"; userId: string; phoneNumber: string } | CodeFailure | PolicyViolation
  >;
  updatePhoneNumberOrPassword(input: {
    recipeUserId: RecipeUserId;
    phoneNumber?: string;
    password?: string;
    applyPasswordPolicy?: boolean;
    tenantIdForPasswordPolicy: string;
    userContext: UserContext;
  }): Promise<
    | { status: "OK" | "UNKNOWN_USER_ID_ERROR" | "PHONE_NUMBER_ALREADY_EXISTS_ERROR" }
    | { status: "PHONE_NUMBER_CHANGE_NOT_ALLOWED_ERROR"; reason: string }
    | PolicyViolation
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
  smsDelivery: { ingredientInterfaceImpl: SmsDeliveryInterface<TypePhonePasswordSmsDeliveryInput> };
};

type FormFieldsInput = { id: string; value: unknown }[];
type Input = { tenantId: string; options: APIOptions; userContext: UserContext };
type SessionInput = Input & { session: SessionContainerInterface };

export type APIInterface = {
  signUpPOST:
    | undefined
    | ((input: Input & { formFields: FormFieldsInput }) => Promise<
        { status: "OK"; user: User; session: SessionContainerInterface } | { status: "PHONE_NUMBER_ALREADY_EXISTS_ERROR" } | GeneralErrorResponse
      >);
  signInPOST:
    | undefined
    | ((input: Input & { formFields: FormFieldsInput }) => Promise<
        { status: "OK"; user: User; session: SessionContainerInterface } | { status: "WRONG_CREDENTIALS_ERROR" } | GeneralErrorResponse
      >);
  phoneNumberExistsGET: undefined | ((input: Input & { phoneNumber: string }) => Promise<{ status: "OK"; exists: boolean } | GeneralErrorResponse>);
  generatePhoneVerificationCodePOST:
    | undefined
    | ((input: SessionInput) => Promise<{ status: "OK" } | { status: "PHONE_ALREADY_VERIFIED_ERROR" } | GeneralErrorResponse>);
  verifyPhoneNumberPOST: undefined | ((input: SessionInput & { code: string }) => Promise<{ status: "OK" } | CodeFailure | GeneralErrorResponse>);
  generatePasswordResetCodePOST:
    | undefined
    | ((input: Input & { phoneNumber: string }) => Promise<{ status: "OK" } | { status: "PHONE_NOT_VERIFIED_ERROR"; message: string } | GeneralErrorResponse>);
  passwordResetPOST:
    | undefined
    | ((input: Input & { phoneNumber: string; code: string; newPassword: string }) => Promise<
        { status: "OK" } | CodeFailure | PolicyViolation | GeneralErrorResponse
      >);
  passwordChangePOST:
    | undefined
    | ((input: SessionInput & { oldPassword: string; newPassword: string }) => Promise<
        { status: "OK" } | { status: "WRONG_CREDENTIALS_ERROR" } | PolicyViolation | GeneralErrorResponse
      >);
};
