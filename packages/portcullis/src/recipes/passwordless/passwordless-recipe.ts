import { badInput } from "../../core/errors.js";
import { isPlainObject } from "../../core/json.js";
import { emailProblem, hasControlCharacter, isValidPhoneNumber, normalisePhoneNumber } from "../../core/normalise.js";
import { applyOverride } from "../../core/override.js";
import { makeUserContext, type UserContext } from "../../core/user-context.js";
import { resolveEmailDelivery, type EmailDeliveryInterface } from "../../delivery/email-delivery.js";
import { resolveSmsDelivery, type SmsDeliveryInterface } from "../../delivery/sms/sms-delivery.js";
import { allowsAnyFirstFactor, loginMethodDisabledResponse, whenTenantAllows } from "../../engine/tenant-settings.js";
import type { Engine, RecipeModule, RouteDefinition, RouteInput } from "../../engine/types.js";
import type { BaseRequest } from "../../http/base-request.js";
import type { BaseResponse } from "../../http/base-response.js";
import { defaultEmailValidator } from "../emailpassword/validators.js";
import { createPasswordlessAPIImplementation } from "./api-implementation.js";
import { outboxLoginEmailDelivery, outboxLoginSmsDelivery } from "./delivery.js";
import { createPasswordlessRecipeImplementation } from "./recipe-implementation.js";
import type {
  APIInterface,
  APIOptions,
  Contact,
  ContactMethod,
  CreateCodeResult,
  FlowType,
  RecipeInterface,
  TypeInput,
  TypeNormalisedInput,
  TypePasswordlessEmailDeliveryInput,
  TypePasswordlessSmsDeliveryInput,
} from "./types.js";

export const PASSWORDLESS_RECIPE_ID = "passwordless";
const CONTACT_METHODS: readonly ContactMethod[] = ["EMAIL", "PHONE", "EMAIL_OR_PHONE"];
const FLOW_TYPES: readonly FlowType[] = ["USER_INPUT_CODE", "MAGIC_LINK", "USER_INPUT_CODE_AND_MAGIC_LINK"];
/** The defaults when init() names neither (the SDK requires both): email needs no SMS provider, and the message carries a code and a link. */
export const DEFAULT_CONTACT_METHOD: ContactMethod = "EMAIL";
export const DEFAULT_FLOW_TYPE: FlowType = "USER_INPUT_CODE_AND_MAGIC_LINK";

function normaliseConfig(input: TypeInput | undefined): TypeNormalisedInput {
  const contactMethod = input?.contactMethod ?? DEFAULT_CONTACT_METHOD;
  const flowType = input?.flowType ?? DEFAULT_FLOW_TYPE;
  if (!CONTACT_METHODS.includes(contactMethod)) throw new Error(`Passwordless contactMethod must be one of ${CONTACT_METHODS.join(", ")}, got ${String(contactMethod)}`);
  if (!FLOW_TYPES.includes(flowType)) throw new Error(`Passwordless flowType must be one of ${FLOW_TYPES.join(", ")}, got ${String(flowType)}`);
  const emailValidator = input?.validateEmailAddress;
  const phoneValidator = input?.validatePhoneNumber;
  return {
    contactMethod,
    flowType,
    validateEmailAddress: async (value, tenantId) => (emailValidator !== undefined ? emailValidator(value, tenantId) : defaultEmailValidator(value)),
    validatePhoneNumber: async (value, tenantId) =>
      phoneValidator !== undefined ? phoneValidator(value, tenantId) : isValidPhoneNumber(value) ? undefined : "Phone number is invalid",
    getCustomUserInputCode: input?.getCustomUserInputCode,
  };
}

function firstFactorsOf(config: TypeNormalisedInput): string[] {
  const channels = config.contactMethod === "EMAIL" ? ["email"] : config.contactMethod === "PHONE" ? ["phone"] : ["email", "phone"];
  const kinds = config.flowType === "USER_INPUT_CODE" ? ["otp"] : config.flowType === "MAGIC_LINK" ? ["link"] : ["otp", "link"];
  return kinds.flatMap((kind) => channels.map((channel) => `${kind}-${channel}`));
}

/** An optional string field of a JSON body: absent (undefined or null), or a string; anything else is a 400. */
function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badInput(`${field} must be a string`);
  return value;
}

export class PasswordlessRecipe implements RecipeModule {
  readonly recipeId = PASSWORDLESS_RECIPE_ID;
  readonly requires = ["session"] as const;
  readonly config: TypeNormalisedInput;
  readonly firstFactors: readonly string[];
  readonly recipeInterfaceImpl: RecipeInterface;
  readonly apiImpl: APIInterface;
  readonly emailDelivery: EmailDeliveryInterface<TypePasswordlessEmailDeliveryInput>;
  readonly smsDelivery: SmsDeliveryInterface<TypePasswordlessSmsDeliveryInput>;

