/**
 * User roles and permissions: the recipe's functions and statuses, per-tenant assignments, the
 * `st-role`/`st-perm` claims in new sessions, and a route guarded by a role validator (403 with
 * the FDI body, refetch after maxAge, fetchAndSetClaim), on every database.
 * @see issue #7
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUserContext } from "../src/core/user-context.js";
import { errorHandler, middleware, verifySession, type SessionRequest } from "../src/framework/express/index.js";
import { SESSION_RECIPE_ID, type SessionRecipe } from "../src/recipes/session/session-recipe.js";
import { initUserRoles, USERROLES_RECIPE_ID, type UserRolesRecipe } from "../src/recipes/userroles/userroles-recipe.js";
import { startConformanceApp, type MountApp } from "../src/testing/conformance-app.js";
import { databaseVariants, type TestDatabase } from "./helpers/databases.js";
import { credentials, type TestApp } from "./helpers/test-app.js";

const variants = await databaseVariants();

/** Express with the auth routes and two routes that need a role (one with a maxAge of 60 s). */
const mountWithAdminRoutes: MountApp = async (auth) => {
  const recipe = auth.engine.requireRecipe<UserRolesRecipe>(USERROLES_RECIPE_ID);
  const app = express();
  app.use(express.json());
  app.use(middleware(auth));
  const answer = (req: SessionRequest, res: express.Response) => void res.json({ userId: req.session?.getUserId() });
  app.get("/admin", verifySession({ overrideGlobalClaimValidators: (globals) => [...globals, recipe.userRoleClaim.validators.includes("admin")] }, auth), answer);
  app.get("/admin-fresh", verifySession({ overrideGlobalClaimValidators: (globals) => [...globals, recipe.userRoleClaim.validators.includes("admin", 60)] }, auth), answer);
  app.get("/admin-now", verifySession({ overrideGlobalClaimValidators: (globals) => [...globals, recipe.userRoleClaim.validators.includes("admin", 0)] }, auth), answer);
  app.get("/can-write", verifySession({ overrideGlobalClaimValidators: (globals) => [...globals, recipe.permissionClaim.validators.includesAny(["write", "own"])] }, auth), answer);
  app.use(errorHandler(auth));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
};

function decodePayload(accessToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(accessToken.split(".")[1] as string, "base64url").toString("utf8")) as Record<string, unknown>;
}

