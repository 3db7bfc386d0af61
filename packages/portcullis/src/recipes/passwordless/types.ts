import type { OverrideableBuilder } from "../../core/override.js";
import type { RecipeUserId } from "../../core/recipe-user-id.js";
import type { UserContext } from "../../core/user-context.js";
import type { User } from "../../core/user.js";
import type { GeneralErrorResponse } from "../../core/general-error.js";
import type { BaseRequest } from "../../http/base-request.js";
import type { BaseResponse } from "../../http/base-response.js";
import type { NormalisedAppInfo } from "../../engine/app-info.js";
import type { EmailDeliveryInterface, EmailDeliveryTypeInput } from "../../delivery/email-delivery.js";
import type { SmsDeliveryInterface, SmsDeliveryTypeInput } from "../../delivery/sms/sms-delivery.js";
import type { PasswordlessLoginSmsInput } from "../../delivery/templates/passwordless-login-sms.js";
import type { SessionContainerInterface } from "../session/types.js";

export type ContactMethod = "EMAIL" | "PHONE" | "EMAIL_OR_PHONE";
export type FlowType = "USER_INPUT_CODE" | "MAGIC_LINK" | "USER_INPUT_CODE_AND_MAGIC_LINK";

/** What `sendEmail` receives: SuperTokens' `TypePasswordlessEmailDeliveryInput`. */
export type TypePasswordlessEmailDeliveryInput = {
  type: "PASSWORDLESS_LOGIN";
  isFirstFactor: boolean;
  email: string;
  userInputCode?: string | undefined;
  urlWithLinkCode?: string | undefined;
  /** Milliseconds. */
  codeLifetime: number;
  preAuthSessionId: string;
  tenantId: string;
};

export type TypePasswordlessSmsDeliveryInput = PasswordlessLoginSmsInput;

/** A validator answers an error message, or undefined when the value is fine. */
export type ContactValidator = (value: string, tenantId: string) => Promise<string | undefined> | string | undefined;

export type TypeInput = {
  /** Default "EMAIL": email needs no SMS provider. */
  contactMethod?: ContactMethod;
  /** Default "USER_INPUT_CODE_AND_MAGIC_LINK": the message carries a code and a link, and either signs in. */
  flowType?: FlowType;
  validateEmailAddress?: ContactValidator;
  validatePhoneNumber?: ContactValidator;
  /** Replaces the 6 random digits. Whatever it returns must be hard to guess: only 5 tries are allowed per attempt. */
  getCustomUserInputCode?: (tenantId: string, userContext: UserContext) => Promise<string> | string;
  emailDelivery?: EmailDeliveryTypeInput<TypePasswordlessEmailDeliveryInput>;
  smsDelivery?: SmsDeliveryTypeInput<TypePasswordlessSmsDeliveryInput>;
  override?: {
    functions?: (originalImplementation: RecipeInterface, builder: OverrideableBuilder<RecipeInterface>) => RecipeInterface;
    apis?: (originalImplementation: APIInterface, builder: OverrideableBuilder<APIInterface>) => APIInterface;
  };
};

export type TypeNormalisedInput = {
  contactMethod: ContactMethod;
  flowType: FlowType;
  validateEmailAddress: (value: string, tenantId: string) => Promise<string | undefined>;
  validatePhoneNumber: (value: string, tenantId: string) => Promise<string | undefined>;
  getCustomUserInputCode: ((tenantId: string, userContext: UserContext) => Promise<string> | string) | undefined;
};

/** The contact a code goes to: exactly one of an email or an E.164 phone number. */
export type Contact = { email: string; phoneNumber?: undefined } | { phoneNumber: string; email?: undefined };

/**
 * The contact as the SDK types createCodePOST's input: each member names only its own key, so an
 * override's `if ("email" in input)` narrows to `input.email: string` (with Contact's optional
 * `email?: undefined` on the phone member, `in` keeps both members and gives `string | undefined`).
 */
export type ApiContact = { email: string } | { phoneNumber: string };

export type DeviceType = {
  preAuthSessionId: string;
  failedCodeInputAttemptCount: number;
  email?: string;
  phoneNumber?: string;
  codes: { codeId: string; timeCreated: number; codeLifetime: number }[];
};

export type CreateCodeResult = {
  status: "OK";
  preAuthSessionId: string;
  codeId: string;
  deviceId: string;
  userInputCode: string;
  linkCode: string;
  codeLifetime: number;
  timeCreated: number;
};

export type ConsumedDevice = {
  preAuthSessionId: string;
  failedCodeInputAttemptCount: number;
  email?: string;
  phoneNumber?: string;
};

export type CodeFailure =
  | { status: "INCORRECT_USER_INPUT_CODE_ERROR" | "EXPIRED_USER_INPUT_CODE_ERROR"; failedCodeInputAttemptCount: number; maximumCodeInputAttempts: number }
  | { status: "RESTART_FLOW_ERROR" };

/** Either the code the user typed with the device it belongs to, or the code of a magic link. */
export type CodeInput =
  | { preAuthSessionId: string; userInputCode: string; deviceId: string; linkCode?: undefined }
  | { preAuthSessionId: string; linkCode: string; userInputCode?: undefined; deviceId?: undefined };

export type ConsumeCodeResult =
  | { status: "OK"; consumedDevice: ConsumedDevice; createdNewRecipeUser: boolean; user: User; recipeUserId: RecipeUserId }
  | CodeFailure
  | { status: "LINKING_TO_SESSION_USER_FAILED"; reason: "EMAIL_VERIFICATION_REQUIRED" | "RECIPE_USER_ID_ALREADY_LINKED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR" | "ACCOUNT_INFO_ALREADY_ASSOCIATED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR" | "SESSION_USER_ACCOUNT_INFO_ALREADY_ASSOCIATED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR" };

