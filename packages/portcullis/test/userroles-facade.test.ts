/** `portcullis/recipe/userroles` over the default instance: positional signatures and the static claims. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import supertokens, { RecipeUserId } from "../src/facade/index.js";
import EmailPassword from "../src/facade/emailpassword.js";
import Session from "../src/facade/session.js";
import UserRoles from "../src/entries/recipe/userroles.js";
import { resetDefaultInstance } from "../src/facade/default-instance.js";
import { sqliteFileDatabase, type TestDatabase } from "./helpers/databases.js";

let database: TestDatabase;
let userId: string;

beforeAll(async () => {
  database = sqliteFileDatabase();
  supertokens.init({
    appInfo: { appName: "roles", apiDomain: "http://localhost", websiteDomain: "http://localhost" },
    database: database.url,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    // UserRoles before Session: list order does not matter.
    recipeList: [EmailPassword.init(), UserRoles.init({ skipAddingPermissionsToAccessToken: true }), Session.init({ antiCsrf: "NONE" })],
  });
  const created = await EmailPassword.signUp("public", "roles@example.com", "password123");
  if (created.status !== "OK") throw new Error(created.status);
  userId = created.user.id;
});

afterAll(async () => {
  await resetDefaultInstance();
  await database.cleanup();
});

describe("UserRoles facade", () => {
  it("takes the SDK's positional arguments", async () => {
    expect(await UserRoles.createNewRoleOrAddPermissions("admin", ["read"])).toEqual({ status: "OK", createdNewRole: true });
    expect(await UserRoles.addRoleToUser("public", userId, "admin")).toEqual({ status: "OK", didUserAlreadyHaveRole: false });
    expect(await UserRoles.getRolesForUser("public", userId)).toEqual({ status: "OK", roles: ["admin"] });
    expect(await UserRoles.getUsersThatHaveRole("public", "admin")).toEqual({ status: "OK", users: [userId] });
    expect(await UserRoles.getPermissionsForRole("admin")).toEqual({ status: "OK", permissions: ["read"] });
    expect(await UserRoles.getRolesThatHavePermission("read")).toEqual({ status: "OK", roles: ["admin"] });
    expect(await UserRoles.getAllRoles()).toEqual({ status: "OK", roles: ["admin"] });
    expect(await UserRoles.removePermissionsFromRole("nope", ["read"])).toEqual({ status: "UNKNOWN_ROLE_ERROR" });
    expect(await UserRoles.addRoleToUser("public", userId, "nope")).toEqual({ status: "UNKNOWN_ROLE_ERROR" });
  });

  it("adds st-role (not st-perm, skipped) to new sessions, and fetchAndSetClaim refreshes it", async () => {
    const session = await Session.createNewSessionWithoutRequestResponse("public", new RecipeUserId(userId));
    const payload = session.getAccessTokenPayload();
    expect(payload["st-role"]).toMatchObject({ v: ["admin"] });
    expect(payload["st-perm"]).toBeUndefined();

    expect(await UserRoles.removeUserRole("public", userId, "admin")).toEqual({ status: "OK", didUserHaveRole: true });
    expect(await Session.fetchAndSetClaim(session.getHandle(), UserRoles.UserRoleClaim)).toBe(true);
    const information = await Session.getSessionInformation(session.getHandle());
    expect(information?.customClaimsInAccessTokenPayload["st-role"]).toMatchObject({ v: [] });
    expect(await UserRoles.deleteRole("admin")).toEqual({ status: "OK", didRoleExist: true });
  });
});
