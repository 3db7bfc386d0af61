/**
 * Invite-only sign-up with email and password, over HTTP on every database: the refusal the
 * frontend shows, an invitation admitting exactly its invitee (with roles, in its tenant, until
 * it expires or is revoked), the statuses of createInvitation, and open sign-up with
 * `inviteOnly: false`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UnknownTenantError } from "../src/core/errors.js";
import { makeUserContext } from "../src/core/user-context.js";
import { DEFAULT_INVITE_ONLY_MESSAGE, initInvitations, INVITATIONS_RECIPE_ID, type InvitationsRecipe } from "../src/recipes/invitations/invitations-recipe.js";
import type { RecipeInterface as Invitations } from "../src/recipes/invitations/types.js";
import { initMultitenancy, MULTITENANCY_RECIPE_ID, type MultitenancyRecipe } from "../src/recipes/multitenancy/multitenancy-recipe.js";
import { initUserRoles, USERROLES_RECIPE_ID, type UserRolesRecipe } from "../src/recipes/userroles/userroles-recipe.js";
import { databaseVariants, type TestDatabase } from "./helpers/databases.js";
import { credentials, startTestApp, type TestApp } from "./helpers/test-app.js";

const variants = await databaseVariants();
const REFUSED = { status: "GENERAL_ERROR", message: DEFAULT_INVITE_ONLY_MESSAGE };

describe.each(variants.map((make) => [make().name, make] as const))("invite-only email+password sign-up on %s", (_name, makeDatabase) => {
  let database: TestDatabase;
  let app: TestApp;
  let invitations: Invitations;
  let counter = 0;
  const ctx = () => makeUserContext({});
  const nextEmail = () => `invitee${++counter}-${Date.now()}@example.com`;
  const signUp = (email: string, tenantId?: string) =>
    app.client().post(tenantId === undefined ? "/auth/signup" : `/auth/${tenantId}/signup`, credentials(email, "password123"));
  const rolesOf = (userId: string, tenantId = "public") =>
    app.auth.engine.requireRecipe<UserRolesRecipe>(USERROLES_RECIPE_ID).recipeInterfaceImpl.getRolesForUser({ userId, tenantId, userContext: ctx() });

  beforeAll(async () => {
    database = makeDatabase();
    app = await startTestApp({ database: database.url, recipes: [initUserRoles(), initMultitenancy(), initInvitations()] });
    invitations = app.auth.engine.requireRecipe<InvitationsRecipe>(INVITATIONS_RECIPE_ID).recipeInterfaceImpl;
    const roles = app.auth.engine.requireRecipe<UserRolesRecipe>(USERROLES_RECIPE_ID).recipeInterfaceImpl;
    await roles.createNewRoleOrAddPermissions({ role: "member", permissions: ["read"], userContext: ctx() });
    await roles.createNewRoleOrAddPermissions({ role: "editor", permissions: ["write"], userContext: ctx() });
  });

  afterAll(async () => {
    await app?.close();
    await database?.cleanup();
  });

  it("refuses an uninvited sign-up with the configured message, and creates no account", async () => {
    const email = nextEmail();
    const refused = await signUp(email);
    expect(refused.status).toBe(200);
    expect(refused.body).toEqual(REFUSED);
    expect(await app.auth.listUsersByAccountInfo("public", { email })).toEqual([]);
  });

  it("admits an invited email with the invitation's roles, once; others stay out; the invitee signs in later", async () => {
    const email = nextEmail();
    const created = await invitations.createInvitation({ tenantId: "public", email: ` ${email.toUpperCase()} `, roles: ["member"], userContext: ctx() });
    if (created.status !== "OK") throw new Error(created.status);
    // Normalised as sign-up normalises; without passwordless the link opens the sign-up page.
    expect(created.invitation).toMatchObject({ tenantId: "public", identifier: { email }, roles: ["member"], acceptedAt: null, acceptedByUserId: null });
    expect(created.invitation.expiresAt - created.invitation.createdAt).toBe(7 * 24 * 3600 * 1000);
    expect(created.link).toBe(`http://localhost/auth?show=signup&email=${encodeURIComponent(email)}`);

    const signedUp = await app.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials(email, "password123"));
    expect(signedUp.body.status).toBe("OK");
    const userId = (signedUp.body as { user: { id: string } }).user.id;
    expect(await rolesOf(userId)).toEqual({ status: "OK", roles: ["member"] });
    // The roles are assigned before the session starts, so its very first token carries them.
    const payload = JSON.parse(Buffer.from((signedUp.headers.get("st-access-token") ?? "").split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
    expect(payload["st-role"]).toMatchObject({ v: ["member"] });
    const stored = await invitations.getInvitation({ tenantId: "public", invitationId: created.invitation.invitationId, userContext: ctx() });
    expect(stored).toEqual({ status: "OK", invitation: { ...created.invitation, acceptedAt: app.clock.now(), acceptedByUserId: userId } });

    // Accepted: no longer listed as live, and it admits nobody else.
    const live = await invitations.listInvitations({ tenantId: "public", userContext: ctx() });
    expect(live.invitations.map((i) => i.invitationId)).not.toContain(created.invitation.invitationId);
    const all = await invitations.listInvitations({ tenantId: "public", includeAccepted: true, userContext: ctx() });
    expect(all.invitations.map((i) => i.invitationId)).toContain(created.invitation.invitationId);
    expect((await signUp(nextEmail())).body).toEqual(REFUSED);

    // Sign-in is never gated; a second sign-up with the same email meets the account, not the gate.
    expect((await app.client().post("/auth/signin", credentials(email, "password123"))).body.status).toBe("OK");
    expect((await signUp(email)).body).toEqual(REFUSED);
  });

  it("refuses an invitation that has expired", async () => {
    const email = nextEmail();
    await invitations.createInvitation({ tenantId: "public", email, lifetimeSeconds: 60, userContext: ctx() });
    app.clock.advance(60_000);
    expect((await signUp(email)).body).toEqual(REFUSED);
    const expired = await invitations.listInvitations({ tenantId: "public", includeExpired: true, userContext: ctx() });
    expect(expired.invitations.some((i) => i.identifier.email === email)).toBe(true);
    expect((await invitations.listInvitations({ tenantId: "public", userContext: ctx() })).invitations.some((i) => i.identifier.email === email)).toBe(false);
  });

  it("refuses a revoked invitation", async () => {
    const email = nextEmail();
    const created = await invitations.createInvitation({ tenantId: "public", email, userContext: ctx() });
    if (created.status !== "OK") throw new Error(created.status);
    const invitationId = created.invitation.invitationId;
    expect(await invitations.revokeInvitation({ tenantId: "public", invitationId, userContext: ctx() })).toEqual({ status: "OK", didInvitationExist: true });
    expect(await invitations.revokeInvitation({ tenantId: "public", invitationId, userContext: ctx() })).toEqual({ status: "OK", didInvitationExist: false });
    expect(await invitations.getInvitation({ tenantId: "public", invitationId, userContext: ctx() })).toEqual({ status: "UNKNOWN_INVITATION_ERROR" });
    expect((await signUp(email)).body).toEqual(REFUSED);
  });

  it("a re-invitation replaces the pending one: its roles apply", async () => {
    const email = nextEmail();
    const first = await invitations.createInvitation({ tenantId: "public", email, roles: ["member"], userContext: ctx() });
    const second = await invitations.createInvitation({ tenantId: "public", email, roles: ["editor"], userContext: ctx() });
    if (first.status !== "OK" || second.status !== "OK") throw new Error("createInvitation failed");
    expect(await invitations.getInvitation({ tenantId: "public", invitationId: first.invitation.invitationId, userContext: ctx() })).toEqual({ status: "UNKNOWN_INVITATION_ERROR" });
    const signedUp = await signUp(email);
    expect(await rolesOf((signedUp.body as { user: { id: string } }).user.id)).toEqual({ status: "OK", roles: ["editor"] });
  });

  it("an invitation in tenant A does not admit sign-up in tenant B", async () => {
    const multitenancy = app.auth.engine.requireRecipe<MultitenancyRecipe>(MULTITENANCY_RECIPE_ID).recipeInterfaceImpl;
    const [tenantA, tenantB] = [`team-a-${++counter}`, `team-b-${++counter}`];
    for (const tenantId of [tenantA, tenantB]) await multitenancy.createOrUpdateTenant({ tenantId, config: { firstFactors: ["emailpassword"] }, userContext: ctx() });
    const email = nextEmail();
    const created = await invitations.createInvitation({ tenantId: tenantA, email, roles: ["member"], userContext: ctx() });
    if (created.status !== "OK") throw new Error(created.status);
    expect(new URL(created.link).searchParams.get("tenantId")).toBe(tenantA);

    expect((await signUp(email, tenantB)).body).toEqual(REFUSED);
    expect((await signUp(email)).body).toEqual(REFUSED);
    const signedUp = await signUp(email, tenantA);
    expect(signedUp.body.status).toBe("OK");
    const userId = (signedUp.body as { user: { id: string } }).user.id;
    expect(await rolesOf(userId, tenantA)).toEqual({ status: "OK", roles: ["member"] });
    expect(await rolesOf(userId, tenantB)).toEqual({ status: "OK", roles: [] });
    expect((await invitations.listInvitations({ tenantId: tenantB, includeAccepted: true, includeExpired: true, userContext: ctx() })).invitations).toEqual([]);
  });

  it("answers bad input with statuses, and an unknown tenant with UnknownTenantError", async () => {
    expect(await invitations.createInvitation({ tenantId: "public", email: nextEmail(), roles: ["no-such-role"], userContext: ctx() })).toEqual({
      status: "UNKNOWN_ROLE_ERROR",
      role: "no-such-role",
    });
    expect(await invitations.createInvitation({ tenantId: "public", email: "not-an-email", userContext: ctx() })).toEqual({ status: "INVALID_EMAIL_ERROR" });
    expect(await invitations.createInvitation({ tenantId: "public", phoneNumber: "12", userContext: ctx() })).toEqual({ status: "INVALID_PHONE_NUMBER_ERROR" });
    await expect(invitations.createInvitation({ tenantId: "no-such-tenant", email: nextEmail(), userContext: ctx() })).rejects.toBeInstanceOf(UnknownTenantError);
    await expect(invitations.createInvitation({ tenantId: "public", email: nextEmail(), lifetimeSeconds: 0, userContext: ctx() })).rejects.toBeInstanceOf(RangeError);
    // No passwordless recipe: a phone invitation points at the sign-up page too.
    const byPhone = await invitations.createInvitation({ tenantId: "public", phoneNumber: "+1 415 555 0123", userContext: ctx() });
    expect(byPhone).toMatchObject({ status: "OK", invitation: { identifier: { phoneNumber: "+14155550123" } }, link: "http://localhost/auth?show=signup&phoneNumber=%2B14155550123" });
  });

  it("inviting someone who already has an account is harmless", async () => {
    const email = nextEmail();
    await invitations.createInvitation({ tenantId: "public", email, userContext: ctx() });
    expect((await signUp(email)).body.status).toBe("OK");
    const again = await invitations.createInvitation({ tenantId: "public", email, roles: ["editor"], userContext: ctx() });
    expect(again.status).toBe("OK");
    expect((await app.client().post("/auth/signin", credentials(email, "password123"))).body.status).toBe("OK");
    // The gate lets it through (a live invitation), the account answers: the email is taken.
    expect((await signUp(email)).body).toMatchObject({ status: "FIELD_ERROR", formFields: [{ id: "email" }] });
  });
});

describe.each(variants.map((make) => [make().name, make] as const))("open sign-up (inviteOnly: false) on %s", (_name, makeDatabase) => {
  let database: TestDatabase;
  let app: TestApp;
  const ctx = () => makeUserContext({});

  beforeAll(async () => {
    database = makeDatabase();
    app = await startTestApp({ database: database.url, recipes: [initInvitations({ inviteOnly: false, message: "unused" })] });
  });

  afterAll(async () => {
    await app?.close();
    await database?.cleanup();
  });

  it("lets anyone sign up, and refuses roles it could not assign without UserRoles", async () => {
    expect((await app.client().post("/auth/signup", credentials(`open-${Date.now()}@example.com`, "password123"))).body.status).toBe("OK");
    const invitations = app.auth.engine.requireRecipe<InvitationsRecipe>(INVITATIONS_RECIPE_ID).recipeInterfaceImpl;
    expect(await invitations.createInvitation({ tenantId: "public", email: "x@example.com", roles: ["member"], userContext: ctx() })).toEqual({
      status: "USER_ROLES_NOT_INITIALISED_ERROR",
    });
    // Without roles an invitation is still accepted by the sign-up it precedes.
    const email = `invited-open-${Date.now()}@example.com`;
    const created = await invitations.createInvitation({ tenantId: "public", email, userContext: ctx() });
    if (created.status !== "OK") throw new Error(created.status);
    const signedUp = await app.client().post("/auth/signup", credentials(email, "password123"));
    const userId = (signedUp.body as { user: { id: string } }).user.id;
    expect(await invitations.getInvitation({ tenantId: "public", invitationId: created.invitation.invitationId, userContext: ctx() })).toMatchObject({
      status: "OK",
      invitation: { acceptedByUserId: userId },
    });
  });
});