export type RecipeInterface = {
  createCode(
    input: Contact & {
      userInputCode?: string | undefined;
      session: SessionContainerInterface | undefined;
      shouldTryLinkingWithSessionUser: boolean | undefined;
      tenantId: string;
      userContext: UserContext;
      /** Portcullis extension: milliseconds this code lives instead of `core.passwordlessCodeLifetime` (invitations last days). */
      codeLifetime?: number | undefined;
    },
  ): Promise<CreateCodeResult>;
  createNewCodeForDevice(input: {
    deviceId: string;
    userInputCode?: string | undefined;
    tenantId: string;
    userContext: UserContext;
  }): Promise<CreateCodeResult | { status: "RESTART_FLOW_ERROR" } | { status: "USER_INPUT_CODE_ALREADY_USED_ERROR" }>;
  consumeCode(
    input: CodeInput & { session: SessionContainerInterface | undefined; shouldTryLinkingWithSessionUser: boolean | undefined; tenantId: string; userContext: UserContext },
  ): Promise<ConsumeCodeResult>;
  checkCode(input: CodeInput & { tenantId: string; userContext: UserContext }): Promise<{ status: "OK"; consumedDevice: ConsumedDevice } | CodeFailure>;
  updateUser(input: {
    recipeUserId: RecipeUserId;
    email?: string | null | undefined;
    phoneNumber?: string | null | undefined;
    userContext: UserContext;
  }): Promise<
    | { status: "OK" | "UNKNOWN_USER_ID_ERROR" | "EMAIL_ALREADY_EXISTS_ERROR" | "PHONE_NUMBER_ALREADY_EXISTS_ERROR" }
    | { status: "EMAIL_CHANGE_NOT_ALLOWED_ERROR" | "PHONE_NUMBER_CHANGE_NOT_ALLOWED_ERROR"; reason: string }
  >;
  revokeAllCodes(input: Contact & { tenantId: string; userContext: UserContext }): Promise<{ status: "OK" }>;
  revokeCode(
    input: ({ codeId: string; preAuthSessionId?: undefined } | { preAuthSessionId: string; codeId?: undefined }) & { tenantId: string; userContext: UserContext },
  ): Promise<{ status: "OK" }>;
  listCodesByEmail(input: { email: string; tenantId: string; userContext: UserContext }): Promise<DeviceType[]>;
  listCodesByPhoneNumber(input: { phoneNumber: string; tenantId: string; userContext: UserContext }): Promise<DeviceType[]>;
  listCodesByDeviceId(input: { deviceId: string; tenantId: string; userContext: UserContext }): Promise<DeviceType | undefined>;
  listCodesByPreAuthSessionId(input: { preAuthSessionId: string; tenantId: string; userContext: UserContext }): Promise<DeviceType | undefined>;
};

export type APIOptions = {
  recipeImplementation: RecipeInterface;
  appInfo: NormalisedAppInfo;
  config: TypeNormalisedInput;
  recipeId: string;
  isInServerlessEnv: boolean;
  req: BaseRequest;
  res: BaseResponse;
  emailDelivery: { ingredientInterfaceImpl: EmailDeliveryInterface<TypePasswordlessEmailDeliveryInput> };
  smsDelivery: { ingredientInterfaceImpl: SmsDeliveryInterface<TypePasswordlessSmsDeliveryInput> };
};

type SignInUpNotAllowed = { status: "SIGN_IN_UP_NOT_ALLOWED"; reason: string };

export type APIInterface = {
  createCodePOST:
    | undefined
    | ((
        input: ApiContact & {
          tenantId: string;
          session: SessionContainerInterface | undefined;
          shouldTryLinkingWithSessionUser: boolean | undefined;
          options: APIOptions;
          userContext: UserContext;
        },
      ) => Promise<{ status: "OK"; deviceId: string; preAuthSessionId: string; flowType: FlowType } | SignInUpNotAllowed | GeneralErrorResponse>);
  resendCodePOST:
    | undefined
    | ((input: {
        deviceId: string;
        preAuthSessionId: string;
        tenantId: string;
        session: SessionContainerInterface | undefined;
        shouldTryLinkingWithSessionUser: boolean | undefined;
        options: APIOptions;
        userContext: UserContext;
      }) => Promise<{ status: "OK" | "RESTART_FLOW_ERROR" } | GeneralErrorResponse>);
  consumeCodePOST:
    | undefined
    | ((
        input: CodeInput & {
          tenantId: string;
          session: SessionContainerInterface | undefined;
          shouldTryLinkingWithSessionUser: boolean | undefined;
          options: APIOptions;
          userContext: UserContext;
        },
      ) => Promise<
        | { status: "OK"; createdNewRecipeUser: boolean; user: User; session: SessionContainerInterface }
        | CodeFailure
        | SignInUpNotAllowed
        | GeneralErrorResponse
      >);
  emailExistsGET:
    | undefined
    | ((input: { email: string; tenantId: string; options: APIOptions; userContext: UserContext }) => Promise<{ status: "OK"; exists: boolean } | GeneralErrorResponse>);
  phoneNumberExistsGET:
    | undefined
    | ((input: { phoneNumber: string; tenantId: string; options: APIOptions; userContext: UserContext }) => Promise<{ status: "OK"; exists: boolean } | GeneralErrorResponse>);
};
