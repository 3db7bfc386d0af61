/** The Session module's backend functions, through the SDK-shaped facade and its default instance. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import supertokens, { RecipeUserId } from "../src/facade/index.js";
import EmailPassword from "../src/facade/emailpassword.js";
import Session from "../src/facade/session.js";
import { PrimitiveArrayClaim } from "../src/facade/session-claims.js";
import { resetDefaultInstance } from "../src/facade/default-instance.js";
import { sqliteFileDatabase, type TestDatabase } from "./helpers/databases.js";

let database: TestDatabase;
let userId: string;
const RolesClaim = new PrimitiveArrayClaim<string>({ key: "roles", fetchValue: async () => ["admin", "editor"] });

beforeAll(async () => {
  database = sqliteFileDatabase();
  supertokens.init({
    appInfo: { appName: "functions", apiDomain: "http://localhost", websiteDomain: "http://localhost" },
    database: database.url,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    recipeList: [EmailPassword.init(), Session.init({ antiCsrf: "NONE" })],
  });
  const created = await EmailPassword.signUp("public", "functions@example.com", "password123");
  if (created.status !== "OK") throw new Error(created.status);
  userId = created.user.id;
});

afterAll(async () => {
  await resetDefaultInstance();
  await database.cleanup();
});

describe("Session functions", () => {
  it("creates, reads, updates and revokes sessions without a request", async () => {
    const session = await Session.createNewSessionWithoutRequestResponse("public", new RecipeUserId(userId), { plan: "pro" }, { visits: 1 });
    expect(session.getUserId()).toBe(userId);
    expect(session.getAccessTokenPayload()["plan"]).toBe("pro");
    const tokens = session.getAllSessionTokensDangerously();
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.accessAndFrontTokenUpdated).toBe(true);

    const handle = session.getHandle();
    expect(await Session.getAllSessionHandlesForUser(userId)).toContain(handle);
    expect(await session.getSessionDataFromDatabase()).toEqual({ visits: 1 });
    expect(await Session.updateSessionDataInDatabase(handle, { visits: 2 })).toBe(true);
    const information = await Session.getSessionInformation(handle);
    expect(information).toMatchObject({ sessionHandle: handle, userId, tenantId: "public", sessionDataInDatabase: { visits: 2 } });
    expect(information?.recipeUserId.getAsString()).toBe(userId);
    expect(information?.customClaimsInAccessTokenPayload).toMatchObject({ plan: "pro", iss: "http://localhost/auth" });

    const verified = await Session.getSessionWithoutRequestResponse(tokens.accessToken);
    expect(verified.getHandle()).toBe(handle);

    const refreshed = await Session.refreshSessionWithoutRequestResponse(tokens.refreshToken as string);
    expect(refreshed.getHandle()).toBe(handle);

    expect(await Session.revokeSession(handle)).toBe(true);
    expect(await Session.revokeSession(handle)).toBe(false);
    expect(await Session.getSessionInformation(handle)).toBeUndefined();
    await expect(Session.getSessionWithoutRequestResponse(tokens.accessToken, undefined, { checkDatabase: true })).rejects.toMatchObject({ type: "UNAUTHORISED" });
  });

  it("merges into the stored and the live access-token payload; null deletes a key; protected claims stay", async () => {
    const session = await Session.createNewSessionWithoutRequestResponse("public", new RecipeUserId(userId), { a: 1, b: 2 });
    await session.mergeIntoAccessTokenPayload({ b: null, c: 3, sub: "attacker" });
    const payload = session.getAccessTokenPayload();
    expect(payload).toMatchObject({ a: 1, c: 3, sub: userId });
    expect(payload["b"]).toBeUndefined();
    const verified = await Session.getSessionWithoutRequestResponse(session.getAccessToken());
    expect(verified.getAccessTokenPayload()).toMatchObject({ a: 1, c: 3 });

    expect(await Session.mergeIntoAccessTokenPayload(session.getHandle(), { d: 4 })).toBe(true);
    expect((await Session.getSessionInformation(session.getHandle()))?.customClaimsInAccessTokenPayload).toMatchObject({ a: 1, c: 3, d: 4 });
    expect(await Session.mergeIntoAccessTokenPayload("no-such-handle", { d: 4 })).toBe(false);
  });

  it("fetches, validates and removes claims with the SDK's reasons", async () => {
    const session = await Session.createNewSessionWithoutRequestResponse("public", new RecipeUserId(userId));
    await expect(session.assertClaims([RolesClaim.validators.includes("owner")])).rejects.toMatchObject({
      type: "INVALID_CLAIMS",
      payload: [{ id: "roles", reason: { message: "wrong value", expectedToInclude: "owner", actualValue: ["admin", "editor"] } }],
    });
    // The failed assertion still refetched and stored the value.
    expect(await session.getClaimValue(RolesClaim)).toEqual(["admin", "editor"]);
    await session.assertClaims([RolesClaim.validators.includes("admin"), RolesClaim.validators.excludes("owner")]);
    await session.removeClaim(RolesClaim);
    expect(await session.getClaimValue(RolesClaim)).toBeUndefined();

    expect(await Session.fetchAndSetClaim(session.getHandle(), RolesClaim)).toBe(true);
    expect(await Session.getClaimValue(session.getHandle(), RolesClaim)).toEqual({ status: "OK", value: ["admin", "editor"] });
    const validation = await Session.validateClaimsForSessionHandle(session.getHandle(), () => [RolesClaim.validators.includesAll(["admin", "x"])]);
    expect(validation).toEqual({
      status: "OK",
      invalidClaims: [{ id: "roles", reason: { message: "wrong value", expectedToInclude: ["admin", "x"], actualValue: ["admin", "editor"] } }],
    });
    expect(await Session.getClaimValue("missing", RolesClaim)).toEqual({ status: "SESSION_DOES_NOT_EXIST_ERROR" });
  });

  it("revokes all of a user's sessions, per tenant or everywhere", async () => {
    const one = await Session.createNewSessionWithoutRequestResponse("public", new RecipeUserId(userId));
    const two = await Session.createNewSessionWithoutRequestResponse("public", new RecipeUserId(userId));
    const revoked = await Session.revokeMultipleSessions([one.getHandle(), "unknown"]);
    expect(revoked).toEqual([one.getHandle()]);
    const all = await Session.revokeAllSessionsForUser(userId);
    expect(all).toContain(two.getHandle());
    expect(await Session.getAllSessionHandlesForUser(userId)).toEqual([]);
  });

  it("exposes the JWKS and the users API", async () => {
    const jwks = await Session.getJWKS();
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    expect(await supertokens.getUserCount()).toBe(1);
    const page = await supertokens.getUsersNewestFirst({ tenantId: "public" });
    expect(page.users.map((u) => u.id)).toEqual([userId]);
    expect((await supertokens.listUsersByAccountInfo("public", { email: " FUNCTIONS@example.com" })).map((u) => u.id)).toEqual([userId]);
    expect(supertokens.getAllCORSHeaders().sort()).toEqual(["anti-csrf", "authorization", "fdi-version", "rid", "st-auth-mode"]);
    expect((await EmailPassword.verifyCredentials("public", "functions@example.com", "password123")).status).toBe("OK");
    expect(await EmailPassword.getUserById(userId)).toMatchObject({ id: userId, email: "functions@example.com" });
    const other = await EmailPassword.signUp("public", "other@example.com", "password123");
    if (other.status !== "OK") throw new Error(other.status);
    expect(await EmailPassword.updateEmailOrPassword({ recipeUserId: other.recipeUserId, email: "functions@example.com" })).toEqual({ status: "EMAIL_ALREADY_EXISTS_ERROR" });
    expect(await EmailPassword.updateEmailOrPassword({ recipeUserId: other.recipeUserId, password: "short" })).toEqual({
      status: "PASSWORD_POLICY_VIOLATED_ERROR",
      failureReason: "Password must contain at least 8 characters, including a number",
    });
    expect(await supertokens.deleteUser(other.user.id)).toEqual({ status: "OK" });
    expect(await supertokens.getUser(other.user.id)).toBeUndefined();
  });
});
