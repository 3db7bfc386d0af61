/**
 * What every framework's seed 003 test does the same way: header-mode calls (tokens in headers,
 * no cookie jar), email+password accounts to act as admin or member, the invite link read from
 * the development outbox, and the passwordless users of an address.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import supertokens from "portcullis";
import EmailPassword from "portcullis/recipe/emailpassword";
import Session from "portcullis/recipe/session";
import UserRoles from "portcullis/recipe/userroles";
import { getDefaultInstance, resetDefaultInstance } from "portcullis/engine";
import { inviteOnlyPasswordless } from "../src/seeds/003-invite-only.js";
import { eventually } from "./helpers.js";

export function seed003Client(apiBase: () => string) {
  async function call(path: string, body: unknown, accessToken?: string) {
    const headers: Record<string, string> = { "content-type": "application/json", "st-auth-mode": "header" };
    if (accessToken !== undefined) headers["authorization"] = `Bearer ${accessToken}`;
    const response = await fetch(apiBase() + path, { method: "POST", headers, body: JSON.stringify(body) });
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

  async function emailPasswordSignIn(email: string): Promise<string> {
    const response = await call("/auth/signin", { formFields: [{ id: "email", value: email }, { id: "password", value: "password123" }] });
    expect(response.body.status).toBe("OK");
    return response.headers.get("st-access-token") ?? "";
  }

  return { call, emailPasswordSignUp, emailPasswordSignIn };
}

/** The magic link in the newest email to `recipient` (delivery to the outbox is asynchronous). */
export function inviteLinkTo(recipient: string): Promise<URL> {
  return eventually(
    async () => {
      for (const message of await getDefaultInstance().engine.outbox.list(50)) {
        const found = message.recipient === recipient ? /http:\/\/\S+\/auth\/verify\?\S+/.exec(message.textBody)?.[0] : undefined;
        if (found !== undefined) return new URL(found);
      }
      return undefined;
    },
    10_000,
    `an invite link to ${recipient}`,
  );
}

export const passwordlessUsers = async (email: string) =>
  (await supertokens.listUsersByAccountInfo("public", { email })).filter((user) => user.loginMethods.some((lM) => lM.recipeId === "passwordless"));

/**
 * The default instance every seed 003 tab runs on: email+password (to make admins and members),
 * the invite-only passwordless override, sessions and roles, on a SQLite file of its own.
 * `close()` resets the default instance and deletes the file.
 */
export function initSeed003Instance(appInfo: {
  appName: string;
  apiDomain: string;
  websiteDomain: string;
  apiGatewayPath?: string;
  framework?: "express" | "fastify" | "hapi" | "loopback" | "koa" | "awsLambda" | "custom";
}): { close(): Promise<void> } {
  const { framework, ...info } = appInfo;
  const dataDir = mkdtempSync(join(tmpdir(), "portcullis-seed003-"));
  supertokens.init({
    ...(framework !== undefined ? { framework } : {}),
    appInfo: { ...info, apiBasePath: "/auth", websiteBasePath: "/auth" },
    database: `sqlite:${join(dataDir, "seed003.db")}`,
    logger: { info: () => undefined, warn: () => undefined, error: console.error },
    recipeList: [EmailPassword.init(), inviteOnlyPasswordless(), Session.init(), UserRoles.init()],
  });
  return {
    async close() {
      await resetDefaultInstance();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Seed003Tab {
  /** Named in the test output: "seed 003 on <framework>". */
  framework: string;
  /** Where the app answers `/create-user` and `/auth/*` (with a gateway stage, if any). */
  apiBase: () => string;
  /** Where the invite link points; default apiBase(). */
  websiteBase?: () => string;
  /** The answer to an admin's /create-user without an email; default 400. */
  missingEmailStatus?: number;
  /** The body of a successful /create-user; default the text "Success". */
  successBody?: unknown;
  /** Added to every address the suite uses, for tabs that share one database. */
  addressTag?: string;
}

/**
 * What every framework tab of seed 003 must do, over HTTP: an uninvited email gets no code, a
 * caller without a session gets 401 and a member 403 `invalid claim` (and nobody is created), an
 * admin gets "Success", the user exists and the emailed invite link signs them in exactly once.
 */
export function describeSeed003Tab(tab: Seed003Tab): void {
  const { call, emailPasswordSignUp, emailPasswordSignIn } = seed003Client(tab.apiBase);
  const address = (name: string): string => `${name}${tab.addressTag === undefined ? "" : `-${tab.addressTag}`}@example.com`;
  const invitee = address("invitee");

  describe(`seed 003 on ${tab.framework}: invite-only passwordless, /create-user for admins`, () => {
    const stranger = address("stranger");
    it("refuses a code to an address nobody invited", async () => {
      const response = await call("/auth/signinup/code", { email: stranger });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: "GENERAL_ERROR", message: "Sign up disabled. Please contact the admin." });
      expect(await passwordlessUsers(stranger)).toEqual([]);
      expect((await getDefaultInstance().engine.outbox.list(100)).some((message) => message.recipient === stranger)).toBe(false);
    });

    it("refuses /create-user without a session (401), and for a signed-in user who is not admin (403)", async () => {
      const anonymous = await call("/create-user", { email: invitee });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({ message: "unauthorised" });

      const { accessToken } = await emailPasswordSignUp(address("member"));
      const response = await call("/create-user", { email: invitee }, accessToken);
      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        message: "invalid claim",
        claimValidationErrors: [{ id: "st-role", reason: { message: "wrong value", expectedToInclude: "admin", actualValue: [] } }],
      });
      expect(await passwordlessUsers(invitee)).toEqual([]);
    });

    it("lets an admin invite: the user exists and the emailed link signs them in once", async () => {
      const { userId } = await emailPasswordSignUp(address("admin"));
      await UserRoles.createNewRoleOrAddPermissions("admin", []);
      expect(await UserRoles.addRoleToUser("public", userId, "admin")).toMatchObject({ status: "OK" });
      // The role reaches a token at the next sign-in.
      const accessToken = await emailPasswordSignIn(address("admin"));

      expect((await call("/create-user", {}, accessToken)).status).toBe(tab.missingEmailStatus ?? 400);

      const response = await call("/create-user", { email: invitee }, accessToken);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(tab.successBody ?? "Success");
      const [user] = await passwordlessUsers(invitee);
      expect(user?.emails).toEqual([invitee]);

      const link = await inviteLinkTo(invitee);
      expect(`${link.origin}${link.pathname}`).toBe(`${(tab.websiteBase ?? tab.apiBase)()}/auth/verify`);
      const consume = { preAuthSessionId: link.searchParams.get("preAuthSessionId"), linkCode: link.hash.slice(1) };
      const signedIn = await call("/auth/signinup/code/consume", consume);
      expect(signedIn.body).toMatchObject({ status: "OK", createdNewRecipeUser: false, user: { id: user?.id } });
      expect(signedIn.headers.get("st-access-token")).toBeTruthy();
      expect((await call("/auth/signinup/code/consume", consume)).body).toEqual({ status: "RESTART_FLOW_ERROR" });
    });
  });
}
