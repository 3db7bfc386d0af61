import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseVariants, type TestDatabase } from "./helpers/databases.js";
import { credentials, startTestApp, useSqliteTestApp, type TestApp } from "./helpers/test-app.js";
import type { MultitenancyRecipe } from "../src/recipes/multitenancy/multitenancy-recipe.js";
import type { EmailPasswordRecipe } from "../src/recipes/emailpassword/emailpassword-recipe.js";

const variants = await databaseVariants();

describe.each(variants.map((make) => [make().name, make] as const))("password reset on %s", (_name, makeDatabase) => {
  let database: TestDatabase;
  let app: TestApp;
  let counter = 0;

  beforeAll(async () => {
    database = makeDatabase();
    app = await startTestApp({ database: database.url, websiteDomain: "https://app.example.com" });
    await app.auth.getRecipe<MultitenancyRecipe>("multitenancy")?.recipeInterfaceImpl.createOrUpdateTenant({ tenantId: "acme", userContext: {} });
  });
  afterAll(async () => {
    await app.close();
    await database.cleanup();
  });

  const client = () => app.client({ rid: "emailpassword", "st-auth-mode": "header" });

  async function newUser(tenant = "public") {
    const email = `reset${++counter}-${Date.now()}@example.com`;
    const prefix = tenant === "public" ? "" : `/${tenant}`;
    const signUp = await client().post(`/auth${prefix}/signup`, credentials(email, "oldpassword1"));
    expect(signUp.body.status).toBe("OK");
    return { email, userId: signUp.body.user.id as string, refreshToken: signUp.headers.get("st-refresh-token") as string, prefix };
  }

  /** Delivery is not awaited by the API (so timing does not reveal accounts): poll the outbox. */
  async function waitForResetLink(email: string): Promise<string> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const message = (await app.auth.engine.storage.outbox.listNewest(50)).find((m) => m.recipient === email);
      const link = message?.textBody.match(/https?:\/\/\S+reset-password\?token=[A-Za-z0-9_-]+&tenantId=[a-z0-9-]+/)?.[0];
      if (link !== undefined) return link;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no reset email for ${email}`);
  }

  const submit = (prefix: string, token: unknown, password: string) =>
    client().post(`/auth${prefix}/user/password/reset`, { formFields: [{ id: "password", value: password }], token, method: "token" });

  it("emails a link on the configured website domain; the token works once and only once", async () => {
    const user = await newUser();
    const request = await client().post("/auth/user/password/reset/token", { formFields: [{ id: "email", value: user.email }] });
    expect(request.body).toEqual({ status: "OK" });
    const link = await waitForResetLink(user.email);
    expect(link.startsWith("https://app.example.com/auth/reset-password?token=")).toBe(true);
    expect(link.endsWith("&tenantId=public")).toBe(true);
    const token = new URL(link).searchParams.get("token") as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect((await submit("", token, "newpassword1")).body).toEqual({ status: "OK" });
    expect((await submit("", token, "newpassword2")).body).toEqual({ status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" });
    expect((await client().post("/auth/signin", credentials(user.email, "oldpassword1"))).body.status).toBe("WRONG_CREDENTIALS_ERROR");
    expect((await client().post("/auth/signin", credentials(user.email, "newpassword1"))).body.status).toBe("OK");
    // A reset ends every existing session of the account.
    const refresh = await app.client().post("/auth/session/refresh", {}, { authorization: `Bearer ${user.refreshToken}` });
    expect(refresh.status).toBe(401);
  });

  it("gives an unknown email the same answer and sends nothing", async () => {
    const before = (await app.auth.engine.storage.outbox.listNewest(500)).length;
    const known = await newUser();
    const knownAnswer = await client().post("/auth/user/password/reset/token", { formFields: [{ id: "email", value: known.email }] });
    const unknownAnswer = await client().post("/auth/user/password/reset/token", { formFields: [{ id: "email", value: "ghost@example.com" }] });
    expect(unknownAnswer.status).toBe(knownAnswer.status);
    expect(unknownAnswer.body).toEqual(knownAnswer.body);
    await waitForResetLink(known.email);
    const messages = await app.auth.engine.storage.outbox.listNewest(500);
    expect(messages.length).toBe(before + 1);
    expect(messages.some((m) => m.recipient === "ghost@example.com")).toBe(false);
  });

  it("lets exactly one of two concurrent submissions of one token succeed", async () => {
    const user = await newUser();
    const ep = app.auth.getRecipe<EmailPasswordRecipe>("emailpassword") as EmailPasswordRecipe;
    for (let round = 0; round < 3; round++) {
      const created = await ep.createResetPasswordToken("public", user.userId, user.email);
      if (created.status !== "OK") throw new Error("token not created");
      const results = await Promise.all([submit("", created.token, `parallelA${round}1`), submit("", created.token, `parallelB${round}1`)]);
      const statuses = results.map((r) => r.body.status).sort();
      expect(statuses).toEqual(["OK", "RESET_PASSWORD_INVALID_TOKEN_ERROR"]);
    }
  });

  it("rejects a token of tenant A on tenant B", async () => {
    const acmeUser = await newUser("acme");
    const ep = app.auth.getRecipe<EmailPasswordRecipe>("emailpassword") as EmailPasswordRecipe;
    const created = await ep.createResetPasswordToken("acme", acmeUser.userId, acmeUser.email);
    if (created.status !== "OK") throw new Error("token not created");
    expect((await submit("", created.token, "stolenpass1")).body).toEqual({ status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" });
    // A token is looked up within its tenant, so the wrong tenant cannot burn it for the owner.
    expect((await submit("/acme", created.token, "rightful11")).body).toEqual({ status: "OK" });
    // A user of tenant A is unknown to tenant B.
    expect((await ep.createResetPasswordToken("public", acmeUser.userId, acmeUser.email)).status).toBe("UNKNOWN_USER_ID_ERROR");
  });

  it("expires tokens after the configured lifetime (default 1 h)", async () => {
    const user = await newUser();
    const ep = app.auth.getRecipe<EmailPasswordRecipe>("emailpassword") as EmailPasswordRecipe;
    const created = await ep.createResetPasswordToken("public", user.userId, user.email);
    if (created.status !== "OK") throw new Error("token not created");
    app.clock.advance(3_600_001);
    try {
      expect((await submit("", created.token, "toolate111")).body).toEqual({ status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" });
    } finally {
      app.clock.advance(-3_600_001);
    }
  });

  it("validates the new password before touching the token, and refuses malformed tokens with 400", async () => {
    const user = await newUser();
    const ep = app.auth.getRecipe<EmailPasswordRecipe>("emailpassword") as EmailPasswordRecipe;
    const created = await ep.createResetPasswordToken("public", user.userId, user.email);
    if (created.status !== "OK") throw new Error("token not created");
    const weak = await submit("", created.token, "weak");
    expect(weak.body).toEqual({ status: "FIELD_ERROR", formFields: [{ id: "password", error: "Password must contain at least 8 characters, including a number" }] });
    expect((await submit("", created.token, "strongenough1")).body).toEqual({ status: "OK" });
    const missing = await client().post("/auth/user/password/reset", { formFields: [{ id: "password", value: "strongenough1" }] });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ message: "Please provide the password reset token" });
    const wrongType = await submit("", 12, "strongenough1");
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toEqual({ message: "The password reset token must be a string" });
    expect((await submit("", "garbage", "strongenough1")).body).toEqual({ status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" });
  });
});

describe("reset-token storage", () => {
  const getApp = useSqliteTestApp();
  let app: TestApp;
  beforeAll(() => {
    app = getApp();
  });

  async function signUpIn(target: TestApp) {
    const email = "hashonly@example.com";
    const response = await target.client().post("/auth/signup", credentials(email, "oldpassword1"));
    return { email, userId: response.body.user.id as string };
  }

  it("stores only the SHA-256 of a reset token", async () => {
    const { email, userId } = await signUpIn(app);
    const ep = app.auth.getRecipe<EmailPasswordRecipe>("emailpassword") as EmailPasswordRecipe;
    const created = await ep.createResetPasswordToken("public", userId, email);
    if (created.status !== "OK") throw new Error("token not created");
    const file = app.databaseUrl.slice("sqlite:".length);
    const db = new Database(file, { readonly: true });
    try {
      const rows = db.prepare("select token_hash from portcullis_tokens").all() as { token_hash: string }[];
      expect(rows.some((row) => row.token_hash === createHash("sha256").update(created.token).digest("hex"))).toBe(true);
      expect(rows.some((row) => row.token_hash.includes(created.token))).toBe(false);
    } finally {
      db.close();
    }
  });
});
