/**
 * Phone + password over HTTP, on every database: sign-up and sign-in, the throttle and enumeration,
 * phone verification and password reset by SMS code (read from the development outbox), attempts,
 * expiry, single use under concurrency, sessions revoked after a reset or a change, codes hashed at
 * rest, tenants kept apart, and 400s for malformed input.
 * @see issue #8, seed 001
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MultitenancyRecipe } from "../src/recipes/multitenancy/multitenancy-recipe.js";
import { initPhonePassword } from "../src/recipes/phonepassword/phonepassword-recipe.js";
import { databaseVariants, type TestDatabase } from "./helpers/databases.js";
import { dumpPortcullisRows } from "./helpers/raw-rows.js";
import { startTestApp, type TestApp } from "./helpers/test-app.js";

const variants = await databaseVariants();
const PASSWORD = "correct-horse-1";
const NEW_PASSWORD = "battery-staple-2";
const LIFETIME_MS = 600_000;

type UserBody = { id: string; phoneNumbers: string[]; loginMethods: { recipeId: string; phoneNumber?: string; verified: boolean }[] };

describe.each(variants.map((make) => [make().name, make] as const))("phone + password on %s", (_name, makeDatabase) => {
  let database: TestDatabase;
  let app: TestApp;
  let counter = 0;
  /** A fresh, valid US number per call: +1 415 555 01xx … */
  const nextPhone = () => `+1415555${String(1000 + ++counter).padStart(4, "0")}`;
  const form = (phoneNumber: unknown, password: unknown) => ({ formFields: [{ id: "phoneNumber", value: phoneNumber }, { id: "password", value: password }] });
  const signUp = (phoneNumber: string, password = PASSWORD, prefix = "") => app.client({ "st-auth-mode": "header" }).post(`/auth${prefix}/phonepassword/signup`, form(phoneNumber, password));
  const signIn = (phoneNumber: string, password = PASSWORD, prefix = "") => app.client({ "st-auth-mode": "header" }).post(`/auth${prefix}/phonepassword/signin`, form(phoneNumber, password));
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  /** Signs up and returns the user and an access token of the new session. */
  async function newAccount(prefix = ""): Promise<{ phone: string; user: UserBody; token: string }> {
    const phone = nextPhone();
    const response = await signUp(phone, PASSWORD, prefix);
    expect(response.body.status).toBe("OK");
    return { phone, user: response.body.user as UserBody, token: response.headers.get("st-access-token") ?? "" };
  }

  /** The newest text of this kind to `phone` (the manual clock can give two texts the same time, so the kind tells them apart). */
  async function smsTo(phone: string, kind: "reset" | "verification" = "reset"): Promise<{ code: string; body: string } | undefined> {
    const message = (await app.auth.engine.outbox.list(500)).find((m) => m.channel === "sms" && m.recipient === phone && m.textBody.includes(kind));
    if (message === undefined) return undefined;
    const code = /\b(\d{6})\b/.exec(message.textBody)?.[1];
    if (code === undefined) throw new Error(`no code in ${message.textBody}`);
    return { code, body: message.textBody };
  }

  /** Reset texts are sent without being awaited (so latency tells nothing): wait for it a little. */
  async function codeFor(phone: string, kind: "reset" | "verification" = "reset"): Promise<string> {
    let sms = await smsTo(phone, kind);
    for (let i = 0; sms === undefined && i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      sms = await smsTo(phone, kind);
    }
    if (sms === undefined) throw new Error(`no SMS to ${phone}`);
    return sms.code;
  }

  /** Long enough for a text that was going to be written to land in the outbox. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
  const wrongCode = (code: string) => (code === "000000" ? "111111" : "000000");

  /** A verified account: signed up, a code texted to the number, the code typed back. */
  async function verifiedAccount(prefix = ""): Promise<{ phone: string; user: UserBody; token: string }> {
    const account = await newAccount(prefix);
    expect((await app.client().post(`/auth${prefix}/phonepassword/verify/code`, {}, bearer(account.token))).body).toEqual({ status: "OK" });
    const code = await codeFor(account.phone, "verification");
    expect((await app.client().post(`/auth${prefix}/phonepassword/verify`, { code }, bearer(account.token))).body).toEqual({ status: "OK" });
    return account;
  }

  const requestReset = (phoneNumber: unknown, prefix = "") => app.client().post(`/auth${prefix}/phonepassword/reset/code`, { phoneNumber });
  const reset = (body: Record<string, unknown>, prefix = "") => app.client().post(`/auth${prefix}/phonepassword/reset`, body);

  beforeAll(async () => {
    database = makeDatabase();
    app = await startTestApp({ database: database.url, recipes: [initPhonePassword()] });
    await app.auth.getRecipe<MultitenancyRecipe>("multitenancy")?.recipeInterfaceImpl.createOrUpdateTenant({ tenantId: "acme", userContext: {} });
  });

  afterAll(async () => {
    await app?.close();
    await database?.cleanup();
  });

  it("signs up with a number in any spelling, stores it as E.164 unverified, and signs in", async () => {
    const response = await signUp("+1 (415) 555-0001");
    expect(response.body.status).toBe("OK");
    expect(response.headers.get("st-access-token")).toBeTruthy();
    const user = response.body.user as UserBody;
    expect(user.phoneNumbers).toEqual(["+14155550001"]);
    expect(user.loginMethods).toEqual([expect.objectContaining({ recipeId: "phonepassword", phoneNumber: "+14155550001", verified: false })]);

    const signedIn = await signIn("+14155550001");
    expect(signedIn.body).toMatchObject({ status: "OK", user: { id: user.id } });
    expect(signedIn.headers.get("st-access-token")).toBeTruthy();
    expect((await app.client().get("/auth/phonepassword/phonenumber/exists?phoneNumber=%2B1%20415%20555%200001")).body).toEqual({ status: "OK", exists: true });
    expect((await app.client().get("/auth/phonepassword/phonenumber/exists?phoneNumber=%2B14155550002")).body).toEqual({ status: "OK", exists: false });
  });

  it("answers a taken number, an invalid number and a weak password with field errors", async () => {
    const { phone } = await newAccount();
    expect((await signUp(phone)).body).toEqual({
      status: "FIELD_ERROR",
      formFields: [{ id: "phoneNumber", error: "This phone number already exists. Please sign in instead." }],
    });
    expect((await signUp("+15555555555")).body).toEqual({ status: "FIELD_ERROR", formFields: [{ id: "phoneNumber", error: "Phone number is invalid" }] });
    expect((await signUp(nextPhone(), "short")).body).toEqual({
      status: "FIELD_ERROR",
      formFields: [{ id: "password", error: "Password must contain at least 8 characters, including a number" }],
    });
    expect((await signUp(nextPhone(), "onlyletters")).body).toEqual({ status: "FIELD_ERROR", formFields: [{ id: "password", error: "Password must contain at least one number" }] });
    expect((await signUp("", "")).body).toEqual({
      status: "FIELD_ERROR",
      formFields: [
        { id: "phoneNumber", error: "Field is not optional" },
        { id: "password", error: "Field is not optional" },
      ],
    });
  });

  it("answers a wrong password and an unknown number alike, and throttles both", async () => {
    const { phone } = await newAccount();
    const unknown = nextPhone();
    const wrong = await signIn(phone, "not-the-password-1");
    const ghost = await signIn(unknown, "not-the-password-1");
    expect(wrong.body).toEqual({ status: "WRONG_CREDENTIALS_ERROR" });
    expect(ghost.body).toEqual(wrong.body);
    for (let i = 0; i < 4; i++) {
      await signIn(phone, "not-the-password-1");
      await signIn(unknown, "not-the-password-1");
    }
    // Five failures are free; the next attempt waits, even with the right password.
    for (const number of [phone, unknown]) {
      const throttled = await signIn(number);
      expect(throttled.body.status).toBe("GENERAL_ERROR");
      expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    app.clock.advance(60_000);
    expect((await signIn(phone)).body.status).toBe("OK");
  });

  it("verifies the number with a texted code; wrong codes are counted; a verified number is not texted again", async () => {
    const account = await newAccount();
    expect((await app.client().post("/auth/phonepassword/verify/code", {})).status).toBe(401);
    expect((await app.client().post("/auth/phonepassword/verify/code", {}, bearer(account.token))).body).toEqual({ status: "OK" });
    const sms = await smsTo(account.phone, "verification");
    expect(sms?.body).toMatch(/verification code is \d{6}\. It expires in 10 minutes/);
    const code = sms?.code ?? "";
    expect((await app.client().post("/auth/phonepassword/verify", { code: wrongCode(code) }, bearer(account.token))).body).toEqual({
      status: "INCORRECT_CODE_ERROR",
      failedCodeInputAttemptCount: 1,
      maximumCodeInputAttempts: 5,
    });
    expect((await app.client().post("/auth/phonepassword/verify", { code }, bearer(account.token))).body).toEqual({ status: "OK" });
    expect((await app.client().post("/auth/phonepassword/verify", { code }, bearer(account.token))).body).toEqual({ status: "RESTART_FLOW_ERROR" });
    expect((await signIn(account.phone)).body.user.loginMethods[0].verified).toBe(true);
    expect((await app.client().post("/auth/phonepassword/verify/code", {}, bearer(account.token))).body).toEqual({ status: "PHONE_ALREADY_VERIFIED_ERROR" });
  });

  it("sends a reset code only to a verified number: unverified is an error, unknown is OK with nothing sent", async () => {
    const unverified = await newAccount();
    expect((await requestReset(unverified.phone)).body).toEqual({
      status: "PHONE_NOT_VERIFIED_ERROR",
      message: "This phone number is not verified, so it cannot be used to reset the password",
    });
    expect(await smsTo(unverified.phone, "reset")).toBeUndefined();
    const unknown = nextPhone();
    expect((await requestReset(unknown)).body).toEqual({ status: "OK" });
    await settle();
    expect(await smsTo(unknown)).toBeUndefined();
  });

  it("resets the password with the texted code, once, and revokes every session of the user", async () => {
    const account = await verifiedAccount();
    const second = (await signIn(account.phone)).headers.get("st-access-token") ?? "";
    expect((await app.client().get("/protected-db", bearer(second))).status).toBe(200);

    expect((await requestReset(" +1 415 555 " + account.phone.slice(-4))).body).toEqual({ status: "OK" });
    const code = await codeFor(account.phone);
    expect((await smsTo(account.phone))?.body).toMatch(/password reset code is \d{6}/);
    // A weak password is refused before the code is touched: it still works afterwards.
    expect((await reset({ phoneNumber: account.phone, code, newPassword: "weak" })).body).toEqual({
      status: "PASSWORD_POLICY_VIOLATED_ERROR",
      failureReason: "Password must contain at least 8 characters, including a number",
    });
    expect((await reset({ phoneNumber: account.phone, code: wrongCode(code), newPassword: NEW_PASSWORD })).body).toEqual({
      status: "INCORRECT_CODE_ERROR",
      failedCodeInputAttemptCount: 1,
      maximumCodeInputAttempts: 5,
    });
    expect((await reset({ phoneNumber: account.phone, code, newPassword: NEW_PASSWORD })).body).toEqual({ status: "OK" });
    expect((await reset({ phoneNumber: account.phone, code, newPassword: NEW_PASSWORD })).body).toEqual({ status: "RESTART_FLOW_ERROR" });

    for (const token of [account.token, second]) expect((await app.client().get("/protected-db", bearer(token))).status).toBe(401);
    expect((await signIn(account.phone)).body).toEqual({ status: "WRONG_CREDENTIALS_ERROR" });
    expect((await signIn(account.phone, NEW_PASSWORD)).body.status).toBe("OK");
  });

  it("voids a code at the fifth wrong try; a new code keeps the count; the right code is then useless", async () => {
    const account = await verifiedAccount();
    await requestReset(account.phone);
    const first = await codeFor(account.phone);
    for (let attempt = 1; attempt <= 2; attempt++) {
      expect((await reset({ phoneNumber: account.phone, code: wrongCode(first), newPassword: NEW_PASSWORD })).body).toMatchObject({ failedCodeInputAttemptCount: attempt });
    }
    app.clock.advance(1000);
    await requestReset(account.phone);
    const second = await codeFor(account.phone);
    // The first code is replaced.
    if (second !== first) {
      expect((await reset({ phoneNumber: account.phone, code: first, newPassword: NEW_PASSWORD })).body).toMatchObject({ failedCodeInputAttemptCount: 3 });
    } else {
      expect((await reset({ phoneNumber: account.phone, code: wrongCode(second), newPassword: NEW_PASSWORD })).body).toMatchObject({ failedCodeInputAttemptCount: 3 });
    }
    expect((await reset({ phoneNumber: account.phone, code: wrongCode(second), newPassword: NEW_PASSWORD })).body).toMatchObject({
      status: "INCORRECT_CODE_ERROR",
      failedCodeInputAttemptCount: 4,
    });
    // Past five failures the sign-in throttle also delays this number's code checks; time moves past the wait.
    app.clock.advance(5000);
    expect((await reset({ phoneNumber: account.phone, code: wrongCode(second), newPassword: NEW_PASSWORD })).body).toEqual({ status: "RESTART_FLOW_ERROR" });
    app.clock.advance(60_000);
    expect((await reset({ phoneNumber: account.phone, code: second, newPassword: NEW_PASSWORD })).body).toEqual({ status: "RESTART_FLOW_ERROR" });
    expect((await signIn(account.phone)).body.status).toBe("OK");
  });

  it("refuses an expired code and counts it", async () => {
    const account = await verifiedAccount();
    await requestReset(account.phone);
    const code = await codeFor(account.phone);
    app.clock.advance(LIFETIME_MS + 1);
    expect((await reset({ phoneNumber: account.phone, code, newPassword: NEW_PASSWORD })).body).toEqual({
      status: "EXPIRED_CODE_ERROR",
      failedCodeInputAttemptCount: 1,
      maximumCodeInputAttempts: 5,
    });
    expect((await signIn(account.phone)).body.status).toBe("OK");
  });

  it("lets exactly one of two concurrent resets with the same code win", async () => {
    const account = await verifiedAccount();
    await requestReset(account.phone);
    const code = await codeFor(account.phone);
    const results = await Promise.all(
      ["first-password-1", "second-password-2"].map((newPassword) => reset({ phoneNumber: account.phone, code, newPassword })),
    );
    const statuses = results.map((r) => r.body.status as string).sort();
    expect(statuses).toEqual(["OK", "RESTART_FLOW_ERROR"]);
    const winner = results[0]?.body.status === "OK" ? "first-password-1" : "second-password-2";
    expect((await signIn(account.phone, winner)).body.status).toBe("OK");
  });

  it("stores only salted hashes of the codes", async () => {
    const account = await verifiedAccount();
    await requestReset(account.phone);
    const code = await codeFor(account.phone);
    const dump = JSON.parse(await dumpPortcullisRows(app.databaseUrl)) as Record<string, Record<string, unknown>[]>;
    const codesTable = Object.entries(dump).find(([table]) => table.endsWith("phone_codes"))?.[1] ?? [];
    const row = codesTable.find((r) => r["phone_number"] === account.phone && r["purpose"] === "password-reset");
    expect(row).toBeDefined();
    expect(String(row?.["code_hash"])).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Nowhere in the database is the live code stored as a value (the outbox is the only copy, as a text body).
    const values = Object.entries(dump)
      .filter(([table]) => !table.endsWith("outbox"))
      .flatMap(([, rows]) => rows.flatMap((r) => Object.values(r).map(String)));
    expect(values).not.toContain(code);
    expect(values.some((value) => value.includes(`"${code}"`))).toBe(false);
  });

  it("keeps tenants apart: accounts, reset codes and their use", async () => {
    const account = await verifiedAccount();
    expect((await signIn(account.phone, PASSWORD, "/acme")).body).toEqual({ status: "WRONG_CREDENTIALS_ERROR" });
    // Unknown in acme: answered OK, nothing sent.
    const before = (await app.auth.engine.outbox.list(500)).length;
    expect((await requestReset(account.phone, "/acme")).body).toEqual({ status: "OK" });
    await settle();
    expect((await app.auth.engine.outbox.list(500)).length).toBe(before);

    await requestReset(account.phone);
    const code = await codeFor(account.phone);
    expect((await reset({ phoneNumber: account.phone, code, newPassword: NEW_PASSWORD }, "/acme")).body).toEqual({ status: "RESTART_FLOW_ERROR" });
    // The owner's code survives the attempt in the other tenant.
    expect((await reset({ phoneNumber: account.phone, code, newPassword: NEW_PASSWORD })).body).toEqual({ status: "OK" });

    // The same number is a separate account in acme; a session of public cannot verify it there.
    const acme = await newAccount("/acme");
    expect((await app.client().post("/auth/acme/phonepassword/verify/code", {}, bearer(account.token))).body).toEqual({
      status: "GENERAL_ERROR",
      message: "This account has no phone number to verify",
    });
    expect((await app.client().post("/auth/acme/phonepassword/verify/code", {}, bearer(acme.token))).body).toEqual({ status: "OK" });
  });

  it("changes the password with the old one, revokes every session, and clears the caller's tokens", async () => {
    const account = await newAccount();
    const other = (await signIn(account.phone)).headers.get("st-access-token") ?? "";
    const change = (body: Record<string, unknown>, token = account.token) => app.client().post("/auth/phonepassword/password/change", body, bearer(token));
    expect((await app.client().post("/auth/phonepassword/password/change", { oldPassword: PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(401);
    expect((await change({ oldPassword: "wrong-password-9", newPassword: NEW_PASSWORD })).body).toEqual({ status: "WRONG_CREDENTIALS_ERROR" });
    expect((await change({ oldPassword: PASSWORD, newPassword: "weak" })).body).toEqual({
      status: "PASSWORD_POLICY_VIOLATED_ERROR",
      failureReason: "Password must contain at least 8 characters, including a number",
    });
    const changed = await change({ oldPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(changed.body).toEqual({ status: "OK" });
    expect(changed.headers.get("st-access-token")).toBe("");
    for (const token of [account.token, other]) expect((await app.client().get("/protected-db", bearer(token))).status).toBe(401);
    expect((await signIn(account.phone)).body).toEqual({ status: "WRONG_CREDENTIALS_ERROR" });
    expect((await signIn(account.phone, NEW_PASSWORD)).body.status).toBe("OK");
  });

  it("answers malformed input with 400 and a message", async () => {
    const cases: [string, unknown][] = [
      ["/auth/phonepassword/signup", {}],
      ["/auth/phonepassword/signup", { formFields: "x" }],
      ["/auth/phonepassword/signup", form(14155550123, PASSWORD)],
      ["/auth/phonepassword/signup", { formFields: [...form(nextPhone(), PASSWORD).formFields, { id: "email", value: "a@b.c" }] }],
      ["/auth/phonepassword/signin", form(nextPhone(), { nested: true })],
      ["/auth/phonepassword/signin", form(nextPhone(), "x".repeat(2000))],
      ["/auth/phonepassword/reset/code", {}],
      ["/auth/phonepassword/reset/code", { phoneNumber: 1 }],
      ["/auth/phonepassword/reset/code", { phoneNumber: "not a number" }],
      ["/auth/phonepassword/reset", { phoneNumber: "+14155550123", newPassword: NEW_PASSWORD }],
      ["/auth/phonepassword/reset", { phoneNumber: "+14155550123", code: 123456, newPassword: NEW_PASSWORD }],
      ["/auth/phonepassword/reset", { phoneNumber: "+14155550123", code: "123456" }],
      ["/auth/phonepassword/verify", { code: ["1"] }],
      ["/auth/phonepassword/password/change", { oldPassword: PASSWORD }],
    ];
    for (const [path, body] of cases) {
      const response = await app.client().post(path, body);
      expect(response.status, `${path} ${JSON.stringify(body).slice(0, 80)}`).toBe(400);
      expect(typeof response.body?.message).toBe("string");
    }
    expect((await app.client().get("/auth/phonepassword/phonenumber/exists")).status).toBe(400);
  });
});
