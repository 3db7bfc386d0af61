/**
 * Seed 003's NestJS tab over HTTP on a real Nest 11 app (platform-express): the invite-only
 * createCodePOST override turns away uninvited addresses, /create-user (guarded by
 * `new AuthGuard(options)`, session through Nest's own `@Session()`) is for admins only, and an
 * invitation creates the user and emails a magic link that signs them in once.
 */
import "reflect-metadata";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { INestApplication } from "@nestjs/common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import supertokens from "portcullis";
import EmailPassword from "portcullis/recipe/emailpassword";
import Session from "portcullis/recipe/session";
import UserRoles from "portcullis/recipe/userroles";
import { resetDefaultInstance } from "portcullis/engine";
import { inviteOnlyPasswordless } from "../src/seeds/003-invite-only.js";
import { createSeed003NestApp } from "../src/seeds/003-nestjs.js";
import { freePort } from "./helpers.js";
import { seed003Client, inviteLinkTo, passwordlessUsers } from "./seed-003-kit.js";

const dataDir = mkdtempSync(join(tmpdir(), "portcullis-seed003-nestjs-"));
let app: INestApplication | undefined;
let base = "";

beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  supertokens.init({
    framework: "express",
    appInfo: { appName: "Seed 003 on NestJS", apiDomain: base, websiteDomain: base },
    database: `sqlite:${join(dataDir, "seed003-nestjs.db")}`,
    logger: { info: () => undefined, warn: () => undefined, error: console.error },
    recipeList: [EmailPassword.init(), inviteOnlyPasswordless(), Session.init(), UserRoles.init()],
  });
  app = await createSeed003NestApp({ logger: false });
  await app.listen(port);
});

afterAll(async () => {
  await app?.close();
  await resetDefaultInstance();
  rmSync(dataDir, { recursive: true, force: true });
});

const { call, emailPasswordSignUp, emailPasswordSignIn } = seed003Client(() => base);

describe("seed 003 on NestJS: invite-only passwordless, /create-user for admins", () => {
  const invitee = "invitee@example.com";

  it("refuses a code to an address nobody invited", async () => {
    const response = await call("/auth/signinup/code", { email: "stranger@example.com" });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "GENERAL_ERROR", message: "Sign up disabled. Please contact the admin." });
    expect(await passwordlessUsers("stranger@example.com")).toEqual([]);
  });

  it("refuses /create-user without a session (401), and for a signed-in user who is not admin (403)", async () => {
    const anonymous = await call("/create-user", { email: invitee });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ message: "unauthorised" });

    const { accessToken } = await emailPasswordSignUp("member@example.com");
    const response = await call("/create-user", { email: invitee }, accessToken);
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      message: "invalid claim",
      claimValidationErrors: [{ id: "st-role", reason: { message: "wrong value", expectedToInclude: "admin", actualValue: [] } }],
    });
    expect(await passwordlessUsers(invitee)).toEqual([]);
  });

  it("lets an admin invite: the user exists and the emailed link signs them in once", async () => {
    const { userId } = await emailPasswordSignUp("admin@example.com");
    await UserRoles.createNewRoleOrAddPermissions("admin", []);
    expect(await UserRoles.addRoleToUser("public", userId, "admin")).toMatchObject({ status: "OK" });
    // The role reaches a token at the next sign-in.
    const accessToken = await emailPasswordSignIn("admin@example.com");

    expect((await call("/create-user", {}, accessToken)).status).toBe(400);

    const response = await call("/create-user", { email: invitee }, accessToken);
    expect(response.status).toBe(200);
    expect(response.body).toBe("Success");
    const [user] = await passwordlessUsers(invitee);
    expect(user?.emails).toEqual([invitee]);

    const link = await inviteLinkTo(invitee);
    expect(`${link.origin}${link.pathname}`).toBe(`${base}/auth/verify`);
    const consume = { preAuthSessionId: link.searchParams.get("preAuthSessionId"), linkCode: link.hash.slice(1) };
    const signedIn = await call("/auth/signinup/code/consume", consume);
    expect(signedIn.body).toMatchObject({ status: "OK", createdNewRecipeUser: false, user: { id: user?.id } });
    expect(signedIn.headers.get("st-access-token")).toBeTruthy();
    expect((await call("/auth/signinup/code/consume", consume)).body).toEqual({ status: "RESTART_FLOW_ERROR" });
  });

  it("leaves other paths to Nest (404) and answers bad JSON to /create-user with 400", async () => {
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    const response = await fetch(`${base}/create-user`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(response.status).toBe(400);
  });
});
