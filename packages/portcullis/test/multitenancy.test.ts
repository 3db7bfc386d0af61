/**
 * Multi-tenancy over HTTP, on every database: tenant-scoped identity (the same email in two
 * tenants is two accounts, with their own passwords, codes, sessions and roles), every token kind
 * refused in another tenant, per-tenant link domains, lifetimes, login methods and invite-only,
 * unknown tenants, associating users with tenants, and deleting a tenant.
 * @see issue #8
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecipeUserId } from "../src/core/recipe-user-id.js";
import { makeUserContext } from "../src/core/user-context.js";
import type { EmailPasswordRecipe } from "../src/recipes/emailpassword/emailpassword-recipe.js";
import { initInvitations } from "../src/recipes/invitations/invitations-recipe.js";
import type { MultitenancyRecipe } from "../src/recipes/multitenancy/multitenancy-recipe.js";
import type { TenantConfigInput } from "../src/recipes/multitenancy/types.js";
import { sha256Hex } from "../src/crypto/hash.js";
import { initEmailVerification } from "../src/recipes/emailverification/emailverification-recipe.js";
import { initPasswordless } from "../src/recipes/passwordless/passwordless-recipe.js";
import { initUserRoles, type UserRolesRecipe } from "../src/recipes/userroles/userroles-recipe.js";
import { databaseVariants, type TestDatabase } from "./helpers/databases.js";
import { credentials, startTestApp, type TestApp } from "./helpers/test-app.js";

const variants = await databaseVariants();

describe.each(variants.map((make) => [make().name, make] as const))("multitenancy on %s", (_name, makeDatabase) => {
  let database: TestDatabase;
  let app: TestApp;
  let counter = 0;
  const nextEmail = () => `mt${++counter}-${Date.now()}@example.com`;
  const ctx = () => makeUserContext({});
  const tenants = () => app.auth.getRecipe<MultitenancyRecipe>("multitenancy")!.recipeInterfaceImpl;
  const upsert = (tenantId: string, config?: TenantConfigInput) => tenants().createOrUpdateTenant({ tenantId, ...(config ? { config } : {}), userContext: ctx() });
  const ep = () => app.auth.getRecipe<EmailPasswordRecipe>("emailpassword")!;
  const prefix = (tenantId: string) => (tenantId === "public" ? "/auth" : `/auth/${tenantId}`);
  const headerClient = () => app.client({ "st-auth-mode": "header" });

  beforeAll(async () => {
    database = makeDatabase();
    app = await startTestApp({
      database: database.url,
      websiteDomain: "https://app.example.com",
      recipes: [initPasswordless({ contactMethod: "EMAIL_OR_PHONE" }), initUserRoles(), initInvitations({ inviteOnly: false }), initEmailVerification({ mode: "OPTIONAL" })],
    });
    await upsert("tenant-a", {
      websiteDomain: "https://a.example.com",
      coreConfig: { accessTokenValidity: 60, refreshTokenValidity: 10, passwordResetTokenLifetime: 60_000, passwordlessCodeLifetime: 120_000, emailVerificationTokenLifetime: 300_000 },
    });
    await upsert("tenant-b");
  });

  afterAll(async () => {
    await app?.close();
    await database?.cleanup();
  });

  async function signUp(tenantId: string, email: string, password: string) {
    const response = await headerClient().post(`${prefix(tenantId)}/signup`, credentials(email, password));
    expect(response.body.status).toBe("OK");
    return {
      userId: response.body.user.id as string,
      accessToken: response.headers.get("st-access-token") as string,
      refreshToken: response.headers.get("st-refresh-token") as string,
    };
  }
  const signIn = (tenantId: string, email: string, password: string) => headerClient().post(`${prefix(tenantId)}/signin`, credentials(email, password));
  const protectedAs = (accessToken: string) => app.client().get("/protected", { authorization: `Bearer ${accessToken}` });
  const refresh = (refreshToken: string) => app.client({ "st-auth-mode": "header" }).post("/auth/session/refresh", {}, { authorization: `Bearer ${refreshToken}` });

  /** The clock is manual, so messages share timestamps: the one wanted is picked by its content. */
  async function newestMessageTo(recipient: string, containing = "") {
    for (let attempt = 0; attempt < 100; attempt++) {
      const message = (await app.auth.engine.outbox.list(200)).find((m) => m.recipient === recipient && m.textBody.includes(containing));
      if (message !== undefined) return message;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no message to ${recipient}`);
  }
  const linkIn = (text: string) => new URL(/(https?:\/\/\S+)/.exec(text)?.[1] ?? "missing:");

  describe("tenant-scoped identity", () => {
    it("keeps the same email in two tenants as two accounts with their own passwords and sessions", async () => {
      const email = nextEmail();
      const a = await signUp("tenant-a", email, "password-a1");
      const b = await signUp("tenant-b", email, "password-b1");
      expect(a.userId).not.toBe(b.userId);
      expect((await signIn("tenant-a", email, "password-b1")).body.status).toBe("WRONG_CREDENTIALS_ERROR");
      expect((await signIn("tenant-b", email, "password-a1")).body.status).toBe("WRONG_CREDENTIALS_ERROR");
      expect((await signIn("public", email, "password-a1")).body.status).toBe("WRONG_CREDENTIALS_ERROR");
      expect((await signIn("tenant-a", email, "password-a1")).body.user.tenantIds).toEqual(["tenant-a"]);
      expect((await protectedAs(a.accessToken)).body).toMatchObject({ userId: a.userId, tenantId: "tenant-a" });
      expect((await protectedAs(b.accessToken)).body).toMatchObject({ userId: b.userId, tenantId: "tenant-b" });
      expect((await app.client().get(`/auth/tenant-a/emailpassword/email/exists?email=${encodeURIComponent(email)}`)).body.exists).toBe(true);
      expect((await app.client().get(`/auth/emailpassword/email/exists?email=${encodeURIComponent(email)}`)).body.exists).toBe(false);
    });

    it("keeps roles per tenant", async () => {
      const roles = app.auth.getRecipe<UserRolesRecipe>("userroles")!.recipeInterfaceImpl;
      await roles.createNewRoleOrAddPermissions({ role: "editor", permissions: ["write"], userContext: ctx() });
      const email = nextEmail();
      const a = await signUp("tenant-a", email, "password-a1");
      const b = await signUp("tenant-b", email, "password-b1");
      await roles.addRoleToUser({ tenantId: "tenant-a", userId: a.userId, role: "editor", userContext: ctx() });
      expect((await roles.getRolesForUser({ tenantId: "tenant-a", userId: a.userId, userContext: ctx() })).roles).toEqual(["editor"]);
      expect((await roles.getRolesForUser({ tenantId: "tenant-b", userId: b.userId, userContext: ctx() })).roles).toEqual([]);
      expect((await roles.getRolesForUser({ tenantId: "tenant-b", userId: a.userId, userContext: ctx() })).roles).toEqual([]);
      const session = await signIn("tenant-a", email, "password-a1");
      const payload = JSON.parse(Buffer.from((session.headers.get("st-access-token") as string).split(".")[1] as string, "base64url").toString());
      expect(payload["st-role"].v).toEqual(["editor"]);
    });

    it("refuses a reset token of tenant A in tenant B, and its link points at A's domain", async () => {
      const email = nextEmail();
      await signUp("tenant-a", email, "password-a1");
      await signUp("tenant-b", email, "password-b1");
      const asked = await app.client().post("/auth/tenant-a/user/password/reset/token", { formFields: [{ id: "email", value: email }] });
      expect(asked.body.status).toBe("OK");
      const link = linkIn((await newestMessageTo(email, "reset-password")).textBody);
      expect(link.origin).toBe("https://a.example.com");
      expect(link.pathname).toBe("/auth/reset-password");
      expect(link.searchParams.get("tenantId")).toBe("tenant-a");
      const token = link.searchParams.get("token") as string;
      const reset = (tenantId: string) =>
        app.client().post(`${prefix(tenantId)}/user/password/reset`, { token, formFields: [{ id: "password", value: "newpassword1" }] });
      expect((await reset("tenant-b")).body).toEqual({ status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" });
      expect((await reset("public")).body).toEqual({ status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" });
      expect((await reset("tenant-a")).body).toEqual({ status: "OK" });
      expect((await signIn("tenant-b", email, "password-b1")).body.status).toBe("OK");
      expect((await signIn("tenant-a", email, "newpassword1")).body.status).toBe("OK");
    });

    it("refuses an email-verification token of tenant A in tenant B; the link points at A's domain and lives A's lifetime", async () => {
      const email = nextEmail();
      const inA = await signUp("tenant-a", email, "password-a1");
      const inB = await signUp("tenant-b", email, "password-b1");
      const asked = await app.client().post("/auth/tenant-a/user/email/verify/token", {}, { authorization: `Bearer ${inA.accessToken}` });
      expect(asked.body).toEqual({ status: "OK" });
      const link = linkIn((await newestMessageTo(email, "verify-email")).textBody);
      expect(link.origin).toBe("https://a.example.com");
      expect(link.pathname).toBe("/auth/verify-email");
      expect(link.searchParams.get("tenantId")).toBe("tenant-a");
      const token = link.searchParams.get("token") as string;
      const verify = (tenantId: string) => app.client().post(`${prefix(tenantId)}/user/email/verify`, { method: "token", token });
      expect((await verify("tenant-b")).body).toEqual({ status: "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR" });
      expect((await verify("public")).body).toEqual({ status: "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR" });
      // Tenant A's tokens live 5 minutes, not the instance's day.
      const stored = await app.auth.engine.storage.tokens.find("email-verification", sha256Hex(token), "tenant-a", app.clock.now());
      expect((stored?.expiresAt ?? 0) - (stored?.createdAt ?? 0)).toBe(300_000);
      expect((await verify("tenant-a")).body).toEqual({ status: "OK" });
      const users = await app.auth.listUsersByAccountInfo("tenant-b", { email });
      expect(users.find((user) => user.id === inB.userId)?.loginMethods[0]?.verified).toBe(false);
    });

    it("refuses a passwordless code and magic link of tenant A in tenant B, and the link points at A's domain", async () => {
      const email = nextEmail();
      const created = await app.client().post("/auth/tenant-a/signinup/code", { email });
      expect(created.body.status).toBe("OK");
      const text = (await newestMessageTo(email, created.body.preAuthSessionId)).textBody;
      const code = /\b(\d{6})\b/.exec(text)?.[1] as string;
      const link = new URL(/(https?:\/\/\S+#\S+)/.exec(text)?.[1] as string);
      expect(link.origin).toBe("https://a.example.com");
      expect(link.searchParams.get("tenantId")).toBe("tenant-a");
      const { preAuthSessionId, deviceId } = created.body;
      const consume = (tenantId: string, body: Record<string, unknown>) => headerClient().post(`${prefix(tenantId)}/signinup/code/consume`, body);
      expect((await consume("tenant-b", { preAuthSessionId, deviceId, userInputCode: code })).body.status).toBe("RESTART_FLOW_ERROR");
      expect((await consume("tenant-b", { preAuthSessionId, linkCode: link.hash.slice(1) })).body.status).toBe("RESTART_FLOW_ERROR");
      expect((await headerClient().post("/auth/tenant-b/signinup/code/resend", { preAuthSessionId, deviceId })).body.status).toBe("RESTART_FLOW_ERROR");
      const signedIn = await consume("tenant-a", { preAuthSessionId, deviceId, userInputCode: code });
      expect(signedIn.body.status).toBe("OK");
      expect(signedIn.body.user.tenantIds).toEqual(["tenant-a"]);
      // The same address signs up separately in B.
      const inB = await app.client().post("/auth/tenant-b/signinup/code", { email });
      const codeB = /\b(\d{6})\b/.exec((await newestMessageTo(email, inB.body.preAuthSessionId)).textBody)?.[1] as string;
      const signedInB = await consume("tenant-b", { preAuthSessionId: inB.body.preAuthSessionId, deviceId: inB.body.deviceId, userInputCode: codeB });
      expect(signedInB.body.createdNewRecipeUser).toBe(true);
      expect(signedInB.body.user.id).not.toBe(signedIn.body.user.id);
    });

    it("lets a refresh token renew only its own session, in its own tenant", async () => {
      const email = nextEmail();
      const a = await signUp("tenant-a", email, "password-a1");
      const b = await signUp("tenant-b", email, "password-b1");
      const renewed = await refresh(a.refreshToken);
      expect(renewed.status).toBe(200);
      const accessToken = renewed.headers.get("st-access-token") as string;
      expect((await protectedAs(accessToken)).body).toMatchObject({ userId: a.userId, tenantId: "tenant-a" });
      // B's session is untouched, and still renews as B.
      const renewedB = await refresh(b.refreshToken);
      expect((await protectedAs(renewedB.headers.get("st-access-token") as string)).body).toMatchObject({ userId: b.userId, tenantId: "tenant-b" });
    });

    it("signs out only the session's own tenant session, whatever tenant the path names", async () => {
      const email = nextEmail();
      const a = await signUp("tenant-a", email, "password-a1");
      const b = await signUp("tenant-b", email, "password-b1");
      const out = await app.client().post("/auth/tenant-b/signout", {}, { authorization: `Bearer ${a.accessToken}`, "st-auth-mode": "header" });
      expect(out.body).toEqual({ status: "OK" });
      expect((await refresh(a.refreshToken)).status).toBe(401);
      expect((await app.client().get("/protected-db", { authorization: `Bearer ${b.accessToken}` })).status).toBe(200);
      expect((await refresh(b.refreshToken)).status).toBe(200);
    });
  });

  describe("per-tenant lifetimes", () => {
    it("issues access and refresh tokens with the tenant's validity", async () => {
      const email = nextEmail();
      const a = await signUp("tenant-a", email, "password-a1");
      const pub = await signUp("public", email, "password-p1");
      const claims = (token: string) => JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString()) as { exp: number; iat: number };
      expect(claims(a.accessToken).exp - claims(a.accessToken).iat).toBe(60);
      expect(claims(pub.accessToken).exp - claims(pub.accessToken).iat).toBe(900);
      // Tenant A's refresh tokens slide 10 minutes; the instance's 100 days.
      app.clock.advance(11 * 60_000);
      expect((await refresh(a.refreshToken)).status).toBe(401);
      const renewed = await refresh(pub.refreshToken);
      expect(renewed.status).toBe(200);
      const renewedToken = renewed.headers.get("st-access-token") as string;
      expect(claims(renewedToken).exp - claims(renewedToken).iat).toBe(900);
    });

    it("expires reset tokens and passwordless codes on the tenant's lifetimes", async () => {
      const email = nextEmail();
      await signUp("tenant-a", email, "password-a1");
      await app.client().post("/auth/tenant-a/user/password/reset/token", { formFields: [{ id: "email", value: email }] });
      const resetMessage = await newestMessageTo(email, "reset-password");
      const token = linkIn(resetMessage.textBody).searchParams.get("token") as string;
      const created = await app.client().post("/auth/tenant-a/signinup/code", { email });
      expect(created.body.status).toBe("OK");
      const codeText = (await newestMessageTo(email, created.body.preAuthSessionId)).textBody;
      const code = /\b(\d{6})\b/.exec(codeText)?.[1] as string;
      app.clock.advance(121_000);
      const reset = await app.client().post("/auth/tenant-a/user/password/reset", { token, formFields: [{ id: "password", value: "newpassword1" }] });
      expect(reset.body).toEqual({ status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" });
      const consumed = await app.client().post("/auth/tenant-a/signinup/code/consume", { preAuthSessionId: created.body.preAuthSessionId, deviceId: created.body.deviceId, userInputCode: code });
      expect(consumed.body.status).toBe("EXPIRED_USER_INPUT_CODE_ERROR");
    });

    it("applies a lifetime change at once, also on another instance of the same database", async () => {
      await upsert("tenant-live", { coreConfig: { passwordResetTokenLifetime: 5_000 } });
      const { createAuth } = await import("../src/instance/create-auth.js");
      const { initEmailPassword } = await import("../src/recipes/emailpassword/emailpassword-recipe.js");
      const { initSession } = await import("../src/recipes/session/session-recipe.js");
      const other = createAuth({
        appInfo: { appName: "other", apiDomain: "http://localhost", websiteDomain: "http://localhost" },
        database: database.url,
        recipeList: [initEmailPassword(), initSession()],
        logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      });
      try {
        await other.ready;
        expect((await other.engine.tenantSettings("tenant-live")).core.passwordResetTokenLifetime).toBe(5_000);
        await upsert("tenant-live", { coreConfig: { passwordResetTokenLifetime: 7_000 }, websiteDomain: "https://live.example.com" });
        const seen = await other.engine.tenantSettings("tenant-live");
        expect(seen.core.passwordResetTokenLifetime).toBe(7_000);
        expect(seen.websiteOrigin).toBe("https://live.example.com");
        await upsert("tenant-live", { coreConfig: { passwordResetTokenLifetime: null }, websiteDomain: null });
        const reverted = await other.engine.tenantSettings("tenant-live");
        expect(reverted.core.passwordResetTokenLifetime).toBe(3_600_000);
        expect(reverted.websiteOrigin).toBe("http://localhost");
      } finally {
        await other.close();
      }
    });
  });

  describe("per-tenant login methods", () => {
    beforeAll(async () => {
      await upsert("otp-only", { firstFactors: ["otp-email"] });
    });

    it("lists only the tenant's methods on /loginmethods", async () => {
      const listed = await app.client().get("/auth/otp-only/loginmethods");
      expect(listed.body).toMatchObject({ status: "OK", emailPassword: { enabled: false }, passwordless: { enabled: true }, firstFactors: ["otp-email"] });
      const all = await app.client().get("/auth/tenant-b/loginmethods");
      expect(all.body.emailPassword.enabled).toBe(true);
      expect(all.body.firstFactors).toEqual(expect.arrayContaining(["emailpassword", "otp-email", "link-email", "otp-phone", "link-phone"]));
    });

    it("answers a switched-off method's routes with GENERAL_ERROR and does nothing", async () => {
      const email = nextEmail();
      const message = "This sign-in method is not enabled for tenant otp-only";
      for (const path of ["/signup", "/signin"]) {
        const response = await app.client().post(`/auth/otp-only${path}`, credentials(email, "password-1"));
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ status: "GENERAL_ERROR", message });
      }
      expect((await app.client().post("/auth/otp-only/user/password/reset/token", { formFields: [{ id: "email", value: email }] })).body.status).toBe("GENERAL_ERROR");
      expect((await app.client().get(`/auth/otp-only/emailpassword/email/exists?email=${encodeURIComponent(email)}`)).body.status).toBe("GENERAL_ERROR");
      expect((await app.client().post("/auth/otp-only/signinup/code", { phoneNumber: "+14155550123" })).body).toEqual({ status: "GENERAL_ERROR", message });
      expect(await app.auth.listUsersByAccountInfo("otp-only", { email })).toEqual([]);
    });

    it("sends only the code, no magic link, when the tenant allows only otp-email", async () => {
      const email = nextEmail();
      const created = await app.client().post("/auth/otp-only/signinup/code", { email });
      expect(created.body.status).toBe("OK");
      const text = (await newestMessageTo(email)).textBody;
      expect(text).toMatch(/\b\d{6}\b/);
      expect(text).not.toMatch(/#/);
    });
  });

  describe("invite-only per tenant", () => {
    it("closes sign-up in a tenant set invite-only while the instance is open, and reopens it", async () => {
      await upsert("closed", { inviteOnly: true });
      const email = nextEmail();
      const refused = await app.client().post("/auth/closed/signup", credentials(email, "password-1"));
      expect(refused.body.status).toBe("GENERAL_ERROR");
      expect((await app.client().post("/auth/closed/signinup/code", { email })).body.status).not.toBe("OK");
      expect((await app.client().post("/auth/signup", credentials(email, "password-1"))).body.status).toBe("OK");
      await upsert("closed", { inviteOnly: null });
      expect((await app.client().post("/auth/closed/signup", credentials(email, "password-1"))).body.status).toBe("OK");
    });
  });

  describe("unknown tenants", () => {
    it("answers every tenant-scoped route of every recipe with 400 Tenant not found", async () => {
      const routes = app.auth.engine.listRecipes().flatMap((recipe) => recipe.getRoutes().filter((route) => route.tenantScoped && !route.disabled));
      expect(routes.length).toBeGreaterThan(10);
      for (const route of routes) {
        const path = `/auth/no-such-tenant${route.path}`;
        const response = route.method === "get" ? await app.client().get(path) : await app.client().post(path, {});
        expect({ path, status: response.status, body: response.body }).toEqual({ path, status: 400, body: { message: "Tenant not found: no-such-tenant" } });
      }
    });

    it("throws for functions given an unknown tenant", async () => {
      await expect(ep().buildResetPasswordLink("no-such-tenant", "token", ctx())).rejects.toThrow("Tenant not found: no-such-tenant");
      await expect(app.auth.engine.tenantSettings("no-such-tenant")).rejects.toThrow("Tenant not found: no-such-tenant");
      await expect(tenants().associateUserToTenant({ tenantId: "no-such-tenant", recipeUserId: new RecipeUserId("u"), userContext: ctx() })).rejects.toThrow(
        "Tenant not found: no-such-tenant",
      );
    });
  });

  describe("associating users with tenants", () => {
    it("lets an account sign in to a tenant it is associated with, and refuses a taken email there", async () => {
      const email = nextEmail();
      const user = await signUp("public", email, "password-p1");
      const recipeUserId = new RecipeUserId(user.userId);
      expect(await tenants().associateUserToTenant({ tenantId: "tenant-b", recipeUserId, userContext: ctx() })).toEqual({ status: "OK", wasAlreadyAssociated: false });
      expect(await tenants().associateUserToTenant({ tenantId: "tenant-b", recipeUserId, userContext: ctx() })).toEqual({ status: "OK", wasAlreadyAssociated: true });
      const inB = await signIn("tenant-b", email, "password-p1");
      expect(inB.body.user.id).toBe(user.userId);
      expect(inB.body.user.tenantIds.sort()).toEqual(["public", "tenant-b"]);
      await signUp("tenant-a", email, "password-a1");
      expect(await tenants().associateUserToTenant({ tenantId: "tenant-a", recipeUserId, userContext: ctx() })).toEqual({ status: "EMAIL_ALREADY_EXISTS_ERROR" });
      expect(await tenants().associateUserToTenant({ tenantId: "tenant-a", recipeUserId: new RecipeUserId("nobody"), userContext: ctx() })).toEqual({
        status: "UNKNOWN_USER_ID_ERROR",
      });

      // Disassociating ends its sessions there and its sign-in there.
      const sessionInB = inB.headers.get("st-refresh-token") as string;
      expect(await tenants().disassociateUserFromTenant({ tenantId: "tenant-b", recipeUserId, userContext: ctx() })).toEqual({ status: "OK", wasAssociated: true });
      expect(await tenants().disassociateUserFromTenant({ tenantId: "tenant-b", recipeUserId, userContext: ctx() })).toEqual({ status: "OK", wasAssociated: false });
      expect((await signIn("tenant-b", email, "password-p1")).body.status).toBe("WRONG_CREDENTIALS_ERROR");
      expect((await refresh(sessionInB)).status).toBe(401);
      expect((await refresh(user.refreshToken)).status).toBe(200);
    });

    it("lets exactly one of concurrent associations of one email to a tenant win", async () => {
      await upsert("race");
      const email = nextEmail();
      const users = await Promise.all(["tenant-a", "tenant-b", "public"].map((tenantId) => signUp(tenantId, email, "password-r1")));
      const results = await Promise.all(
        users.map((user) => tenants().associateUserToTenant({ tenantId: "race", recipeUserId: new RecipeUserId(user.userId), userContext: ctx() })),
      );
      expect(results.map((result) => result.status).sort()).toEqual(["EMAIL_ALREADY_EXISTS_ERROR", "EMAIL_ALREADY_EXISTS_ERROR", "OK"]);
    });
  });

  describe("deleting a tenant", () => {
    it("removes what it owned, users only in it included, and nothing else", async () => {
      await upsert("doomed", { firstFactors: null });
      const roles = app.auth.getRecipe<UserRolesRecipe>("userroles")!.recipeInterfaceImpl;
      await roles.createNewRoleOrAddPermissions({ role: "member", permissions: [], userContext: ctx() });
      const only = await signUp("doomed", nextEmail(), "password-d1");
      const sharedEmail = nextEmail();
      const shared = await signUp("public", sharedEmail, "password-s1");
      await tenants().associateUserToTenant({ tenantId: "doomed", recipeUserId: new RecipeUserId(shared.userId), userContext: ctx() });
      const sharedInDoomed = await signIn("doomed", sharedEmail, "password-s1");
      await roles.addRoleToUser({ tenantId: "doomed", userId: shared.userId, role: "member", userContext: ctx() });
      await roles.addRoleToUser({ tenantId: "public", userId: shared.userId, role: "member", userContext: ctx() });
      const codeEmail = nextEmail();
      await app.client().post("/auth/doomed/signinup/code", { email: codeEmail });
      const invitations = app.auth.getRecipe<{ recipeInterfaceImpl: { createInvitation(input: unknown): Promise<{ status: string }>; listInvitations(input: unknown): Promise<{ invitations: unknown[] }> } } & import("../src/engine/types.js").RecipeModule>("invitations")!;
      expect((await invitations.recipeInterfaceImpl.createInvitation({ tenantId: "doomed", email: nextEmail(), roles: [], userContext: ctx() })).status).toBe("OK");

      expect(await tenants().deleteTenant({ tenantId: "doomed", userContext: ctx() })).toEqual({ status: "OK", didExist: true });

      expect(await app.auth.getUser(only.userId)).toBeUndefined();
      expect((await refresh(only.refreshToken)).status).toBe(401);
      expect((await app.auth.getUser(shared.userId))?.tenantIds).toEqual(["public"]);
      expect((await refresh(sharedInDoomed.headers.get("st-refresh-token") as string)).status).toBe(401);
      expect((await refresh(shared.refreshToken)).status).toBe(200);
      expect((await roles.getRolesForUser({ tenantId: "public", userId: shared.userId, userContext: ctx() })).roles).toEqual(["member"]);
      expect((await roles.getRolesForUser({ tenantId: "doomed", userId: shared.userId, userContext: ctx() })).roles).toEqual([]);
      expect(await app.auth.engine.storage.loginCodes.listDevices("doomed", { email: codeEmail })).toEqual([]);
      expect(await app.auth.engine.storage.invitations.list("doomed", { includeAccepted: true, includeExpired: true }, app.clock.now())).toEqual([]);
      expect((await app.client().post("/auth/doomed/signin", credentials(sharedEmail, "password-s1"))).status).toBe(400);
      // Recreated, it starts empty.
      await upsert("doomed");
      expect(await app.auth.getUserCount(undefined, "doomed")).toBe(0);
    });
  });

  describe("tenant config validation", () => {
    it("refuses bad input with a clear message and writes nothing", async () => {
      const bad: [string, TenantConfigInput | undefined, string][] = [
        ["Bad_Id", undefined, "Invalid tenant id"],
        ["v1", { websiteDomain: "a.example.com/path" }, "websiteDomain must be an origin"],
        ["v1", { websiteDomain: "https://a.example.com/path" }, "no path, query or fragment"],
        ["v1", { websiteDomain: "ftp://a.example.com" }, "websiteDomain must be an origin"],
        ["v1", { firstFactors: ["password"] }, "Unknown factor id(s) in firstFactors: password"],
        ["v1", { coreConfig: { accessTokenValidity: 0 } }, "coreConfig.accessTokenValidity must be a positive whole number"],
        ["v1", { coreConfig: { accessTokenValidity: 901 } }, "may not exceed the instance's core.accessTokenValidity"],
        ["v1", { coreConfig: { sessionAbsoluteLifetime: 10 } }, "Unknown coreConfig key sessionAbsoluteLifetime"],
        ["v1", { inviteOnly: "yes" as unknown as boolean }, "inviteOnly must be true, false or null"],
        ["v1", { website: "x" } as unknown as TenantConfigInput, "Unknown tenant config key(s) website"],
      ];
      for (const [tenantId, config, message] of bad) await expect(upsert(tenantId, config)).rejects.toThrow(message);
      expect(await tenants().getTenant({ tenantId: "v1", userContext: ctx() })).toBeUndefined();
      await expect(tenants().deleteTenant({ tenantId: "public", userContext: ctx() })).rejects.toThrow("The public tenant cannot be deleted");
    });

    it("stores the settings and returns them from getTenant, merged key by key", async () => {
      await upsert("v2", { websiteDomain: "https://V2.example.com", coreConfig: { passwordlessCodeLifetime: 1000 }, inviteOnly: false, firstFactors: ["emailpassword"] });
      await upsert("v2", { coreConfig: { refreshTokenValidity: 5 } });
      expect(await tenants().getTenant({ tenantId: "v2", userContext: ctx() })).toEqual({
        status: "OK",
        thirdParty: { providers: [] },
        firstFactors: ["emailpassword"],
        coreConfig: { passwordlessCodeLifetime: 1000, refreshTokenValidity: 5 },
        websiteDomain: "https://v2.example.com",
        inviteOnly: false,
      });
      const settings = await app.auth.engine.tenantSettings("v2");
      expect(settings).toMatchObject({ firstFactors: ["emailpassword"], websiteOrigin: "https://v2.example.com", inviteOnly: false });
      expect(settings.core).toMatchObject({ passwordlessCodeLifetime: 1000, refreshTokenValidity: 5, accessTokenValidity: 900 });
    });
  });
});

describe("invite-only per tenant over an invite-only instance", () => {
  it("opens sign-up in a tenant set inviteOnly: false", async () => {
    const [makeDatabase] = variants;
    const database = makeDatabase!();
    const app = await startTestApp({ database: database.url, recipes: [initInvitations()] });
    try {
      const multitenancy = app.auth.getRecipe<MultitenancyRecipe>("multitenancy")!.recipeInterfaceImpl;
      await multitenancy.createOrUpdateTenant({ tenantId: "open", config: { inviteOnly: false }, userContext: makeUserContext({}) });
      await multitenancy.createOrUpdateTenant({ tenantId: "default", userContext: makeUserContext({}) });
      expect((await app.client().post("/auth/default/signup", credentials("x@example.com", "password-1"))).body.status).toBe("GENERAL_ERROR");
      expect((await app.client().post("/auth/open/signup", credentials("x@example.com", "password-1"))).body.status).toBe("OK");
    } finally {
      await app.close();
      await database.cleanup();
    }
  });

  it("refuses inviteOnly: true without the Invitations recipe", async () => {
    const [makeDatabase] = variants;
    const database = makeDatabase!();
    const app = await startTestApp({ database: database.url });
    try {
      const multitenancy = app.auth.getRecipe<MultitenancyRecipe>("multitenancy")!.recipeInterfaceImpl;
      await expect(multitenancy.createOrUpdateTenant({ tenantId: "x", config: { inviteOnly: true }, userContext: makeUserContext({}) })).rejects.toThrow(
        "inviteOnly: true needs the Invitations recipe",
      );
    } finally {
      await app.close();
      await database.cleanup();
    }
  });
});
