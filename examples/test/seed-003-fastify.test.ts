/**
 * Seed 003's Fastify tab over HTTP on a real Fastify server: the invite-only override turns away
 * uninvited addresses, /create-user answers 403 to a non-admin, and an admin's invitation creates
 * the user and emails a magic link that signs them in once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import supertokens from "portcullis";
import EmailPassword from "portcullis/recipe/emailpassword";
import Session from "portcullis/recipe/session";
import UserRoles from "portcullis/recipe/userroles";
import { errorHandler, plugin } from "portcullis/framework/fastify";
import { getDefaultInstance, resetDefaultInstance } from "portcullis/engine";
import { inviteOnlyPasswordless } from "../src/seeds/003-invite-only.js";
import { addCreateUserRoute } from "../src/seeds/003-fastify.js";
import { eventually, freePort } from "./helpers.js";
import { seed003Client, passwordlessUsers } from "./seed-003-kit.js";

let fastify: FastifyInstance;
let base = "";
let dataDir = "";

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "portcullis-seed003-fastify-"));
  const port = await freePort();
  base = `http://localhost:${port}`;
  supertokens.init({
    appInfo: { appName: "Seed 003 on Fastify", apiDomain: base, websiteDomain: base, apiBasePath: "/auth", websiteBasePath: "/auth" },
    database: `sqlite:${join(dataDir, "seed.db")}`,
    recipeList: [EmailPassword.init(), inviteOnlyPasswordless(), Session.init(), UserRoles.init()],
  });
  fastify = Fastify();
  await fastify.register(plugin);
  addCreateUserRoute(fastify);
  fastify.setErrorHandler(errorHandler());
  await fastify.listen({ port, host: "127.0.0.1" });
});

afterAll(async () => {
  await fastify?.close();
  await resetDefaultInstance();
  rmSync(dataDir, { recursive: true, force: true });
});

const { call, emailPasswordSignUp, emailPasswordSignIn } = seed003Client(() => base);

/** The development outbox, read from the instance (this app mounts no outbox page). */
const outbox = () => getDefaultInstance().engine.outbox.list(100);

describe("seed 003 on Fastify: invite-only passwordless", () => {
  const invitee = "invitee@example.com";

  it("refuses a code to an address nobody invited", async () => {
    const response = await call("/auth/signinup/code", { email: "stranger@example.com" });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "GENERAL_ERROR", message: "Sign up disabled. Please contact the admin." });
    expect(await passwordlessUsers("stranger@example.com")).toEqual([]);
    expect((await outbox()).some((message) => message.recipient === "stranger@example.com")).toBe(false);
  });

  it("refuses /create-user without a session (401), and for a signed-in user who is not admin (403 invalid claim)", async () => {
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
    const accessToken = await emailPasswordSignIn("admin@example.com");

    expect((await call("/create-user", {}, accessToken)).status).toBe(400);

    const response = await call("/create-user", { email: invitee }, accessToken);
    expect(response.status).toBe(200);
    expect(response.body).toBe("Success");
    const [user] = await passwordlessUsers(invitee);
    expect(user?.emails).toEqual([invitee]);

    const found = await eventually(
      async () => (await outbox()).map((message) => (message.recipient === invitee ? /http:\/\/\S+\/auth\/verify\?\S+/.exec(message.textBody)?.[0] : undefined)).find((m) => m !== undefined),
      10_000,
      "the invite link in the outbox",
    );
    const link = new URL(found);
    expect(`${link.origin}${link.pathname}`).toBe(`${base}/auth/verify`);
    const consume = { preAuthSessionId: link.searchParams.get("preAuthSessionId"), linkCode: link.hash.slice(1) };
    const signedIn = await call("/auth/signinup/code/consume", consume);
    expect(signedIn.body).toMatchObject({ status: "OK", createdNewRecipeUser: false, user: { id: user?.id } });
    expect(signedIn.headers.get("st-access-token")).toBeTruthy();
    expect((await call("/auth/signinup/code/consume", consume)).body).toEqual({ status: "RESTART_FLOW_ERROR" });
  });
});
