/**
 * The phone + password functions (what `portcullis/recipe/phonepassword` calls), on every database:
 * typed statuses, verification by code, a changed number losing its verification, and overrides.
 * @see issue #8
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initPhonePassword, PHONEPASSWORD_RECIPE_ID, type PhonePasswordRecipe } from "../src/recipes/phonepassword/phonepassword-recipe.js";
import { databaseVariants, type TestDatabase } from "./helpers/databases.js";
import { startTestApp, type TestApp } from "./helpers/test-app.js";

const variants = await databaseVariants();

describe.each(variants.map((make) => [make().name, make] as const))("phone + password functions on %s", (_name, makeDatabase) => {
  let database: TestDatabase;
  let app: TestApp;
  let recipe: PhonePasswordRecipe;
  const sent: { type: string; phoneNumber: string; code: string; codeLifetime: number; tenantId: string }[] = [];

  beforeAll(async () => {
    database = makeDatabase();
    app = await startTestApp({
      database: database.url,
      recipes: [
        initPhonePassword({
          codeLifetime: 120_000,
          smsDelivery: { service: { sendSms: async ({ userContext: _ignored, ...input }) => void sent.push(input) } },
          override: {
            functions: (original) => ({
              ...original,
              // Apps may forbid numbers of their choosing: here, one test number.
              signUp: async (input) => (input.phoneNumber === "+12025550199" ? { status: "PHONE_NUMBER_ALREADY_EXISTS_ERROR" } : original.signUp(input)),
            }),
            apis: (original) => ({ ...original, phoneNumberExistsGET: undefined }),
          },
        }),
      ],
    });
    recipe = app.auth.engine.requireRecipe<PhonePasswordRecipe>(PHONEPASSWORD_RECIPE_ID);
  });

  afterAll(async () => {
    await app?.close();
    await database?.cleanup();
  });

  it("signs up, verifies by code, and a changed number is unverified again", async () => {
    const signedUp = await recipe.signUp("public", "+1 202 555 0143", "password-one-1");
    if (signedUp.status !== "OK") throw new Error(signedUp.status);
    expect(await recipe.verifyCredentials("public", "+12025550143", "password-one-1")).toEqual({ status: "OK" });
    expect(await recipe.createResetPasswordCode("public", "+12025550143")).toEqual({ status: "PHONE_NOT_VERIFIED_ERROR" });
    expect(await recipe.createResetPasswordCode("public", "+12025550144")).toEqual({ status: "UNKNOWN_PHONE_NUMBER_ERROR" });

    expect(await recipe.sendPhoneVerificationCode("public", signedUp.recipeUserId)).toEqual({ status: "OK" });
    const text = sent.at(-1);
    expect(text).toMatchObject({ type: "PHONE_VERIFICATION", phoneNumber: "+12025550143", codeLifetime: 120_000, tenantId: "public" });
    expect(text?.code).toMatch(/^\d{6}$/);
    expect(await recipe.verifyPhoneNumber("public", "+12025550143", text?.code ?? "")).toMatchObject({ status: "OK", phoneNumber: "+12025550143" });
    expect(await recipe.isPhoneNumberVerified(signedUp.recipeUserId)).toBe(true);
    expect(await recipe.createPhoneVerificationCode("public", signedUp.recipeUserId)).toEqual({ status: "PHONE_ALREADY_VERIFIED_ERROR" });

    const reset = await recipe.createResetPasswordCode("public", "+12025550143");
    if (reset.status !== "OK") throw new Error(reset.status);
    expect(await recipe.resetPasswordUsingCode("public", "+12025550143", reset.code, "password-two-2")).toMatchObject({ status: "OK" });
    expect(await recipe.verifyCredentials("public", "+12025550143", "password-two-2")).toEqual({ status: "OK" });

    expect(await recipe.updatePhoneNumberOrPassword({ recipeUserId: signedUp.recipeUserId, phoneNumber: "not a number" })).toEqual({
      status: "PHONE_NUMBER_CHANGE_NOT_ALLOWED_ERROR",
      reason: "Phone number is invalid",
    });
    expect(await recipe.updatePhoneNumberOrPassword({ recipeUserId: signedUp.recipeUserId, password: "weak" })).toMatchObject({ status: "PASSWORD_POLICY_VIOLATED_ERROR" });
    expect(await recipe.updatePhoneNumberOrPassword({ recipeUserId: signedUp.recipeUserId, phoneNumber: "+12025550145" })).toEqual({ status: "OK" });
    expect(await recipe.isPhoneNumberVerified(signedUp.recipeUserId)).toBe(false);
    expect((await app.auth.engine.getUser(signedUp.user.id))?.loginMethods[0]).toMatchObject({ recipeId: "phonepassword", phoneNumber: "+12025550145", verified: false });
  });

  it("changes a password only with the old one", async () => {
    const signedUp = await recipe.signUp("public", "+12025550150", "password-one-1");
    if (signedUp.status !== "OK") throw new Error(signedUp.status);
    expect(await recipe.changePassword("public", signedUp.recipeUserId, "wrong-one-1", "password-two-2")).toEqual({ status: "WRONG_CREDENTIALS_ERROR" });
    expect(await recipe.changePassword("public", signedUp.recipeUserId, "password-one-1", "password-two-2")).toEqual({ status: "OK" });
    expect(await recipe.verifyCredentials("public", "+12025550150", "password-two-2")).toEqual({ status: "OK" });
    expect(await recipe.changePassword("acme", signedUp.recipeUserId, "password-two-2", "password-three-3")).toEqual({ status: "UNKNOWN_USER_ID_ERROR" });
  });

  it("applies overrides: a function's answer reaches the route, an API set to undefined has no route", async () => {
    const refused = await app.client().post("/auth/phonepassword/signup", { formFields: [{ id: "phoneNumber", value: "+12025550199" }, { id: "password", value: "password-one-1" }] });
    expect(refused.body).toEqual({ status: "FIELD_ERROR", formFields: [{ id: "phoneNumber", error: "This phone number already exists. Please sign in instead." }] });
    expect((await app.client().get("/auth/phonepassword/phonenumber/exists?phoneNumber=%2B12025550143")).status).toBe(404);
  });

  it("refuses a code lifetime over ten minutes and more than five tries", () => {
    expect(() => initPhonePassword({ codeLifetime: 600_001 })(app.auth.engine)).toThrow(/codeLifetime/);
    expect(() => initPhonePassword({ maxCodeInputAttempts: 6 })(app.auth.engine)).toThrow(/maxCodeInputAttempts/);
  });
});
