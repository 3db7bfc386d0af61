/**
 * Type-level conformance: code written the way the SuperTokens Node SDK documents it, with only
 * the import prefix changed, must type-check. `npm test` compiles this file (tsc -p examples); the
 * @ts-expect-error lines prove the types are not `any` (they fail the build if they stop erroring).
 */
import express from "express";
import supertokens, { RecipeUserId, User } from "portcullis";
import EmailPassword from "portcullis/recipe/emailpassword";
import type { APIInterface as EPAPIInterface, RecipeInterface as EPRecipeInterface } from "portcullis/recipe/emailpassword";
import { SMTPService } from "portcullis/recipe/emailpassword/emaildelivery";
import Session from "portcullis/recipe/session";
import type { RecipeInterface as SessionRecipeInterface, SessionContainer, VerifySessionOptions } from "portcullis/recipe/session";
import { BooleanClaim, PrimitiveArrayClaim } from "portcullis/recipe/session/claims";
import Multitenancy from "portcullis/recipe/multitenancy";
import Passwordless from "portcullis/recipe/passwordless";
import type { APIInterface as PwlessAPIInterface } from "portcullis/recipe/passwordless";
import UserRoles from "portcullis/recipe/userroles";
import EmailVerification, { EmailVerificationClaim } from "portcullis/recipe/emailverification";
import { SMTPService as EVSMTPService } from "portcullis/recipe/emailverification/emaildelivery";
import type { APIInterface as EVAPIInterface, TypeEmailVerificationEmailDeliveryInput } from "portcullis/recipe/emailverification/types";
import { errorHandler, middleware, SessionRequest } from "portcullis/framework/express";
import { verifySession } from "portcullis/recipe/session/framework/express";
// The SDK's type-only modules, by their paths.
import type { User as UserType, UserContext, JSONObject, GeneralErrorResponse } from "portcullis/types";
import type { SessionInformation, TypeInput as SessionTypeInput } from "portcullis/recipe/session/types";
import type { TypeEmailPasswordEmailDeliveryInput, APIOptions as EPAPIOptions } from "portcullis/recipe/emailpassword/types";

/** An override that lists every RecipeInterface member explicitly (no spread). */
function emailPasswordFunctions(oI: EPRecipeInterface): EPRecipeInterface {
  return {
    signUp: async function (input) {
      const result = await oI.signUp(input);
      if (result.status === "OK") result.recipeUserId.getAsString();
      return result;
    },
    createNewRecipeUser: async (input) => oI.createNewRecipeUser(input),
    signIn: async function (input) {
      return oI.signIn(input);
    },
    verifyCredentials: async (input) => oI.verifyCredentials(input),
    createResetPasswordToken: async (input) => oI.createResetPasswordToken(input),
    consumePasswordResetToken: async (input) => oI.consumePasswordResetToken(input),
    updateEmailOrPassword: async (input) => oI.updateEmailOrPassword(input),
  };
}

function emailPasswordApis(oI: EPAPIInterface): EPAPIInterface {
  return {
    ...oI,
    signUpPOST: async function (input) {
      if (oI.signUpPOST === undefined) throw new Error("disabled");
      const response = await oI.signUpPOST(input);
      if (response.status === "OK") {
        response.session.getHandle();
        response.user.loginMethods[0]?.hasSameEmailAs("a@b.co");
      }
      return response;
    },
    emailExistsGET: undefined,
  };
}

/** Every Session RecipeInterface member, listed. */
function sessionFunctions(oI: SessionRecipeInterface): SessionRecipeInterface {
  return {
    createNewSession: async function (input) {
      input.accessTokenPayload = { ...input.accessTokenPayload, someKey: "someValue" };
      return oI.createNewSession(input);
    },
    getGlobalClaimValidators: (input) => oI.getGlobalClaimValidators(input),
    getSession: (input) => oI.getSession(input),
    refreshSession: (input) => oI.refreshSession(input),
    getSessionInformation: (input) => oI.getSessionInformation(input),
    revokeAllSessionsForUser: (input) => oI.revokeAllSessionsForUser(input),
    getAllSessionHandlesForUser: (input) => oI.getAllSessionHandlesForUser(input),
    revokeSession: (input) => oI.revokeSession(input),
    revokeMultipleSessions: (input) => oI.revokeMultipleSessions(input),
    updateSessionDataInDatabase: (input) => oI.updateSessionDataInDatabase(input),
    mergeIntoAccessTokenPayload: (input) => oI.mergeIntoAccessTokenPayload(input),
    regenerateAccessToken: (input) => oI.regenerateAccessToken(input),
    validateClaims: (input) => oI.validateClaims(input),
    fetchAndSetClaim: (input) => oI.fetchAndSetClaim(input),
    setClaimValue: (input) => oI.setClaimValue(input),
    getClaimValue: (input) => oI.getClaimValue(input),
    removeClaim: (input) => oI.removeClaim(input),
  };
}