describe.each(variants.map((make) => [make().name, make] as const))("user roles on %s", (_name, makeDatabase) => {
  let database: TestDatabase;
  let app: TestApp;
  let roles: UserRolesRecipe;
  let counter = 0;
  const ctx = () => makeUserContext({});

  beforeAll(async () => {
    database = makeDatabase();
    app = await startConformanceApp(mountWithAdminRoutes, { database: database.url, recipes: [initUserRoles()] });
    roles = app.auth.engine.requireRecipe<UserRolesRecipe>(USERROLES_RECIPE_ID);
  });

  afterAll(async () => {
    await app?.close();
    await database?.cleanup();
  });

  async function signUp(): Promise<{ userId: string; accessToken: string; handle: string }> {
    const response = await app.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials(`roles${++counter}-${Date.now()}@example.com`, "password123"));
    expect(response.status).toBe(200);
    const accessToken = response.headers.get("st-access-token") as string;
    const payload = decodePayload(accessToken);
    return { userId: (response.body as { user: { id: string } }).user.id, accessToken, handle: payload["sessionHandle"] as string };
  }

  const get = (path: string, accessToken: string) => app.client().get(path, { authorization: `Bearer ${accessToken}` });

  it("manages roles and permissions with the SDK's statuses", async () => {
    const r = roles.recipeInterfaceImpl;
    const role = `editor-${++counter}`;
    expect(await r.createNewRoleOrAddPermissions({ role, permissions: ["read", "write"], userContext: ctx() })).toEqual({ status: "OK", createdNewRole: true });
    expect(await r.createNewRoleOrAddPermissions({ role, permissions: ["publish"], userContext: ctx() })).toEqual({ status: "OK", createdNewRole: false });
    expect(await r.getPermissionsForRole({ role, userContext: ctx() })).toEqual({ status: "OK", permissions: ["publish", "read", "write"] });
    expect(await r.removePermissionsFromRole({ role, permissions: ["publish"], userContext: ctx() })).toEqual({ status: "OK" });
    expect(await r.getRolesThatHavePermission({ permission: "write", userContext: ctx() })).toEqual({ status: "OK", roles: [role] });
    expect((await r.getAllRoles({ userContext: ctx() })).roles).toContain(role);

    expect(await r.addRoleToUser({ userId: "u1", role, tenantId: "public", userContext: ctx() })).toEqual({ status: "OK", didUserAlreadyHaveRole: false });
    expect(await r.addRoleToUser({ userId: "u1", role, tenantId: "public", userContext: ctx() })).toEqual({ status: "OK", didUserAlreadyHaveRole: true });
    expect(await r.getRolesForUser({ userId: "u1", tenantId: "public", userContext: ctx() })).toEqual({ status: "OK", roles: [role] });
    expect(await r.getUsersThatHaveRole({ role, tenantId: "public", userContext: ctx() })).toEqual({ status: "OK", users: ["u1"] });
    expect(await r.removeUserRole({ userId: "u1", role, tenantId: "public", userContext: ctx() })).toEqual({ status: "OK", didUserHaveRole: true });
    expect(await r.removeUserRole({ userId: "u1", role, tenantId: "public", userContext: ctx() })).toEqual({ status: "OK", didUserHaveRole: false });

    const unknown = "no-such-role";
    const UNKNOWN = { status: "UNKNOWN_ROLE_ERROR" };
    expect(await r.addRoleToUser({ userId: "u1", role: unknown, tenantId: "public", userContext: ctx() })).toEqual(UNKNOWN);
    expect(await r.removeUserRole({ userId: "u1", role: unknown, tenantId: "public", userContext: ctx() })).toEqual(UNKNOWN);
    expect(await r.getUsersThatHaveRole({ role: unknown, tenantId: "public", userContext: ctx() })).toEqual(UNKNOWN);
    expect(await r.getPermissionsForRole({ role: unknown, userContext: ctx() })).toEqual(UNKNOWN);
    expect(await r.removePermissionsFromRole({ role: unknown, permissions: ["x"], userContext: ctx() })).toEqual(UNKNOWN);

    expect(await r.deleteRole({ role, userContext: ctx() })).toEqual({ status: "OK", didRoleExist: true });
    expect(await r.deleteRole({ role, userContext: ctx() })).toEqual({ status: "OK", didRoleExist: false });
    expect(await r.getRolesThatHavePermission({ permission: "write", userContext: ctx() })).toEqual({ status: "OK", roles: [] });
  });

  it("keeps assignments per tenant: a role in tenant A is not in tenant B", async () => {
    const r = roles.recipeInterfaceImpl;
    const role = `tenant-role-${++counter}`;
    await r.createNewRoleOrAddPermissions({ role, permissions: [], userContext: ctx() });
    await r.addRoleToUser({ userId: "u2", role, tenantId: "tenant-a", userContext: ctx() });
    expect(await r.getRolesForUser({ userId: "u2", tenantId: "tenant-a", userContext: ctx() })).toEqual({ status: "OK", roles: [role] });
    expect(await r.getRolesForUser({ userId: "u2", tenantId: "tenant-b", userContext: ctx() })).toEqual({ status: "OK", roles: [] });
    expect(await r.getUsersThatHaveRole({ role, tenantId: "tenant-b", userContext: ctx() })).toEqual({ status: "OK", users: [] });
  });

  it("puts st-role and st-perm into a new session's access token", async () => {
    const r = roles.recipeInterfaceImpl;
    await r.createNewRoleOrAddPermissions({ role: "admin", permissions: ["read", "write"], userContext: ctx() });
    await r.createNewRoleOrAddPermissions({ role: "viewer", permissions: ["read"], userContext: ctx() });
    const first = await signUp();
    expect(decodePayload(first.accessToken)).toMatchObject({ "st-role": { v: [], t: app.clock.now() }, "st-perm": { v: [], t: app.clock.now() } });

    // Roles are fetched when a session is created: a new session of a user with roles carries them.
    const email = `roles-again-${++counter}@example.com`;
    const signedUp = await app.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials(email, "password123"));
    const userId = (signedUp.body as { user: { id: string } }).user.id;
    await r.addRoleToUser({ userId, role: "admin", tenantId: "public", userContext: ctx() });
    await r.addRoleToUser({ userId, role: "viewer", tenantId: "public", userContext: ctx() });
    const signedIn = await app.client({ "st-auth-mode": "header" }).post("/auth/signin", credentials(email, "password123"));
    const payload = decodePayload(signedIn.headers.get("st-access-token") as string);
    expect(payload["st-role"]).toEqual({ v: ["admin", "viewer"], t: app.clock.now() });
    expect(payload["st-perm"]).toEqual({ v: ["read", "write"], t: app.clock.now() });
  });

  it("answers 403 with the FDI body to a non-admin and 200 to an admin", async () => {
    await roles.recipeInterfaceImpl.createNewRoleOrAddPermissions({ role: "admin", permissions: ["write"], userContext: ctx() });
    const user = await signUp();
    const denied = await get("/admin", user.accessToken);
    expect(denied.status).toBe(403);
    expect(denied.text).toBe(
      JSON.stringify({ message: "invalid claim", claimValidationErrors: [{ id: "st-role", reason: { message: "wrong value", expectedToInclude: "admin", actualValue: [] } }] }),
    );
    expect((await get("/can-write", user.accessToken)).status).toBe(403);

    const email = `admin-${++counter}@example.com`;
    const signedUp = await app.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials(email, "password123"));
    const adminId = (signedUp.body as { user: { id: string } }).user.id;
    await roles.recipeInterfaceImpl.addRoleToUser({ userId: adminId, role: "admin", tenantId: "public", userContext: ctx() });
    const signedIn = await app.client({ "st-auth-mode": "header" }).post("/auth/signin", credentials(email, "password123"));
    const adminToken = signedIn.headers.get("st-access-token") as string;
    const ok = await get("/admin", adminToken);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ userId: adminId });
    expect((await get("/can-write", adminToken)).status).toBe(200);
  });

  it("a removed role stops working after maxAgeInSeconds on a validator with maxAge", async () => {
    const r = roles.recipeInterfaceImpl;
    await r.createNewRoleOrAddPermissions({ role: "admin", permissions: [], userContext: ctx() });
    const email = `maxage-${++counter}@example.com`;
    const signedUp = await app.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials(email, "password123"));
    const userId = (signedUp.body as { user: { id: string } }).user.id;
    await r.addRoleToUser({ userId, role: "admin", tenantId: "public", userContext: ctx() });
    const signedIn = await app.client({ "st-auth-mode": "header" }).post("/auth/signin", credentials(email, "password123"));
    const accessToken = signedIn.headers.get("st-access-token") as string;
    expect((await get("/admin-fresh", accessToken)).status).toBe(200);

    await r.removeUserRole({ userId, role: "admin", tenantId: "public", userContext: ctx() });
    // Within maxAge the token's value stands.
    expect((await get("/admin-fresh", accessToken)).status).toBe(200);
    app.clock.advance(61_000);
    const denied = await get("/admin-fresh", accessToken);
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ message: "invalid claim", claimValidationErrors: [{ id: "st-role", reason: { message: "wrong value", expectedToInclude: "admin", actualValue: [] } }] });
  });

  it("a removed role stops working on the very next request where the validator's maxAge is 0", async () => {
    const r = roles.recipeInterfaceImpl;
    await r.createNewRoleOrAddPermissions({ role: "admin", permissions: [], userContext: ctx() });
    const email = `now-${++counter}@example.com`;
    const signedUp = await app.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials(email, "password123"));
    const userId = (signedUp.body as { user: { id: string } }).user.id;
    await r.addRoleToUser({ userId, role: "admin", tenantId: "public", userContext: ctx() });
    const signedIn = await app.client({ "st-auth-mode": "header" }).post("/auth/signin", credentials(email, "password123"));
    const accessToken = signedIn.headers.get("st-access-token") as string;
    app.clock.advance(1);
    expect((await get("/admin-now", accessToken)).status).toBe(200);
    await r.removeUserRole({ userId, role: "admin", tenantId: "public", userContext: ctx() });
    app.clock.advance(1);
    // Same token, no clock jump beyond a millisecond: the roles were read again from the database.
    expect((await get("/admin-now", accessToken)).status).toBe(403);
  });

  it("a removed role stops working at once after fetchAndSetClaim", async () => {
    const r = roles.recipeInterfaceImpl;
    await r.createNewRoleOrAddPermissions({ role: "admin", permissions: [], userContext: ctx() });
    const email = `fetch-${++counter}@example.com`;
    const signedUp = await app.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials(email, "password123"));
    const userId = (signedUp.body as { user: { id: string } }).user.id;
    await r.addRoleToUser({ userId, role: "admin", tenantId: "public", userContext: ctx() });
    const signedIn = await app.client({ "st-auth-mode": "header" }).post("/auth/signin", credentials(email, "password123"));
    const accessToken = signedIn.headers.get("st-access-token") as string;
    const refreshToken = signedIn.headers.get("st-refresh-token") as string;
    const handle = decodePayload(accessToken)["sessionHandle"] as string;
    expect((await get("/admin", accessToken)).status).toBe(200);

    await r.removeUserRole({ userId, role: "admin", tenantId: "public", userContext: ctx() });
    const sessionRecipe = app.auth.engine.requireRecipe<SessionRecipe>(SESSION_RECIPE_ID);
    expect(await sessionRecipe.recipeInterfaceImpl.fetchAndSetClaim({ sessionHandle: handle, claim: roles.userRoleClaim, userContext: ctx() })).toBe(true);
    // The next token the session gets (a refresh copies the stored payload) no longer has the role.
    const refreshed = await app.client({ rid: "session", "st-auth-mode": "header" }).post("/auth/session/refresh", {}, { authorization: `Bearer ${refreshToken}` });
    expect(refreshed.status).toBe(200);
    const newAccessToken = refreshed.headers.get("st-access-token") as string;
    expect(decodePayload(newAccessToken)["st-role"]).toMatchObject({ v: [] });
    expect((await get("/admin", newAccessToken)).status).toBe(403);
  });
});