  constructor(
    readonly engine: Engine,
    input: TypeInput | undefined,
  ) {
    this.config = normaliseConfig(input);
    this.firstFactors = firstFactorsOf(this.config);
    this.recipeInterfaceImpl = applyOverride(createPasswordlessRecipeImplementation(engine, this.config), input?.override?.functions);
    this.apiImpl = applyOverride(createPasswordlessAPIImplementation(engine, () => this), input?.override?.apis);
    const usesEmail = this.config.contactMethod !== "PHONE";
    const usesPhone = this.config.contactMethod !== "EMAIL";
    if (usesEmail && input?.emailDelivery?.service === undefined) {
      engine.outbox.assertAllowedFor("Passwordless sign-in emails", "Passwordless.init({ emailDelivery: { service: new SMTPService({ smtpSettings }) } })");
    }
    if (usesPhone && input?.smsDelivery?.service === undefined) {
      engine.outbox.assertAllowedFor("Passwordless sign-in texts", "Passwordless.init({ smsDelivery: { service: new TwilioService({ twilioSettings }) } })");
    }
    this.emailDelivery = resolveEmailDelivery(input?.emailDelivery, outboxLoginEmailDelivery(engine));
    this.smsDelivery = resolveSmsDelivery(input?.smsDelivery, outboxLoginSmsDelivery(engine));
  }

  acceptsContact(contact: Contact): boolean {
    return contact.email !== undefined ? this.config.contactMethod !== "PHONE" : this.config.contactMethod !== "EMAIL";
  }

  /** `{origin}{websiteBasePath}/verify?preAuthSessionId=…&tenantId=…#<linkCode>`: the code rides in the fragment, which never reaches a server log. */
  async magicLink(tenantId: string, preAuthSessionId: string, linkCode: string, userContext: UserContext): Promise<string> {
    const { appInfo } = this.engine;
    // The tenant's websiteDomain, else the app's origin (for this request, when appInfo.origin is a function).
    const origin = (await this.engine.tenantSettings(tenantId, userContext)).websiteOrigin.replace(/\/+$/, "");
    return `${origin}${appInfo.websiteBasePath}/verify?preAuthSessionId=${encodeURIComponent(preAuthSessionId)}&tenantId=${encodeURIComponent(tenantId)}#${linkCode}`;
  }

  /**
   * Sends what the flow type calls for (the code, the link, or both) by email or SMS. Delivery is
   * awaited, so a provider's refusal reaches the user as an error instead of a code that never comes;
   * the refusal itself is logged, never shown.
   */
  async sendCode(created: CreateCodeResult, contact: Contact, tenantId: string, options: APIOptions, userContext: UserContext): Promise<boolean> {
    const flowType = options.config.flowType;
    // A tenant that allows only the code (otp-*) or only the link (link-*) of this channel gets only that.
    const channel = contact.email !== undefined ? "email" : "phone";
    const settings = await this.engine.tenantSettings(tenantId, userContext);
    const sendsCode = flowType !== "MAGIC_LINK" && allowsAnyFirstFactor(settings, [`otp-${channel}`]);
    const sendsLink = flowType !== "USER_INPUT_CODE" && allowsAnyFirstFactor(settings, [`link-${channel}`]);
    const shared = {
      type: "PASSWORDLESS_LOGIN" as const,
      isFirstFactor: true,
      userInputCode: sendsCode ? created.userInputCode : undefined,
      urlWithLinkCode: sendsLink ? await this.magicLink(tenantId, created.preAuthSessionId, created.linkCode, userContext) : undefined,
      codeLifetime: created.codeLifetime,
      preAuthSessionId: created.preAuthSessionId,
      tenantId,
    };
    try {
      if (contact.email !== undefined) {
        await options.emailDelivery.ingredientInterfaceImpl.sendEmail({ ...shared, email: contact.email, userContext });
      } else {
        await options.smsDelivery.ingredientInterfaceImpl.sendSms({ ...shared, phoneNumber: contact.phoneNumber, userContext });
      }
      return true;
    } catch (error) {
      this.engine.log.error(`Passwordless ${contact.email !== undefined ? "email" : "SMS"} for sign-in attempt ${created.preAuthSessionId} could not be delivered`, error);
      return false;
    }
  }

  // --- functions behind the SDK-shaped module -------------------------------------------

