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
import { getDefaultInstance, resetDefaultInstance } from "portcullis/engine";
import { plugin } from "portcullis/framework/hapi";
import { inviteOnlyPasswordless } from "../src/seeds/003-invite-only.js";
import { addCreateUserRoute } from "../src/seeds/003-hapi.js";
import { eventually } from "./helpers.js";

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

/** Header-mode calls: the tokens travel in headers, which keeps the test free of a cookie jar. */
async function call(path: string, body: unknown, accessToken?: string) {
  const headers: Record<string, string> = { "content-type": "application/json", "st-auth-mode": "header" };
  if (accessToken !== undefined) headers["authorization"] = `Bearer ${accessToken}`;
  const response = await fetch(base + path, { method: "POST", headers, body: JSON.stringify(body) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // "Success" is plain text
  }
  return { status: response.status, headers: response.headers, body: parsed as any };
}

async function emailPasswordSignUp(email: string): Promise<{ userId: string; accessToken: string }> {
  const response = await call("/auth/signup", { formFields: [{ id: "email", value: email }, { id: "password", value: "password123" }] });
  expect(response.body.status).toBe("OK");
  return { userId: response.body.user.id, accessToken: response.headers.get("st-access-token") ?? "" };
}

/** The newest invitation link in the development outbox for `recipient`. */
function inviteLink(recipient: string): Promise<URL> {
  return eventually(
    async () => {
      for (const message of await getDefaultInstance().engine.outbox.list(50)) {
        const found = message.recipient === recipient ? /http:\/\/\S+\/auth\/verify\?\S+/.exec(message.textBody)?.[0] : undefined;
        if (found !== undefined) return new URL(found);
      }
      return undefined;
    },
    10_000,
    `an invitation to ${recipient}`,
  );
}

const passwordlessUsers = async (email: string) =>
  (await supertokens.listUsersByAccountInfo("public", { email })).filter((user) => user.loginMethods.some((lM) => lM.recipeId === "passwordless"));

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
