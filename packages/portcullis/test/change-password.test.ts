/**
 * POST /user/password/change: a signed-in email-password user proves the old password and sets a
 * new one; every session of the user ends and the caller's tokens are cleared.
 * @see issue #8
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthEvent } from "../src/core/auth-events.js";
import type { MultitenancyRecipe } from "../src/recipes/multitenancy/multitenancy-recipe.js";
import type { EmailPasswordRecipe } from "../src/recipes/emailpassword/emailpassword-recipe.js";
import { databaseVariants, type TestDatabase } from "./helpers/databases.js";
import { credentials, startTestApp, type TestApp } from "./helpers/test-app.js";

const variants = await databaseVariants();

describe.each(variants.map((make) => [make().name, make] as const))("changing a password on %s", (_name, makeDatabase) => {
  let database: TestDatabase;
  let app: TestApp;
  let counter = 0;
  const events: AuthEvent[] = [];

  beforeAll(async () => {
    database = makeDatabase();
    // Two free failures, then growing delays; no per-IP cap (every request comes from one test IP).
    const limits = { signIn: { freeFailures: 2, perIp: false as const, baseDelayMs: 60_000 } };
    app = await startTestApp({ database: database.url, limits, onEvent: (event) => void events.push(event) });
    await app.auth.getRecipe<MultitenancyRecipe>("multitenancy")?.recipeInterfaceImpl.createOrUpdateTenant({ tenantId: "acme", userContext: {} });
  });
  afterAll(async () => {
    await app.close();
    await database.cleanup();
  });

  const headerClient = () => app.client({ rid: "emailpassword", "st-auth-mode": "header" });

  async function signedIn(email: string, password = "oldpassword1", prefix = "") {
    const response = await headerClient().post(`/auth${prefix}/signin`, credentials(email, password));
    expect(response.body.status).toBe("OK");
    return { accessToken: response.headers.get("st-access-token") as string, refreshToken: response.headers.get("st-refresh-token") as string };
  }

  async function newUser(prefix = "") {
    const email = `change${++counter}-${Date.now()}@example.com`;
    const signUp = await headerClient().post(`/auth${prefix}/signup`, credentials(email, "oldpassword1"));
    expect(signUp.body.status).toBe("OK");
    return {
      email,
      userId: signUp.body.user.id as string,
      accessToken: signUp.headers.get("st-access-token") as string,
      refreshToken: signUp.headers.get("st-refresh-token") as string,
    };
  }

  const change = (accessToken: string, body: unknown, prefix = "") =>
    app.client({ rid: "emailpassword" }).post(`/auth${prefix}/user/password/change`, body, { authorization: `Bearer ${accessToken}` });
  const refresh = (refreshToken: string) => app.client().post("/auth/session/refresh", {}, { authorization: `Bearer ${refreshToken}` });
  const signInStatus = async (email: string, password: string) => (await headerClient().post("/auth/signin", credentials(email, password))).body.status as string;

  it("changes the password, ends every session of the user and clears the caller's tokens", async () => {
    const user = await newUser();
    const otherDevice = await signedIn(user.email);
    const response = await change(user.accessToken, { oldPassword: "oldpassword1", newPassword: "newpassword1" });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "OK" });
    // Cleared as sign-out clears them.
    expect(response.headers.get("front-token")).toBe("remove");
    expect(response.headers.get("st-access-token")).toBe("");
    expect(response.headers.get("st-refresh-token")).toBe("");

    expect(await signInStatus(user.email, "oldpassword1")).toBe("WRONG_CREDENTIALS_ERROR");
    expect(await signInStatus(user.email, "newpassword1")).toBe("OK");
    for (const refreshToken of [user.refreshToken, otherDevice.refreshToken]) expect((await refresh(refreshToken)).status).toBe(401);
    expect((await app.client().get("/protected-db", { authorization: `Bearer ${otherDevice.accessToken}` })).status).toBe(401);
    expect(events).toContainEqual(expect.objectContaining({ type: "password.changed", recipeId: "emailpassword", userId: user.userId, tenantId: "public" }));
  });

  it("clears the session cookies in cookie mode", async () => {
    const client = app.client({ rid: "emailpassword", "st-auth-mode": "cookie" });
    const email = `cookie${++counter}-${Date.now()}@example.com`;
    expect((await client.post("/auth/signup", credentials(email, "oldpassword1"))).body.status).toBe("OK");
    expect(client.cookie("sAccessToken")).toBeDefined();
    const response = await client.post("/auth/user/password/change", { oldPassword: "oldpassword1", newPassword: "newpassword1" });
    expect(response.body).toEqual({ status: "OK" });
    expect(client.cookie("sAccessToken")).toBeUndefined();
    expect(client.cookie("sRefreshToken")).toBeUndefined();
    expect((await client.get("/protected-db")).status).toBe(401);
  });

  it("answers WRONG_CREDENTIALS_ERROR for a wrong old password and changes nothing", async () => {
    const user = await newUser();
    const response = await change(user.accessToken, { oldPassword: "notmypassword1", newPassword: "newpassword1" });
    expect(response.body).toEqual({ status: "WRONG_CREDENTIALS_ERROR" });
    expect(response.headers.get("st-access-token")).toBeNull();
    expect(await signInStatus(user.email, "oldpassword1")).toBe("OK");
    expect((await refresh(user.refreshToken)).status).toBe(200);
  });

  it("answers PASSWORD_POLICY_VIOLATED_ERROR with the policy's message and changes nothing", async () => {
    const user = await newUser();
    for (const [newPassword, failureReason] of [
      ["short1", "Password must contain at least 8 characters, including a number"],
      ["nonumbershere", "Password must contain at least one number"],
      ["a1".repeat(600), "Password must be at most 1024 bytes"],
    ] as const) {
      const response = await change(user.accessToken, { oldPassword: "oldpassword1", newPassword });
      expect(response.body).toEqual({ status: "PASSWORD_POLICY_VIOLATED_ERROR", failureReason });
    }
    expect(await signInStatus(user.email, "oldpassword1")).toBe("OK");
  });

  it("needs a session: 401 without one, and a session of another tenant is refused", async () => {
    const body = { oldPassword: "oldpassword1", newPassword: "newpassword1" };
    expect((await app.client({ rid: "emailpassword" }).post("/auth/user/password/change", body)).status).toBe(401);
    expect((await change("not-a-token", body)).status).toBe(401);

    const acmeUser = await newUser("/acme");
    const elsewhere = await change(acmeUser.accessToken, body);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.message).toMatch(/another tenant/);
    const inItsTenant = await change(acmeUser.accessToken, body, "/acme");
    expect(inItsTenant.body).toEqual({ status: "OK" });
    expect((await headerClient().post("/auth/acme/signin", credentials(acmeUser.email, "newpassword1"))).body.status).toBe("OK");
  });

  it("counts wrong old passwords with the sign-in throttle, both ways", async () => {
    const user = await newUser();
    // Two free failures (one at sign-in, one here), then a delay that both routes honour.
    expect(await signInStatus(user.email, "wrongpassword1")).toBe("WRONG_CREDENTIALS_ERROR");
    expect((await change(user.accessToken, { oldPassword: "wrongpassword2", newPassword: "newpassword1" })).body.status).toBe("WRONG_CREDENTIALS_ERROR");
    const delayed = await change(user.accessToken, { oldPassword: "oldpassword1", newPassword: "newpassword1" });
    expect(delayed.body).toEqual({ status: "GENERAL_ERROR", message: expect.stringMatching(/try again/) });
    expect(Number(delayed.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await signInStatus(user.email, "oldpassword1")).toBe("GENERAL_ERROR");

    app.clock.advance(Number(delayed.headers.get("retry-after")) * 1000);
    expect((await change(user.accessToken, { oldPassword: "oldpassword1", newPassword: "newpassword1" })).body).toEqual({ status: "OK" });
    // The success cleared the count: a wrong sign-in is answered, not delayed.
    expect(await signInStatus(user.email, "wrongpassword4")).toBe("WRONG_CREDENTIALS_ERROR");
  });

  it("makes a reset link asked for before the change useless", async () => {
    const user = await newUser();
    const recipe = app.auth.getRecipe<EmailPasswordRecipe>("emailpassword") as EmailPasswordRecipe;
    const created = await recipe.createResetPasswordToken("public", user.userId, user.email);
    expect(created.status).toBe("OK");
    expect((await change(user.accessToken, { oldPassword: "oldpassword1", newPassword: "newpassword1" })).body).toEqual({ status: "OK" });
    const token = created.status === "OK" ? created.token : "";
    const reset = await headerClient().post("/auth/user/password/reset", { method: "token", token, formFields: [{ id: "password", value: "attacker1pw" }] });
    expect(reset.body).toEqual({ status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" });
    expect(await signInStatus(user.email, "newpassword1")).toBe("OK");
  });

  it("answers malformed bodies 400 with a message, and changes nothing", async () => {
    const user = await newUser();
    const post = (raw: string) =>
      app.client({ rid: "emailpassword" }).request("POST", "/auth/user/password/change", {
        rawBody: raw,
        headers: { authorization: `Bearer ${user.accessToken}`, "content-type": "application/json" },
      });
    for (const raw of ["[]", "null", '"x"', "{}", '{"oldPassword":"oldpassword1"}', '{"newPassword":"newpassword1"}', '{"oldPassword":1,"newPassword":"newpassword1"}', '{"oldPassword":"oldpassword1","newPassword":{}}', "{not json"]) {
      const response = await post(raw);
      expect(response.status, raw).toBe(400);
      expect(typeof response.body.message, raw).toBe("string");
    }
    expect(await signInStatus(user.email, "oldpassword1")).toBe("OK");
  });
});