  /** A magic link for this contact, without sending it (invites, your own emails). */
  async createMagicLink(contact: Contact, tenantId: string, userContext?: Record<string, unknown>, codeLifetime?: number): Promise<string> {
    const context = makeUserContext(userContext, this.engine.clock);
    await this.engine.assertTenantExists(tenantId);
    const created = await this.recipeInterfaceImpl.createCode({
      ...contact,
      session: undefined,
      shouldTryLinkingWithSessionUser: false,
      tenantId,
      userContext: context,
      codeLifetime,
    });
    return this.magicLink(tenantId, created.preAuthSessionId, created.linkCode, context);
  }

  /** createCode + consumeCode without sending anything: the user exists (or is created) afterwards. */
  async signInUp(contact: Contact, tenantId: string, userContext?: Record<string, unknown>) {
    const context = makeUserContext(userContext, this.engine.clock);
    await this.engine.assertTenantExists(tenantId);
    const created = await this.recipeInterfaceImpl.createCode({ ...contact, session: undefined, shouldTryLinkingWithSessionUser: false, tenantId, userContext: context });
    const consumed = await this.recipeInterfaceImpl.consumeCode({
      preAuthSessionId: created.preAuthSessionId,
      linkCode: created.linkCode,
      session: undefined,
      shouldTryLinkingWithSessionUser: false,
      tenantId,
      userContext: context,
    });
    if (consumed.status !== "OK") throw new Error(`Passwordless.signInUp failed: ${consumed.status}`);
    return { status: "OK" as const, createdNewRecipeUser: consumed.createdNewRecipeUser, recipeUserId: consumed.recipeUserId, user: consumed.user };
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
      smsDelivery: { ingredientInterfaceImpl: this.smsDelivery },
    };
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
    // A tenant that allows none of this recipe's factors gets none of its routes.
    return [
      route("post", "/signinup/code", api.createCodePOST, (input) => this.handleCreateCode(input)),
      route("post", "/signinup/code/resend", api.resendCodePOST, (input) => this.handleResendCode(input)),
      route("post", "/signinup/code/consume", api.consumeCodePOST, (input) => this.handleConsumeCode(input)),
      route("get", "/passwordless/email/exists", api.emailExistsGET, (input) => this.handleEmailExists(input)),
      route("get", "/passwordless/phonenumber/exists", api.phoneNumberExistsGET, (input) => this.handlePhoneNumberExists(input)),
      // The older spelling; `/signup/email/exists` belongs to email+password, whose route answers it.
      route("get", "/signup/phonenumber/exists", api.phoneNumberExistsGET, (input) => this.handlePhoneNumberExists(input)),
    ].map((definition) => whenTenantAllows(this.engine, this.firstFactors, definition));
  }

  private async body(req: BaseRequest): Promise<Record<string, unknown>> {
    const parsed: unknown = await req.getJSONBody();
    return isPlainObject(parsed) ? parsed : {};
  }

  private async handleCreateCode({ tenantId, req, res, userContext }: RouteInput): Promise<void> {
    const body = await this.body(req);
    const email = optionalString(body, "email");
    const phoneNumber = optionalString(body, "phoneNumber");
    if ((email === undefined) === (phoneNumber === undefined)) throw badInput("Please provide exactly one of email or phoneNumber");
    const { contactMethod } = this.config;
    if (email !== undefined && contactMethod === "PHONE") throw badInput('Please provide a phoneNumber since you have set the contactMethod to "PHONE"');
    if (phoneNumber !== undefined && contactMethod === "EMAIL") throw badInput('Please provide an email since you have set the contactMethod to "EMAIL"');

    let contact: Contact;
    if (email !== undefined) {
      const trimmed = email.trim();
      // Control characters and overlong addresses are refused whatever the app's validator says.
      const problem = emailProblem(trimmed) ?? (await this.config.validateEmailAddress(trimmed, tenantId));
      if (problem !== undefined) return res.sendJSONResponse({ status: "GENERAL_ERROR", message: problem });
      contact = { email: trimmed };
    } else {
      const raw = (phoneNumber as string).trim();
      const problem = hasControlCharacter(raw) || raw.length > 64 ? "Phone number is invalid" : await this.config.validatePhoneNumber(raw, tenantId);
      if (problem !== undefined) return res.sendJSONResponse({ status: "GENERAL_ERROR", message: problem });
      contact = { phoneNumber: normalisePhoneNumber(raw) };
    }
    const channel = contact.email !== undefined ? "email" : "phone";
    if (!allowsAnyFirstFactor(await this.engine.tenantSettings(tenantId, userContext), [`otp-${channel}`, `link-${channel}`])) {
      return res.sendJSONResponse(loginMethodDisabledResponse(tenantId));
    }
    const result = await this.apiImpl.createCodePOST?.({
      ...contact,
      tenantId,
      session: undefined,
      shouldTryLinkingWithSessionUser: body["shouldTryLinkingWithSessionUser"] === true,
      options: this.apiOptions(req, res),
      userContext,
    });
    res.sendJSONResponse(result);
  }

  private async handleResendCode({ tenantId, req, res, userContext }: RouteInput): Promise<void> {
    const body = await this.body(req);
    const preAuthSessionId = optionalString(body, "preAuthSessionId");
    const deviceId = optionalString(body, "deviceId");
    if (preAuthSessionId === undefined) throw badInput("Please provide preAuthSessionId");
    if (deviceId === undefined) throw badInput("Please provide a deviceId");
    const result = await this.apiImpl.resendCodePOST?.({
      deviceId,
      preAuthSessionId,
      tenantId,
      session: undefined,
      shouldTryLinkingWithSessionUser: body["shouldTryLinkingWithSessionUser"] === true,
      options: this.apiOptions(req, res),
      userContext,
    });
    res.sendJSONResponse(result);
  }

  private async handleConsumeCode({ tenantId, req, res, userContext }: RouteInput): Promise<void> {
    const body = await this.body(req);
    const preAuthSessionId = optionalString(body, "preAuthSessionId");
    const linkCode = optionalString(body, "linkCode");
    const deviceId = optionalString(body, "deviceId");
    const userInputCode = optionalString(body, "userInputCode");
    if (preAuthSessionId === undefined) throw badInput("Please provide preAuthSessionId");
    const typed = deviceId !== undefined || userInputCode !== undefined;
    if ((linkCode !== undefined) === typed) throw badInput("Please provide one of (linkCode) or (deviceId+userInputCode) and not both");
    if (typed && (deviceId === undefined || userInputCode === undefined)) throw badInput("Please provide both deviceId and userInputCode");
    const shared = {
      tenantId,
      session: undefined,
      shouldTryLinkingWithSessionUser: body["shouldTryLinkingWithSessionUser"] === true,
      options: this.apiOptions(req, res),
      userContext,
    };
    const result = await this.apiImpl.consumeCodePOST?.(
      linkCode !== undefined
        ? { ...shared, preAuthSessionId, linkCode }
        : { ...shared, preAuthSessionId, deviceId: deviceId as string, userInputCode: this.typedCode(userInputCode as string) },
    );
    if (result?.status === "OK") res.sendJSONResponse({ status: "OK", createdNewRecipeUser: result.createdNewRecipeUser, user: result.user.toJson() });
    else res.sendJSONResponse(result);
  }

  /**
   * In a link-only flow no code is ever sent, so a typed code can only be a guess: it is checked
   * against a value no code can equal, and counts as a wrong attempt like any other.
   */
  private typedCode(userInputCode: string): string {
    return this.config.flowType === "MAGIC_LINK" ? `\u0000${userInputCode}` : userInputCode.trim();
  }

  private async handleEmailExists({ tenantId, req, res, userContext }: RouteInput): Promise<void> {
    const email = req.getKeyValueFromQuery("email");
    if (email === undefined) throw badInput("Please provide the email as a GET param");
    // No account can have such an address; asking the database would only fail on it (NUL on PostgreSQL).
    if (emailProblem(email.trim()) !== undefined) return res.sendJSONResponse({ status: "OK", exists: false });
    res.sendJSONResponse(await this.apiImpl.emailExistsGET?.({ email: email.trim(), tenantId, options: this.apiOptions(req, res), userContext }));
  }

  private async handlePhoneNumberExists({ tenantId, req, res, userContext }: RouteInput): Promise<void> {
    // An unencoded "+" in a query string arrives as a space.
    const phoneNumber = req.getKeyValueFromQuery("phoneNumber")?.replace(/^ /, "+");
    if (phoneNumber === undefined) throw badInput("Please provide the phoneNumber as a GET param");
    if (hasControlCharacter(phoneNumber) || phoneNumber.length > 64) return res.sendJSONResponse({ status: "OK", exists: false });
    res.sendJSONResponse(await this.apiImpl.phoneNumberExistsGET?.({ phoneNumber: phoneNumber.trim(), tenantId, options: this.apiOptions(req, res), userContext }));
  }
}

export function initPasswordless(config?: TypeInput): (engine: Engine) => PasswordlessRecipe {
  return (engine) => new PasswordlessRecipe(engine, config);
}