export function initLikeTheDocs(): void {
  supertokens.init({
    framework: "express",
    supertokens: { connectionURI: "http://localhost:3567", apiKey: "ignored" },
    appInfo: { appName: "app", apiDomain: "http://localhost:3001", websiteDomain: "http://localhost:3000", apiBasePath: "/auth", websiteBasePath: "/auth" },
    recipeList: [
      EmailPassword.init({
        signUpFeature: {
          formFields: [{ id: "name", optional: true, validate: async (value, tenantId) => (typeof value === "string" || tenantId === "x" ? undefined : "bad") }],
        },
        emailDelivery: {
          service: new SMTPService({ smtpSettings: { host: "smtp.example.com", port: 587, from: { name: "App", email: "no-reply@example.com" }, password: "secret", secure: false } }),
          override: (originalImplementation) => ({
            ...originalImplementation,
            sendEmail: async function (input) {
              input.passwordResetLink = input.passwordResetLink.replace("/auth/reset-password", "/reset");
              return originalImplementation.sendEmail(input);
            },
          }),
        },
        override: { functions: emailPasswordFunctions, apis: emailPasswordApis },
      }),
      Session.init({
        cookieSameSite: "lax",
        cookieSecure: false,
        antiCsrf: "VIA_TOKEN",
        exposeAccessTokenToFrontendInCookieBasedAuth: true,
        getTokenTransferMethod: () => "any",
        override: { functions: sessionFunctions, apis: (oI) => ({ ...oI, signOutPOST: undefined }) },
      }),
    ],
  });
}

/** A SessionContainer literal with every method, as users write for mocks. */
export const fakeSession: SessionContainer = {
  revokeSession: async () => undefined,
  getSessionDataFromDatabase: async () => ({}),
  updateSessionDataInDatabase: async () => undefined,
  getUserId: () => "user",
  getRecipeUserId: () => new RecipeUserId("user"),
  getTenantId: () => "public",
  getAccessTokenPayload: () => ({}),
  getHandle: () => "handle",
  getAllSessionTokensDangerously: () => ({ accessToken: "", refreshToken: undefined, antiCsrfToken: undefined, frontToken: "", accessAndFrontTokenUpdated: false }),
  getAccessToken: () => "",
  mergeIntoAccessTokenPayload: async () => undefined,
  getTimeCreated: async () => 0,
  getExpiry: async () => 0,
  assertClaims: async () => undefined,
  fetchAndSetClaim: async () => undefined,
  setClaimValue: async () => undefined,
  getClaimValue: async () => undefined,
  removeClaim: async () => undefined,
  attachToRequestResponse: () => undefined,
};

const RoleClaim = new PrimitiveArrayClaim<string>({ key: "role", fetchValue: async () => ["admin"] });
const BetaClaim = new BooleanClaim({ key: "beta", fetchValue: () => true });

