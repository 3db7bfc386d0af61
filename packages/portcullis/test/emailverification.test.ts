/**
 * Email verification on every database: the recipe's functions and statuses, the three FDI routes
 * with their exact bodies, REQUIRED mode (403 until the emailed link is used, then the same
 * session passes once GET /user/email/verify refreshed `st-ev`), the 10 s refetch of a false
 * claim, and the tokens' single use, expiry, hashing at rest and tenant binding.
 * @see issue #8
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecipeUserId } from "../src/core/recipe-user-id.js";
import { sha256Hex } from "../src/crypto/hash.js";
import {
  EMAILVERIFICATION_RECIPE_ID,
  initEmailVerification,
  type EmailVerificationRecipe,
} from "../src/recipes/emailverification/emailverification-recipe.js";
import { initPasswordless, PASSWORDLESS_RECIPE_ID, type PasswordlessRecipe } from "../src/recipes/passwordless/passwordless-recipe.js";
import { databaseVariants, type TestDatabase } from "./helpers/databases.js";
import { decodeFrontToken, decodeJwtPart } from "../src/testing/http-client.js";
import { dumpPortcullisRows } from "./helpers/raw-rows.js";
import { credentials, startTestApp, type TestApp } from "./helpers/test-app.js";

const variants = await databaseVariants();
const DAY_MS = 86_400_000;
/** RecipeUserId objects as their string, so results compare by value. */
const plain = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (key, inner: unknown) => (key === "userContext" ? undefined : inner instanceof RecipeUserId ? inner.getAsString() : inner))) as unknown;
const NOT_VERIFIED_403 = {
  message: "invalid claim",
  claimValidationErrors: [{ id: "st-ev", reason: { message: "wrong value", expectedValue: true, actualValue: false } }],
};

describe("EmailVerification.init", () => {
  it("refuses a missing or unknown mode with a clear error", () => {
    // @ts-expect-error -- the mode is required, as in the SDK
    expect(() => initEmailVerification(undefined)).toThrow('EmailVerification.init needs { mode: "REQUIRED" | "OPTIONAL" }, got mode undefined');
    // @ts-expect-error -- not a mode
    expect(() => initEmailVerification({ mode: "ALWAYS" })).toThrow('got mode "ALWAYS"');
  });
});

