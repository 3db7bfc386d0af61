/**
 * Passwordless over HTTP, on every database: one-time codes and magic links by email and SMS
 * (read from the development outbox), attempt counting, expiry, single use under concurrency,
 * the resend cooldown, hashing at rest, and the FDI's 400s.
 * @see issue #7
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUserContext } from "../src/core/user-context.js";
import { initPasswordless, PASSWORDLESS_RECIPE_ID, type PasswordlessRecipe } from "../src/recipes/passwordless/passwordless-recipe.js";
import type { OutboxMessage } from "../src/storage/storage.js";
import { databaseVariants, type TestDatabase } from "./helpers/databases.js";
import { dumpPortcullisRows } from "./helpers/raw-rows.js";
import { startTestApp, type TestApp } from "./helpers/test-app.js";

const variants = await databaseVariants();
const LIFETIME_MS = 600_000;
const COOLDOWN_MS = 15_000;

type CreateCodeBody = { status: string; deviceId: string; preAuthSessionId: string; flowType: string };
type ConsumeBody = { status: string; createdNewRecipeUser?: boolean; user?: { id: string; emails: string[]; phoneNumbers: string[]; loginMethods: { recipeId: string; verified: boolean }[] }; failedCodeInputAttemptCount?: number; maximumCodeInputAttempts?: number; message?: string };

describe.each(variants.map((make) => [make().name, make] as const))("passwordless on %s", (_name, makeDatabase) => {
  let database: TestDatabase;
  let app: TestApp;
  let counter = 0;
  const nextEmail = () => `pl${++counter}-${Date.now()}@example.com`;

  beforeAll(async () => {
    database = makeDatabase();
    app = await startTestApp({ database: database.url, recipes: [initPasswordless({ contactMethod: "EMAIL_OR_PHONE" })] });
  });

  afterAll(async () => {
    await app?.close();
    await database?.cleanup();
  });

  /** The newest outbox message to `recipient`. */
  async function lastMessageTo(recipient: string): Promise<OutboxMessage> {
    const message = (await app.auth.engine.outbox.list(200)).find((m) => m.recipient === recipient);
    if (message === undefined) throw new Error(`no message to ${recipient}`);
    return message;
  }

  async function codeFor(recipient: string): Promise<{ code: string; link: URL | undefined }> {
    const message = await lastMessageTo(recipient);
    const code = /\b(\d{6})\b/.exec(message.textBody)?.[1];
    if (code === undefined) throw new Error(`no code in ${message.textBody}`);
    const linkText = /(https?:\/\/\S+#\S+)/.exec(message.textBody)?.[1];
    return { code, link: linkText === undefined ? undefined : new URL(linkText) };
  }

  async function createCode(contact: { email: string } | { phoneNumber: string }): Promise<CreateCodeBody> {
    const response = await app.client().post("/auth/signinup/code", contact);
    expect(response.status).toBe(200);
    const body = response.body as CreateCodeBody;
    expect(body.status).toBe("OK");
    return body;
  }

  const consume = (body: Record<string, unknown>, headers?: Record<string, string>) => app.client(headers).post("/auth/signinup/code/consume", body);

  it("signs up with an emailed code, once and only once", async () => {
    const email = nextEmail();
    const created = await createCode({ email });
    expect(created.flowType).toBe("USER_INPUT_CODE_AND_MAGIC_LINK");
    expect(created.preAuthSessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { code, link } = await codeFor(email);
    expect(link?.pathname).toBe("/auth/verify");
    expect(link?.searchParams.get("preAuthSessionId")).toBe(created.preAuthSessionId);

    const signedIn = await consume({ preAuthSessionId: created.preAuthSessionId, deviceId: created.deviceId, userInputCode: code }, { "st-auth-mode": "header" });
    const body = signedIn.body as ConsumeBody;
    expect(body.status).toBe("OK");
    expect(body.createdNewRecipeUser).toBe(true);
    expect(body.user?.emails).toEqual([email]);
    expect(body.user?.loginMethods).toEqual([expect.objectContaining({ recipeId: "passwordless", verified: true })]);
    expect(signedIn.headers.get("st-access-token")).toBeTruthy();

    const again = await consume({ preAuthSessionId: created.preAuthSessionId, deviceId: created.deviceId, userInputCode: code });
    expect((again.body as ConsumeBody).status).toBe("RESTART_FLOW_ERROR");

    // A later sign-in finds the same user (a second later, so its email is the newest).
    app.clock.advance(1000);
    const second = await createCode({ email: email.toUpperCase() });
    const secondCode = await codeFor(email);
    const signedInAgain = (await consume({ preAuthSessionId: second.preAuthSessionId, deviceId: second.deviceId, userInputCode: secondCode.code })).body as ConsumeBody;
    expect(signedInAgain).toMatchObject({ status: "OK", createdNewRecipeUser: false });
    expect(signedInAgain.user?.id).toBe(body.user?.id);
  });

  it("counts wrong codes, shows the counts, and restarts the flow at the fifth failure", async () => {
    const email = nextEmail();
    const created = await createCode({ email });
    const { code } = await codeFor(email);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let attempt = 1; attempt <= 4; attempt++) {
      const body = (await consume({ preAuthSessionId: created.preAuthSessionId, deviceId: created.deviceId, userInputCode: wrong })).body;
      expect(body).toEqual({ status: "INCORRECT_USER_INPUT_CODE_ERROR", failedCodeInputAttemptCount: attempt, maximumCodeInputAttempts: 5 });
    }
    const fifth = (await consume({ preAuthSessionId: created.preAuthSessionId, deviceId: created.deviceId, userInputCode: wrong })).body;
    expect(fifth).toEqual({ status: "RESTART_FLOW_ERROR" });
    // The right code is useless now: the attempt is gone.
    const right = (await consume({ preAuthSessionId: created.preAuthSessionId, deviceId: created.deviceId, userInputCode: code })).body;
    expect(right).toEqual({ status: "RESTART_FLOW_ERROR" });
  });

  it("refuses an expired code and counts it", async () => {
    const email = nextEmail();
    const created = await createCode({ email });
    const { code } = await codeFor(email);
    app.clock.advance(LIFETIME_MS + 1);
    const body = (await consume({ preAuthSessionId: created.preAuthSessionId, deviceId: created.deviceId, userInputCode: code })).body;
    expect(body).toEqual({ status: "EXPIRED_USER_INPUT_CODE_ERROR", failedCodeInputAttemptCount: 1, maximumCodeInputAttempts: 5 });
  });

  it("enforces the resend cooldown, and a new code does not reset the failure count", async () => {
    const email = nextEmail();
    const created = await createCode({ email });
    const device = { preAuthSessionId: created.preAuthSessionId, deviceId: created.deviceId };
    const first = await codeFor(email);
    await consume({ ...device, userInputCode: first.code === "000000" ? "111111" : "000000" });

    const tooSoon = await app.client().post("/auth/signinup/code/resend", device);
    expect(tooSoon.body).toEqual({ status: "GENERAL_ERROR", message: expect.stringMatching(/^Please wait before asking for another code\. Please try again in \d+ seconds\.$/) });
    expect(Number(tooSoon.headers.get("retry-after"))).toBeGreaterThan(0);

    app.clock.advance(COOLDOWN_MS);
    const resent = await app.client().post("/auth/signinup/code/resend", device);
    expect(resent.body).toEqual({ status: "OK" });
    const second = await codeFor(email);
    const wrongAgain = (await consume({ ...device, userInputCode: second.code === "000000" ? "111111" : "000000" })).body;
    expect(wrongAgain).toMatchObject({ status: "INCORRECT_USER_INPUT_CODE_ERROR", failedCodeInputAttemptCount: 2 });
    // Both codes stay valid until they expire; either signs in.
    expect(((await consume({ ...device, userInputCode: first.code })).body as ConsumeBody).status).toBe("OK");
  });

  it("signs in by magic link with a POST; a GET does not consume it", async () => {
    const email = nextEmail();
    const created = await createCode({ email });
    const { link } = await codeFor(email);
    const linkCode = link?.hash.slice(1) as string;
    expect(linkCode).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // A mail scanner follows the link (a page of the website) and may probe the API with GETs: nothing is consumed.
    expect((await app.client().get(`/auth/signinup/code/consume?preAuthSessionId=${created.preAuthSessionId}&linkCode=${linkCode}`)).status).toBe(404);
    const body = (await consume({ preAuthSessionId: created.preAuthSessionId, linkCode })).body as ConsumeBody;
    expect(body.status).toBe("OK");
    expect(((await consume({ preAuthSessionId: created.preAuthSessionId, linkCode })).body as ConsumeBody).status).toBe("RESTART_FLOW_ERROR");
  });

  it("gives one session to concurrent consumes of one code", async () => {
    const email = nextEmail();
    const created = await createCode({ email });
    const { code } = await codeFor(email);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => consume({ preAuthSessionId: created.preAuthSessionId, deviceId: created.deviceId, userInputCode: code })),
    );
    const statuses = results.map((r) => (r.body as ConsumeBody).status).sort();
    expect(statuses).toEqual(["OK", "RESTART_FLOW_ERROR", "RESTART_FLOW_ERROR", "RESTART_FLOW_ERROR", "RESTART_FLOW_ERROR", "RESTART_FLOW_ERROR"]);
    const user = (results.find((r) => (r.body as ConsumeBody).status === "OK")?.body as ConsumeBody).user as { id: string };
    expect(await app.auth.engine.storage.sessions.listHandlesForUser(user.id, undefined, app.clock.now())).toHaveLength(1);
  });

  it("signs up by SMS code with the number normalised to E.164", async () => {
    const created = await createCode({ phoneNumber: "+1 (415) 555-2671" });
    const sms = await lastMessageTo("+14155552671");
    expect(sms.channel).toBe("sms");
    const code = /\b(\d{6})\b/.exec(sms.textBody)?.[1] as string;
    const body = (await consume({ preAuthSessionId: created.preAuthSessionId, deviceId: created.deviceId, userInputCode: code })).body as ConsumeBody;
    expect(body.status).toBe("OK");
    expect(body.user?.phoneNumbers).toEqual(["+14155552671"]);
    expect((await app.client().get("/auth/passwordless/phonenumber/exists?phoneNumber=%2B14155552671")).body).toEqual({ status: "OK", exists: true });
    expect((await app.client().get("/auth/passwordless/phonenumber/exists?phoneNumber=%2B14155550000")).body).toEqual({ status: "OK", exists: false });
  });

  it("answers invalid contacts with GENERAL_ERROR and malformed requests with 400", async () => {
    expect((await app.client().post("/auth/signinup/code", { email: "not-an-email" })).body).toEqual({ status: "GENERAL_ERROR", message: "Email is invalid" });
    expect((await app.client().post("/auth/signinup/code", { phoneNumber: "+1 555" })).body).toEqual({ status: "GENERAL_ERROR", message: "Phone number is invalid" });
    expect((await app.client().post("/auth/signinup/code", { email: "a\u0000b@example.com" })).body).toEqual({ status: "GENERAL_ERROR", message: "Email is invalid" });
    const badRequests: [string, unknown, string][] = [
      ["/auth/signinup/code", {}, "Please provide exactly one of email or phoneNumber"],
      ["/auth/signinup/code", { email: "a@example.com", phoneNumber: "+14155552671" }, "Please provide exactly one of email or phoneNumber"],
      ["/auth/signinup/code", { email: 42 }, "email must be a string"],
      ["/auth/signinup/code/resend", { deviceId: "x" }, "Please provide preAuthSessionId"],
      ["/auth/signinup/code/resend", { preAuthSessionId: "x" }, "Please provide a deviceId"],
      ["/auth/signinup/code/consume", { linkCode: "x" }, "Please provide preAuthSessionId"],
      ["/auth/signinup/code/consume", { preAuthSessionId: "x" }, "Please provide one of (linkCode) or (deviceId+userInputCode) and not both"],
      ["/auth/signinup/code/consume", { preAuthSessionId: "x", linkCode: "y", deviceId: "z", userInputCode: "1" }, "Please provide one of (linkCode) or (deviceId+userInputCode) and not both"],
      ["/auth/signinup/code/consume", { preAuthSessionId: "x", deviceId: "z" }, "Please provide both deviceId and userInputCode"],
    ];
    for (const [path, body, message] of badRequests) {
      const response = await app.client().post(path, body);
      expect({ path, status: response.status, body: response.body }).toEqual({ path, status: 400, body: { message } });
    }
    expect((await app.client().get("/auth/passwordless/email/exists")).status).toBe(400);
    // A device id that is not the one behind the preAuthSessionId restarts the flow.
    const created = await createCode({ email: nextEmail() });
    const forged = (await consume({ preAuthSessionId: created.preAuthSessionId, deviceId: "AAAA", userInputCode: "123456" })).body;
    expect(forged).toEqual({ status: "RESTART_FLOW_ERROR" });
  });

  it("stores only hashes: no code, link code or device id is in the database", async () => {
    const recipe = app.auth.engine.requireRecipe<PasswordlessRecipe>(PASSWORDLESS_RECIPE_ID);
    const email = nextEmail();
    const created = await recipe.recipeInterfaceImpl.createCode({ email, tenantId: "public", session: undefined, shouldTryLinkingWithSessionUser: false, userContext: makeUserContext({}) });
    const resent = await recipe.recipeInterfaceImpl.createNewCodeForDevice({ deviceId: created.deviceId, tenantId: "public", userInputCode: "802715", userContext: makeUserContext({}) });
    expect(resent.status).toBe("OK");
    const rows = await dumpPortcullisRows(app.databaseUrl);
    expect(rows).toContain(created.preAuthSessionId);
    for (const secret of [created.userInputCode, created.linkCode, created.deviceId, "802715"]) expect(rows).not.toContain(secret);
  });

  it("tells whether an email has a passwordless account", async () => {
    const email = nextEmail();
    const exists = () => app.client().get(`/auth/passwordless/email/exists?email=${encodeURIComponent(email)}`);
    expect((await exists()).body).toEqual({ status: "OK", exists: false });
    await app.auth.engine.requireRecipe<PasswordlessRecipe>(PASSWORDLESS_RECIPE_ID).signInUp({ email }, "public");
    expect((await exists()).body).toEqual({ status: "OK", exists: true });
  });
});