export async function callsLikeTheDocs(req: SessionRequest, res: express.Response): Promise<void> {
  const signUp = await EmailPassword.signUp("public", "a@b.co", "password1");
  if (signUp.status === "OK") {
    const user: User = signUp.user;
    user.loginMethods.map((lm) => lm.recipeUserId.getAsString());
  }
  // @ts-expect-error: not a status signUp can return
  if (signUp.status === "WRONG_CREDENTIALS_ERROR") return;
  const signIn = await EmailPassword.signIn("public", "a@b.co", "password1");
  if (signIn.status === "WRONG_CREDENTIALS_ERROR") return;
  const verified: { status: "OK" | "WRONG_CREDENTIALS_ERROR" } = await EmailPassword.verifyCredentials("public", "a@b.co", "pw");
  void verified;
  const token = await EmailPassword.createResetPasswordToken("public", "user", "a@b.co");
  if (token.status === "OK") await EmailPassword.resetPasswordUsingToken("public", token.token, "newPassword1");
  const consumed = await EmailPassword.consumePasswordResetToken("public", "token");
  if (consumed.status === "OK") void consumed.userId;
  const link = await EmailPassword.createResetPasswordLink("public", "user", "a@b.co");
  if (link.status === "OK") void link.link;
  await EmailPassword.sendResetPasswordEmail("public", "user", "a@b.co");
  const update = await EmailPassword.updateEmailOrPassword({ recipeUserId: new RecipeUserId("user"), password: "pw", applyPasswordPolicy: true, tenantIdForPasswordPolicy: "public" });
  if (update.status === "PASSWORD_POLICY_VIOLATED_ERROR") void update.failureReason;
  // The older signatures the change-password guide uses.
  const old = await EmailPassword.getUserById("user");
  if (old !== undefined) await EmailPassword.signIn(old.email, "pw");
  await EmailPassword.updateEmailOrPassword({ userId: "user", password: "pw" });

  const user = await supertokens.getUser("user");
  user?.loginMethods.find((lm) => lm.recipeId === "emailpassword")?.hasSameEmailAs("a@b.co");
  const byEmail: User[] = await supertokens.listUsersByAccountInfo("public", { email: "a@b.co" });
  const page = await supertokens.getUsersNewestFirst({ tenantId: "public", limit: 10, query: { email: "a" } });
  void [byEmail, page.nextPaginationToken, await supertokens.getUsersOldestFirst({ tenantId: "public" })];
  const count: number = await supertokens.getUserCount(["emailpassword"], "public");
  void count;
  await supertokens.deleteUser("user");
  const headers: string[] = supertokens.getAllCORSHeaders();
  void headers;

  const session = req.session!;
  const userId: string = session.getUserId();
  await session.mergeIntoAccessTokenPayload({ theme: "dark", remove: null });
  await session.fetchAndSetClaim(RoleClaim);
  const roles: string[] | undefined = await session.getClaimValue(RoleClaim);
  await session.assertClaims([RoleClaim.validators.includes("admin"), BetaClaim.validators.isTrue()]);
  void [userId, roles];

  const handles: string[] = await Session.revokeAllSessionsForUser("user");
  await Session.revokeAllSessionsForUser("user", true, "public");
  await Session.getAllSessionHandlesForUser("user");
  await Session.revokeSession(handles[0] ?? "");
  await Session.revokeMultipleSessions(handles);
  const information = await Session.getSessionInformation("handle");
  void information?.customClaimsInAccessTokenPayload;
  await Session.updateSessionDataInDatabase("handle", { a: 1 });
  await Session.mergeIntoAccessTokenPayload("handle", { a: 1 });
  const required: SessionContainer = await Session.getSession(req, res);
  const optional: SessionContainer | undefined = await Session.getSession(req, res, { sessionRequired: false });
  const created: SessionContainer = await Session.createNewSession(req, res, "public", new RecipeUserId("user"), { a: 1 }, {});
  const headless = await Session.getSessionWithoutRequestResponse("token", undefined, { checkDatabase: true });
  await Session.refreshSession(req, res);
  void [required, optional, created, headless];

  await Multitenancy.createOrUpdateTenant("acme", { firstFactors: ["emailpassword"] });
}

const options: VerifySessionOptions = {
  sessionRequired: true,
  checkDatabase: true,
  antiCsrfCheck: false,
  overrideGlobalClaimValidators: async (globalValidators) => [...globalValidators, RoleClaim.validators.includes("admin")],
};

export function expressLikeTheDocs(): express.Express {
  const app = express();
  app.use(middleware());
  app.post("/like-comment", verifySession(options), (req: SessionRequest, res) => {
    res.json({ userId: req.session!.getUserId() });
  });
  app.use(errorHandler());
  return app;
}

/** Seed 003's shapes (the seed itself, examples/src/seeds/003-invite-only.ts, is compiled too). */
export function invitePieces(oI: PwlessAPIInterface): PwlessAPIInterface {
  return {
    ...oI,
    createCodePOST: async function (input) {
      // The guide narrows with `in`: each branch sees its own contact as a string.
      const contact: string = "email" in input ? input.email : input.phoneNumber;
      void contact;
      return oI.createCodePOST!(input);
    },
  };
}

