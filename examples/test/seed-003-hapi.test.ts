/**
 * Seed 003 (invite-only passwordless) with the guide's Hapi tab, on a real Hapi 21 server: the
 * auth routes through the plugin, /create-user for admins only, and the emailed invitation link
 * signs the invitee in.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Hapi from "@hapi/hapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import supertokens from "portcullis";
import EmailPassword from "portcullis/recipe/emailpassword";
import Session from "portcullis/recipe/session";
import UserRoles from "portcullis/recipe/userroles";
import { resetDefaultInstance } from "portcullis/engine";
import { plugin } from "portcullis/framework/hapi";
import { inviteOnlyPasswordless } from "../src/seeds/003-invite-only.js";
import { addCreateUserRoute } from "../src/seeds/003-hapi.js";
import { seed003Client, inviteLinkTo, passwordlessUsers } from "./seed-003-kit.js";

let server: Hapi.Server;
let base = "";
let dataDir = "";

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "portcullis-seed003-hapi-"));
  await resetDefaultInstance();
  server = Hapi.server({ port: 0, host: "127.0.0.1" });
  supertokens.init({
    appInfo: { appName: "Seed 003 on Hapi", apiDomain: "http://127.0.0.1", websiteDomain: "http://127.0.0.1", apiBasePath: "/auth" },
    database: `sqlite:${join(dataDir, "hapi.db")}`,
    recipeList: [EmailPassword.init(), inviteOnlyPasswordless(), Session.init(), UserRoles.init()],
  });
  await server.register(plugin);
  addCreateUserRoute(server);
  await server.start();
  base = server.info.uri;
});

afterAll(async () => {
  await server?.stop();
  await resetDefaultInstance();
  rmSync(dataDir, { recursive: true, force: true });
});

const { call, emailPasswordSignUp } = seed003Client(() => base);
const inviteLink = inviteLinkTo;

describe("seed 003's Hapi tab on a Hapi 21 server", () => {
  const invitee = "invitee@example.com";

  it("refuses a code to an address nobody invited", async () => {
    const response = await call("/auth/signinup/code", { email: "stranger@example.com" });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "GENERAL_ERROR", message: "Sign up disabled. Please contact the admin." });
  });

  it("refuses /create-user without a session (401) and for a user who is not admin (403 invalid claim)", async () => {
    expect((await call("/create-user", { email: invitee })).status).toBe(401);
    const { accessToken } = await emailPasswordSignUp("member@example.com");
    const response = await call("/create-user", { email: invitee }, accessToken);
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      message: "invalid claim",
      claimValidationErrors: [{ id: "st-role", reason: { message: "wrong value", expectedToInclude: "admin", actualValue: [] } }],
    });
    expect(await passwordlessUsers(invitee)).toEqual([]);
  });

  it("lets an admin invite, and the emailed link signs the invitee in once", async () => {
    const { userId } = await emailPasswordSignUp("admin@example.com");
    await UserRoles.createNewRoleOrAddPermissions("admin", []);
    await UserRoles.addRoleToUser("public", userId, "admin");
    const signIn = await call("/auth/signin", { formFields: [{ id: "email", value: "admin@example.com" }, { id: "password", value: "password123" }] });
    const accessToken = signIn.headers.get("st-access-token") ?? "";

    expect((await call("/create-user", {}, accessToken)).status).toBe(400);
    const noBody = await fetch(base + "/create-user", { method: "POST", headers: { "st-auth-mode": "header", authorization: `Bearer ${accessToken}` } });
    expect(noBody.status).toBe(400);
    const response = await call("/create-user", { email: invitee }, accessToken);
    expect(response.status).toBe(200);
    expect(response.body).toBe("Success");
    const [user] = await passwordlessUsers(invitee);
    expect(user?.emails).toEqual([invitee]);

    const link = await inviteLink(invitee);
    const consume = { preAuthSessionId: link.searchParams.get("preAuthSessionId"), linkCode: link.hash.slice(1) };
    const signedIn = await call("/auth/signinup/code/consume", consume);
    expect(signedIn.body).toMatchObject({ status: "OK", createdNewRecipeUser: false, user: { id: user?.id } });
    expect(signedIn.headers.get("st-access-token")).toBeTruthy();
    expect((await call("/auth/signinup/code/consume", consume)).body).toEqual({ status: "RESTART_FLOW_ERROR" });
  });
});
