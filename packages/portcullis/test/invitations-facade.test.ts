/** `portcullis/recipe/invitations` over the default instance: the object-argument functions and the entry's exports. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import supertokens from "../src/facade/index.js";
import EmailPassword from "../src/facade/emailpassword.js";
import Session from "../src/facade/session.js";
import UserRoles from "../src/facade/userroles.js";
import Invitations, { createInvitation, revokeInvitation } from "../src/entries/recipe/invitations.js";
import { getDefaultInstance, resetDefaultInstance } from "../src/facade/default-instance.js";
import { sqliteFileDatabase, type TestDatabase } from "./helpers/databases.js";

let database: TestDatabase;

beforeAll(() => {
  database = sqliteFileDatabase();
  supertokens.init({
    appInfo: { appName: "invites", apiDomain: "http://localhost", websiteDomain: "https://app.example.com", websiteBasePath: "/login" },
    database: database.url,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    recipeList: [EmailPassword.init(), Session.init({ antiCsrf: "NONE" }), UserRoles.init(), Invitations.init({ message: "Ask your team lead for an invite." })],
  });
});

afterAll(async () => {
  await resetDefaultInstance();
  await database.cleanup();
});

describe("Invitations facade", () => {
  it("creates, lists, reads and revokes invitations; the gate uses the configured message", async () => {
    await UserRoles.createNewRoleOrAddPermissions("member", []);
    const created = await createInvitation({ tenantId: "public", email: "ada@example.com", roles: ["member"] });
    if (created.status !== "OK") throw new Error(created.status);
    expect(created.link).toBe("https://app.example.com/login?show=signup&email=ada%40example.com");
    const { invitationId } = created.invitation;
    expect(await Invitations.getInvitation({ tenantId: "public", invitationId })).toEqual({ status: "OK", invitation: created.invitation });
    expect((await Invitations.listInvitations({ tenantId: "public" })).invitations.map((i) => i.invitationId)).toEqual([invitationId]);

    const gate = (email: string) => getDefaultInstance().engine.mayCreateAccount({ recipeId: "emailpassword", tenantId: "public", identifier: { email }, userContext: {} });
    expect(await gate("ada@example.com")).toEqual({ allowed: true });
    expect(await gate("grace@example.com")).toEqual({ allowed: false, message: "Ask your team lead for an invite." });
    // The gate guards the sign-up routes, not the backend function: your own code may still create users.
    expect((await EmailPassword.signUp("public", "grace@example.com", "password123")).status).toBe("OK");
    expect(await revokeInvitation({ tenantId: "public", invitationId })).toEqual({ status: "OK", didInvitationExist: true });
    expect((await Invitations.listInvitations({ tenantId: "public", includeAccepted: true, includeExpired: true })).invitations).toEqual([]);
  });
});