export async function passwordlessLikeTheDocs(): Promise<void> {
  const signedUp = await Passwordless.signInUp({ tenantId: "public", email: "a@b.co" });
  const id: string = signedUp.user.id;
  const link: string = await Passwordless.createMagicLink({ tenantId: "public", phoneNumber: "+14155552671" });
  const code = await Passwordless.createCode({ tenantId: "public", email: "a@b.co" });
  const consumed = await Passwordless.consumeCode({ tenantId: "public", preAuthSessionId: code.preAuthSessionId, userInputCode: code.userInputCode, deviceId: code.deviceId });
  if (consumed.status === "INCORRECT_USER_INPUT_CODE_ERROR") void [consumed.failedCodeInputAttemptCount, consumed.maximumCodeInputAttempts];
  // @ts-expect-error: not a status consumeCode can return
  if (consumed.status === "WRONG_CREDENTIALS_ERROR") return;
  // @ts-expect-error: the SDK's functions take exactly one of email and phoneNumber
  await Passwordless.signInUp({ tenantId: "public", email: "a@b.co", phoneNumber: "+14155552671" });
  const device = await Passwordless.listCodesByPreAuthSessionId({ tenantId: "public", preAuthSessionId: code.preAuthSessionId });
  await Passwordless.sendEmail({ type: "PASSWORDLESS_LOGIN", isFirstFactor: true, email: "a@b.co", urlWithLinkCode: link, codeLifetime: device?.codes[0]?.codeLifetime ?? 0, preAuthSessionId: code.preAuthSessionId, tenantId: "public" });
  await UserRoles.createNewRoleOrAddPermissions("admin", []);
  const added = await UserRoles.addRoleToUser("public", id, "admin");
  if (added.status === "UNKNOWN_ROLE_ERROR") return;
  const roles: string[] = (await UserRoles.getRolesForUser("public", id)).roles;
  void roles;
}

export async function emailVerificationLikeTheDocs(session: SessionContainer): Promise<void> {
  EmailVerification.init({
    mode: "REQUIRED",
    emailDelivery: { service: new EVSMTPService({ smtpSettings: { host: "smtp.example.com", port: 465, from: { name: "App", email: "a@b.co" }, password: "x" } }) },
    override: { apis: (original: EVAPIInterface) => ({ ...original, isEmailVerifiedGET: undefined }) },
  });
  // @ts-expect-error: the mode is required
  EmailVerification.init({});
  const recipeUserId = session.getRecipeUserId();
  const token = await EmailVerification.createEmailVerificationToken("public", recipeUserId);
  if (token.status === "OK") {
    const verified = await EmailVerification.verifyEmailUsingToken("public", token.token);
    if (verified.status === "OK") void (verified.user.email satisfies string);
  }
  const link = await EmailVerification.createEmailVerificationLink("public", recipeUserId, "a@b.co");
  if (link.status === "OK") void (link.link satisfies string);
  const sent: { status: "OK" | "EMAIL_ALREADY_VERIFIED_ERROR" } = await EmailVerification.sendEmailVerificationEmail("public", session.getUserId(), recipeUserId);
  const isVerified: boolean = await EmailVerification.isEmailVerified(recipeUserId);
  await EmailVerification.revokeEmailVerificationTokens("public", recipeUserId);
  await EmailVerification.unverifyEmail(recipeUserId);
  const input: TypeEmailVerificationEmailDeliveryInput = { type: "EMAIL_VERIFICATION", user: { id: "u", recipeUserId, email: "a@b.co" }, emailVerifyLink: "https://x", tenantId: "public" };
  await EmailVerification.sendEmail(input);
  const validator = EmailVerificationClaim.validators.isVerified(10, 3600);
  await session.assertClaims([validator, EmailVerificationClaim.validators.isTrue()]);
  const value: boolean | undefined = await session.getClaimValue(EmailVerificationClaim);
  void [sent, isVerified, value];
}

// The type-only modules resolve and carry the SDK names.
export type TypeModules = [UserType, UserContext, JSONObject, GeneralErrorResponse, SessionInformation, SessionTypeInput, TypeEmailPasswordEmailDeliveryInput, EPAPIOptions];