describe.each(variants.map((make) => [make().name, make] as const))("email verification on %s", (_name, makeDatabase) => {
  let database: TestDatabase;
  let app: TestApp;
  let ev: EmailVerificationRecipe;
  let counter = 0;
  const nextEmail = () => `ev${++counter}-${Date.now()}@example.com`;

  beforeAll(async () => {
    database = makeDatabase();
    app = await startTestApp({
      database: database.url,
      recipes: [initEmailVerification({ mode: "REQUIRED" }), initPasswordless({ contactMethod: "EMAIL_OR_PHONE" })],
    });
    ev = app.auth.engine.requireRecipe<EmailVerificationRecipe>(EMAILVERIFICATION_RECIPE_ID);
  });

  afterAll(async () => {
    await app?.close();
    await database?.cleanup();
  });

  async function signUp(email = nextEmail()): Promise<{ email: string; userId: string; recipeUserId: RecipeUserId; accessToken: string }> {
    const response = await app.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials(email, "password123"));
    expect(response.status).toBe(200);
    const userId = (response.body as { user: { id: string } }).user.id;
    return { email, userId, recipeUserId: new RecipeUserId(userId), accessToken: response.headers.get("st-access-token") as string };
  }

  const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });
  const stEv = (accessToken: string) => decodeJwtPart(accessToken, 1)["st-ev"] as { v: boolean; t: number } | undefined;

  async function linkSentTo(email: string): Promise<URL> {
    const message = (await app.auth.engine.outbox.list(500)).find((m) => m.recipient === email);
    if (message === undefined) throw new Error(`no message to ${email}`);
    const link = /(https?:\/\/\S+verify-email\S+)/.exec(message.textBody)?.[1];
    if (link === undefined) throw new Error(`no link in ${message.textBody}`);
    return new URL(link);
  }

  it("puts st-ev false into a new session, and a protected route answers 403 with the FDI body", async () => {
    const { accessToken } = await signUp();
    expect(stEv(accessToken)).toEqual({ v: false, t: app.clock.now() });
    const response = await app.client().get("/protected", bearer(accessToken));
    expect(response.status).toBe(403);
    expect(response.body).toEqual(NOT_VERIFIED_403);
  });

  it("verifies through the emailed link; after GET /user/email/verify the same session passes", async () => {
    const { email, userId, accessToken } = await signUp();

    const sent = await app.client().post("/auth/user/email/verify/token", {}, bearer(accessToken));
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ status: "OK" });
    // The session already holds false: nothing to re-issue.
    expect(sent.headers.get("st-access-token")).toBeNull();

    const link = await linkSentTo(email);
    expect(`${link.origin}${link.pathname}`).toBe("http://localhost/auth/verify-email");
    expect(link.searchParams.get("tenantId")).toBe("public");
    const token = link.searchParams.get("token") as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Opened in another browser: no session there.
    const verified = await app.client().post("/auth/user/email/verify", { method: "token", token });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ status: "OK" });
    expect(verified.headers.get("st-access-token")).toBeNull();

    // The old token still says false (and is younger than 10 s): still refused.
    expect((await app.client().get("/protected", bearer(accessToken))).status).toBe(403);

    const polled = await app.client().get("/auth/user/email/verify", bearer(accessToken));
    expect(polled.status).toBe(200);
    expect(polled.body).toEqual({ status: "OK", isVerified: true });
    const refreshed = polled.headers.get("st-access-token") as string;
    expect(stEv(refreshed)).toEqual({ v: true, t: app.clock.now() });
    expect(decodeFrontToken(polled.headers.get("front-token") as string).up["st-ev"]).toEqual({ v: true, t: app.clock.now() });

    const passed = await app.client().get("/protected", bearer(refreshed));
    expect(passed.status).toBe(200);
    expect(passed.body).toMatchObject({ userId });

    expect(await app.client().post("/auth/user/email/verify/token", {}, bearer(refreshed)).then((r) => r.body)).toEqual({ status: "EMAIL_ALREADY_VERIFIED_ERROR" });
    expect((await app.auth.getUser(userId))?.loginMethods[0]?.verified).toBe(true);
  });

  it("re-issues the access token when the link is used with the user's own session", async () => {
    const { recipeUserId, accessToken } = await signUp();
    const created = await ev.createEmailVerificationToken("public", recipeUserId);
    if (created.status !== "OK") throw new Error(created.status);
    const verified = await app.client().post("/auth/user/email/verify", { method: "token", token: created.token }, bearer(accessToken));
    expect(verified.body).toEqual({ status: "OK" });
    const refreshed = verified.headers.get("st-access-token") as string;
    expect(stEv(refreshed)).toEqual({ v: true, t: app.clock.now() });
    expect(decodeFrontToken(verified.headers.get("front-token") as string).up["st-ev"]).toMatchObject({ v: true });
    expect((await app.client().get("/protected", bearer(refreshed))).status).toBe(200);

    // Someone else's session on the same browser is left alone.
    const other = await signUp();
    const second = await ev.createEmailVerificationToken("public", other.recipeUserId);
    if (second.status !== "OK") throw new Error(second.status);
    const foreign = await app.client().post("/auth/user/email/verify", { method: "token", token: second.token }, bearer(refreshed));
    expect(foreign.body).toEqual({ status: "OK" });
    expect(foreign.headers.get("st-access-token")).toBeNull();
  });

  it("re-reads a false st-ev older than 10 s on a protected route, so verifying elsewhere is enough", async () => {
    const { recipeUserId, accessToken } = await signUp();
    const created = await ev.createEmailVerificationToken("public", recipeUserId);
    if (created.status !== "OK") throw new Error(created.status);
    expect(await ev.verifyEmailUsingToken("public", created.token)).toMatchObject({ status: "OK" });

    app.clock.advance(10_000);
    expect((await app.client().get("/protected", bearer(accessToken))).status).toBe(403);
    app.clock.advance(1);
    const passed = await app.client().get("/protected", bearer(accessToken));
    expect(passed.status).toBe(200);
    expect(stEv(passed.headers.get("st-access-token") as string)).toEqual({ v: true, t: app.clock.now() });
  });

  it("refetches an unverified user's claim after 10 s but keeps refusing", async () => {
    const { accessToken } = await signUp();
    app.clock.advance(11_000);
    const refused = await app.client().get("/protected", bearer(accessToken));
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(NOT_VERIFIED_403);
  });

  it("GET /user/email/verify answers isVerified false and stamps a fresh false", async () => {
    const { accessToken } = await signUp();
    app.clock.advance(5_000);
    const polled = await app.client().get("/auth/user/email/verify", bearer(accessToken));
    expect(polled.body).toEqual({ status: "OK", isVerified: false });
    expect(stEv(polled.headers.get("st-access-token") as string)).toEqual({ v: false, t: app.clock.now() });
    expect(polled.headers.get("front-token")).not.toBeNull();
  });

  it("has the SDK's functions and statuses", async () => {
    const { email, userId, recipeUserId } = await signUp();
    expect(await ev.isEmailVerified(recipeUserId)).toBe(false);
    const created = await ev.createEmailVerificationToken("public", recipeUserId, email);
    expect(created).toEqual({ status: "OK", token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as unknown });
    if (created.status !== "OK") return;
    expect(plain(await ev.verifyEmailUsingToken("public", created.token))).toEqual({ status: "OK", user: { recipeUserId: userId, email } });
    expect(await ev.verifyEmailUsingToken("public", created.token)).toEqual({ status: "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR" });
    expect(await ev.isEmailVerified(recipeUserId)).toBe(true);
    expect(await ev.isEmailVerified(recipeUserId, email.toUpperCase())).toBe(true);
    expect(await ev.recipeInterfaceImpl.isEmailVerified({ recipeUserId, email, userContext: {} })).toBe(true);
    expect(await ev.createEmailVerificationToken("public", recipeUserId)).toEqual({ status: "EMAIL_ALREADY_VERIFIED_ERROR" });
    expect(await ev.createEmailVerificationLink("public", recipeUserId)).toEqual({ status: "EMAIL_ALREADY_VERIFIED_ERROR" });
    expect(await ev.sendEmailVerificationEmail("public", userId, recipeUserId)).toEqual({ status: "EMAIL_ALREADY_VERIFIED_ERROR" });

    expect(await ev.unverifyEmail(recipeUserId)).toEqual({ status: "OK" });
    expect(await ev.unverifyEmail(recipeUserId)).toEqual({ status: "OK" });
    expect(await ev.isEmailVerified(recipeUserId, email)).toBe(false);
    expect((await app.auth.getUser(userId))?.loginMethods[0]?.verified).toBe(false);

    const link = await ev.createEmailVerificationLink("public", recipeUserId);
    if (link.status !== "OK") throw new Error(link.status);
    expect(link.link).toMatch(/^http:\/\/localhost\/auth\/verify-email\?token=[A-Za-z0-9_-]{43}&tenantId=public$/);
    expect(await ev.revokeEmailVerificationTokens("public", recipeUserId)).toEqual({ status: "OK" });
    const revokedToken = new URL(link.link).searchParams.get("token") as string;
    expect(await ev.verifyEmailUsingToken("public", revokedToken)).toEqual({ status: "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR" });

    expect(await ev.sendEmailVerificationEmail("public", userId, recipeUserId)).toEqual({ status: "OK" });
    const sentToken = (await linkSentTo(email)).searchParams.get("token") as string;
    expect(plain(await ev.verifyEmailUsingToken("public", sentToken, false))).toEqual({ status: "OK", user: { recipeUserId: userId, email } });

    // An explicit email works for any recipe user id; without one, an unknown user is a caller's bug.
    const stranger = new RecipeUserId(`no-such-user-${counter}`);
    expect(await ev.isEmailVerified(stranger, "someone@example.com")).toBe(false);
    await expect(ev.isEmailVerified(stranger)).rejects.toThrow("Unknown User ID provided without email");
    await expect(ev.createEmailVerificationToken("public", stranger)).rejects.toThrow("Unknown User ID provided without email");
  });

  it("counts a login without an email as verified, and a passwordless email as verified on sign-in", async () => {
    const passwordless = app.auth.engine.requireRecipe<PasswordlessRecipe>(PASSWORDLESS_RECIPE_ID);
    const phoneUser = await passwordless.signInUp({ phoneNumber: `+1650555${String(1000 + counter++).slice(-4)}` }, "public");
    expect(await ev.isEmailVerified(phoneUser.recipeUserId)).toBe(true);
    expect(await ev.createEmailVerificationToken("public", phoneUser.recipeUserId)).toEqual({ status: "EMAIL_ALREADY_VERIFIED_ERROR" });
    expect(await ev.unverifyEmail(phoneUser.recipeUserId)).toEqual({ status: "OK" });

    // A passwordless sign-in proves the inbox: its first session already carries st-ev true.
    const email = nextEmail();
    const client = app.client({ "st-auth-mode": "header" });
    const code = await client.post("/auth/signinup/code", { email });
    const message = (await app.auth.engine.outbox.list(500)).find((m) => m.recipient === email);
    const userInputCode = /\b(\d{6})\b/.exec(message?.textBody ?? "")?.[1];
    const consumed = await client.post("/auth/signinup/code/consume", {
      preAuthSessionId: (code.body as { preAuthSessionId: string }).preAuthSessionId,
      deviceId: (code.body as { deviceId: string }).deviceId,
      userInputCode,
    });
    expect(consumed.body).toMatchObject({ status: "OK" });
    const accessToken = consumed.headers.get("st-access-token") as string;
    expect(stEv(accessToken)).toEqual({ v: true, t: app.clock.now() });
    expect((await app.client().get("/protected", bearer(accessToken))).status).toBe(200);
    expect(await app.client().post("/auth/user/email/verify/token", {}, bearer(accessToken)).then((r) => r.body)).toEqual({ status: "EMAIL_ALREADY_VERIFIED_ERROR" });
  });

  it("makes tokens single use, expiring after a day, hashed at rest and bound to their tenant", async () => {
    const { email, recipeUserId } = await signUp();
    const create = async () => {
      const created = await ev.createEmailVerificationToken("public", recipeUserId, email);
      if (created.status !== "OK") throw new Error(created.status);
      return created.token;
    };

    const stored = await create();
    const rows = await dumpPortcullisRows(database.url);
    expect(rows).toContain(sha256Hex(stored));
    expect(rows).not.toContain(stored);

    // Another tenant's route refuses it without burning it.
    await app.auth.engine.storage.tenants.upsert("ev-tenant-b", {}, app.clock.now());
    const elsewhere = await app.client().post("/auth/ev-tenant-b/user/email/verify", { method: "token", token: stored });
    expect(elsewhere.body).toEqual({ status: "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR" });
    expect(await ev.verifyEmailUsingToken("ev-tenant-b", stored)).toEqual({ status: "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR" });
    expect(await ev.isEmailVerified(recipeUserId)).toBe(false);

    // Still valid a second before its day is over; used once only.
    app.clock.advance(DAY_MS - 1_000);
    expect(await app.client().post("/auth/public/user/email/verify", { method: "token", token: stored }).then((r) => r.body)).toEqual({ status: "OK" });
    expect(await app.client().post("/auth/user/email/verify", { method: "token", token: stored }).then((r) => r.body)).toEqual({
      status: "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR",
    });

    await ev.unverifyEmail(recipeUserId);
    const expiring = await create();
    app.clock.advance(DAY_MS);
    expect(await ev.verifyEmailUsingToken("public", expiring)).toEqual({ status: "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR" });
    expect(await ev.isEmailVerified(recipeUserId)).toBe(false);
  });

  it("answers malformed input with 400 and a missing session with 401", async () => {
    const post = (body: unknown) => app.client().post("/auth/user/email/verify", body);
    expect(await post({ method: "token" }).then((r) => [r.status, r.body])).toEqual([400, { message: "Please provide the email verification token" }]);
    expect(await post({ method: "token", token: null }).then((r) => [r.status, r.body])).toEqual([400, { message: "Please provide the email verification token" }]);
    expect(await post({ method: "token", token: 12 }).then((r) => [r.status, r.body])).toEqual([400, { message: "The email verification token must be a string" }]);
    expect(await post({ method: "token", token: "not-a-token" }).then((r) => [r.status, r.body])).toEqual([200, { status: "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR" }]);
    const raw = await app.client().request("POST", "/auth/user/email/verify", { rawBody: "{not json", headers: { "content-type": "application/json" } });
    expect(raw.status).toBe(400);

    expect(await app.client().post("/auth/user/email/verify/token", {}).then((r) => [r.status, r.body])).toEqual([401, { message: "unauthorised" }]);
    expect(await app.client().get("/auth/user/email/verify").then((r) => [r.status, r.body])).toEqual([401, { message: "unauthorised" }]);

    // A session whose user was deleted (its access token still verifies statelessly) ends with 401.
    const { userId, accessToken } = await signUp();
    await app.auth.deleteUser(userId);
    expect((await app.client().get("/auth/user/email/verify", bearer(accessToken))).status).toBe(401);
    expect((await app.client().post("/auth/user/email/verify/token", {}, bearer(accessToken))).status).toBe(401);
  });

  it("limits verification emails per account", async () => {
    const { email, accessToken } = await signUp();
    for (let i = 0; i < 3; i++) {
      expect(await app.client().post("/auth/user/email/verify/token", {}, bearer(accessToken)).then((r) => r.body)).toEqual({ status: "OK" });
    }
    const limited = await app.client().post("/auth/user/email/verify/token", {}, bearer(accessToken));
    expect(limited.status).toBe(200);
    expect(limited.body).toEqual({ status: "GENERAL_ERROR", message: "Too many requests for this email address. Please try again in 15 minutes." });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await app.auth.engine.outbox.list(500)).filter((m) => m.recipient === email)).toHaveLength(3);
  });
});