describe("passwordless limits and flows (SQLite)", () => {
  let database: TestDatabase;
  let app: TestApp;

  afterAll(async () => {
    await app?.close();
    await database?.cleanup();
  });

  beforeAll(async () => {
    database = (await databaseVariants())[0]!();
    app = await startTestApp({
      database: database.url,
      recipes: [initPasswordless({ contactMethod: "EMAIL", flowType: "MAGIC_LINK" })],
      limits: { loginCodes: { perAccount: { max: 3, windowMs: 3_600_000 } } },
    });
  });

  it("caps the codes sent to one address per hour", async () => {
    const email = `capped-${Date.now()}@example.com`;
    for (let i = 0; i < 3; i++) expect(((await app.client().post("/auth/signinup/code", { email })).body as { status: string }).status).toBe("OK");
    const refused = await app.client().post("/auth/signinup/code", { email });
    expect(refused.body).toEqual({ status: "GENERAL_ERROR", message: expect.stringMatching(/^Too many codes were requested for this email or phone number\./) });
    // Another address is not affected.
    expect(((await app.client().post("/auth/signinup/code", { email: `other-${email}` })).body as { status: string }).status).toBe("OK");
  });

  it("sends only a link in the MAGIC_LINK flow, and a typed code never signs in", async () => {
    const email = `link-only-${Date.now()}@example.com`;
    const created = (await app.client().post("/auth/signinup/code", { email })).body as CreateCodeBody;
    expect(created.flowType).toBe("MAGIC_LINK");
    const message = (await app.auth.engine.outbox.list(20)).find((m) => m.recipient === email) as OutboxMessage;
    expect(message.textBody).not.toMatch(/\b\d{6}\b/);
    // Even the right code (read from the store's own derivation) is refused when typed.
    const recipe = app.auth.engine.requireRecipe<PasswordlessRecipe>(PASSWORDLESS_RECIPE_ID);
    const ownCode = await recipe.recipeInterfaceImpl.createNewCodeForDevice({ deviceId: created.deviceId, tenantId: "public", userInputCode: "424242", userContext: makeUserContext({}) });
    expect(ownCode.status).toBe("OK");
    const typed = (await app.client().post("/auth/signinup/code/consume", { preAuthSessionId: created.preAuthSessionId, deviceId: created.deviceId, userInputCode: "424242" })).body;
    expect(typed).toMatchObject({ status: "INCORRECT_USER_INPUT_CODE_ERROR", failedCodeInputAttemptCount: 1 });
    expect((await app.client().post("/auth/signinup/code", { phoneNumber: "+14155552671" })).status).toBe(400);
  });
});
