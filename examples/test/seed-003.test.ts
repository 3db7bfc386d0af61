/**
 * Seed 003 (invite-only passwordless) over HTTP on the demo app: the createCodePOST override turns
 * away uninvited addresses, /create-user is for admins only, and an invitation creates the user and
 * emails a working magic link, after which the invitee may also sign in with a code.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import UserRoles from "portcullis/recipe/userroles";
import { resetDefaultInstance } from "portcullis/engine";
import { createDemoApp } from "../src/app.js";
import { closeServer, eventually, freePort, listen } from "./helpers.js";
import { seed003Client, passwordlessUsers } from "./seed-003-kit.js";

let server: Server;
let base = "";
let dataDir = "";

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "portcullis-seed003-"));
  const port = await freePort();
  server = await listen(createDemoApp({ port, database: `sqlite:${join(dataDir, "demo.db")}` }), port);
  // localhost, not 127.0.0.1: the outbox is local-only and checks the Host header too.
  base = `http://localhost:${port}`;
});

afterAll(async () => {
  await closeServer(server);
  await resetDefaultInstance();
  rmSync(dataDir, { recursive: true, force: true });
});

const { call, emailPasswordSignUp, emailPasswordSignIn } = seed003Client(() => base);

type OutboxMessage = { channel: string; recipient: string; textBody: string };

async function outbox(): Promise<OutboxMessage[]> {
  return (await (await fetch(base + "/outbox.json")).json()) as OutboxMessage[];
}

/** The newest message to `recipient` whose text matches `pattern`, as its first match. */
function newestMatch(recipient: string, pattern: RegExp, skip: string[] = []): Promise<string> {
  return eventually(
    async () => {
      for (const message of await outbox()) {
        const found = message.recipient === recipient ? pattern.exec(message.textBody)?.[0] : undefined;
        if (found !== undefined && !skip.includes(found)) return found;
      }
      return undefined;
    },
    10_000,
    `a message to ${recipient} matching ${pattern}`,
  );
}

const INVALID_CLAIM = {
  message: "invalid claim",
  claimValidationErrors: [{ id: "st-role", reason: { message: "wrong value", expectedToInclude: "admin", actualValue: [] } }],
};

describe("seed 003: invite-only passwordless on the demo app", () => {
  const invitee = "invitee@example.com";

  it("refuses a code to an address nobody invited", async () => {
    const response = await call("/auth/signinup/code", { email: "stranger@example.com" });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "GENERAL_ERROR", message: "Sign up disabled. Please contact the admin." });
    expect(await passwordlessUsers("stranger@example.com")).toEqual([]);
    expect((await outbox()).some((message) => message.recipient === "stranger@example.com")).toBe(false);
  });

  it("refuses /create-user without a session, and for a signed-in user who is not admin", async () => {
    expect((await call("/create-user", { email: invitee })).status).toBe(401);

    const { accessToken } = await emailPasswordSignUp("member@example.com");
    const response = await call("/create-user", { email: invitee }, accessToken);
    expect(response.status).toBe(403);
    expect(response.body).toEqual(INVALID_CLAIM);
    expect(await passwordlessUsers(invitee)).toEqual([]);
  });

  it("lets an admin invite: the user exists and the emailed link signs them in once", async () => {
    const { userId } = await emailPasswordSignUp("admin@example.com");
    await UserRoles.createNewRoleOrAddPermissions("admin", []);
    expect(await UserRoles.addRoleToUser("public", userId, "admin")).toMatchObject({ status: "OK" });
    // The role reaches a token at the next sign-in (or via /demo/make-me-admin, below).
    const accessToken = await emailPasswordSignIn("admin@example.com");

    const bad = await call("/create-user", {}, accessToken);
    expect(bad.status).toBe(400);

    const response = await call("/create-user", { email: invitee }, accessToken);
    expect(response.status).toBe(200);
    expect(response.body).toBe("Success");
    const [user] = await passwordlessUsers(invitee);
    expect(user?.emails).toEqual([invitee]);

    const link = new URL(await newestMatch(invitee, /http:\/\/\S+\/auth\/verify\?\S+/));
    expect(`${link.origin}${link.pathname}`).toBe(`${base}/auth/verify`);
    expect(link.searchParams.get("tenantId")).toBe("public");
    const consume = { preAuthSessionId: link.searchParams.get("preAuthSessionId"), linkCode: link.hash.slice(1) };
    const signedIn = await call("/auth/signinup/code/consume", consume);
    expect(signedIn.body).toMatchObject({ status: "OK", createdNewRecipeUser: false, user: { id: user?.id } });
    expect(signedIn.headers.get("st-access-token")).toBeTruthy();
    expect((await call("/auth/signinup/code/consume", consume)).body).toEqual({ status: "RESTART_FLOW_ERROR" });
  });

  it("lets the invitee ask for a code now, and sign in with it once", async () => {
    const created = await call("/auth/signinup/code", { email: invitee });
    expect(created.body).toMatchObject({ status: "OK", flowType: "USER_INPUT_CODE_AND_MAGIC_LINK" });
    const code = (await newestMatch(invitee, /sign-in code is (\d{6})/)).slice(-6);
    const consume = { preAuthSessionId: created.body.preAuthSessionId, deviceId: created.body.deviceId, userInputCode: code };
    expect((await call("/auth/signinup/code/consume", consume)).body).toMatchObject({ status: "OK", createdNewRecipeUser: false });
    expect((await call("/auth/signinup/code/consume", consume)).body).toEqual({ status: "RESTART_FLOW_ERROR" });
  });

  it("makes the caller admin through the local-only demo route, effective on the same session", async () => {
    const { accessToken } = await emailPasswordSignUp("second-admin@example.com");
    expect((await call("/create-user", { email: "friend@example.com" }, accessToken)).status).toBe(403);

    const made = await call("/demo/make-me-admin", {}, accessToken);
    expect(made.status).toBe(200);
    expect(made.body).toEqual({ status: "OK", roles: ["admin"] });
    // The claim was refetched into a new access token, sent back in header mode.
    const upgraded = made.headers.get("st-access-token") ?? "";
    expect(upgraded).not.toBe("");
    expect((await call("/create-user", { email: "friend@example.com" }, upgraded)).body).toBe("Success");
    expect(await passwordlessUsers("friend@example.com")).toHaveLength(1);
  });
});