describe.each(variants.map((make) => [make().name, make] as const))("email verification in OPTIONAL mode on %s", (_name, makeDatabase) => {
  let database: TestDatabase;
  let app: TestApp;
  const delivered: unknown[] = [];

  beforeAll(async () => {
    database = makeDatabase();
    app = await startTestApp({
      database: database.url,
      recipes: [
        initEmailVerification({
          mode: "OPTIONAL",
          emailDelivery: { service: { sendEmail: async (input) => void delivered.push(input) } },
        }),
      ],
    });
  });

  afterAll(async () => {
    await app?.close();
    await database?.cleanup();
  });

  it("adds st-ev without enforcing it, and hands the SDK's input to the configured delivery", async () => {
    const email = `opt-${Date.now()}@example.com`;
    const signedUp = await app.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials(email, "password123"));
    const accessToken = signedUp.headers.get("st-access-token") as string;
    const userId = (signedUp.body as { user: { id: string } }).user.id;
    expect(decodeJwtPart(accessToken, 1)["st-ev"]).toEqual({ v: false, t: app.clock.now() });
    expect((await app.client().get("/protected", { authorization: `Bearer ${accessToken}` })).status).toBe(200);

    expect(await app.client().post("/auth/user/email/verify/token", {}, { authorization: `Bearer ${accessToken}` }).then((r) => r.body)).toEqual({ status: "OK" });
    expect(plain(delivered)).toEqual([
      {
        type: "EMAIL_VERIFICATION",
        user: { id: userId, recipeUserId: userId, email },
        emailVerifyLink: expect.stringMatching(/^http:\/\/localhost\/auth\/verify-email\?token=[A-Za-z0-9_-]{43}&tenantId=public$/) as unknown,
        tenantId: "public",
      },
    ]);
    expect(await app.auth.engine.outbox.list(50)).toEqual([]);
  });
});
