/**
 * Invite-only sign-up with passwordless, over HTTP on every database: the refused code request,
 * an invited email signing up with its code, the invitation's magic link signing the invitee in
 * (and living exactly as long as the invitation), and the link dying with a revoked invitation
 * or one used by another login method.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUserContext } from "../src/core/user-context.js";
import { DEFAULT_INVITE_ONLY_MESSAGE, initInvitations, INVITATIONS_RECIPE_ID, type InvitationsRecipe } from "../src/recipes/invitations/invitations-recipe.js";
import type { Invitee, RecipeInterface as Invitations } from "../src/recipes/invitations/types.js";
import { initPasswordless } from "../src/recipes/passwordless/passwordless-recipe.js";
import { initUserRoles, USERROLES_RECIPE_ID, type UserRolesRecipe } from "../src/recipes/userroles/userroles-recipe.js";
import { databaseVariants, type TestDatabase } from "./helpers/databases.js";
import { credentials, startTestApp, type TestApp } from "./helpers/test-app.js";

const variants = await databaseVariants();
const REFUSED = { status: "GENERAL_ERROR", message: DEFAULT_INVITE_ONLY_MESSAGE };

type ConsumeBody = { status: string; createdNewRecipeUser?: boolean; user?: { id: string } };

describe.each(variants.map((make) => [make().name, make] as const))("invite-only passwordless sign-up on %s", (_name, makeDatabase) => {
  let database: TestDatabase;
  let app: TestApp;
  let invitations: Invitations;
  let counter = 0;
  const ctx = () => makeUserContext({});
  const nextEmail = () => `pl-invitee${++counter}-${Date.now()}@example.com`;
  const createCode = (contact: { email: string } | { phoneNumber: string }) => app.client().post("/auth/signinup/code", contact);
  const consume = (body: Record<string, unknown>) => app.client({ "st-auth-mode": "header" }).post("/auth/signinup/code/consume", body);
  const rolesOf = async (userId: string) =>
    (await app.auth.engine.requireRecipe<UserRolesRecipe>(USERROLES_RECIPE_ID).recipeInterfaceImpl.getRolesForUser({ userId, tenantId: "public", userContext: ctx() })).roles;

  async function invite(invitee: Invitee, options: { roles?: string[]; lifetimeSeconds?: number } = {}) {
    const created = await invitations.createInvitation({ ...invitee, tenantId: "public", ...options, userContext: ctx() });
    if (created.status !== "OK") throw new Error(created.status);
    return created;
  }

  /** `…/verify?preAuthSessionId=…&tenantId=…#<linkCode>` as the frontend reads it. */
  function linkParts(link: string): { preAuthSessionId: string; linkCode: string } {
    const url = new URL(link);
    expect(url.pathname).toBe("/auth/verify");
    expect(url.searchParams.get("tenantId")).toBe("public");
    return { preAuthSessionId: url.searchParams.get("preAuthSessionId") ?? "", linkCode: url.hash.slice(1) };
  }

  async function codeSentTo(email: string): Promise<string> {
    const message = (await app.auth.engine.outbox.list(200)).find((m) => m.recipient === email);
    const code = message === undefined ? undefined : /\b(\d{6})\b/.exec(message.textBody)?.[1];
    if (code === undefined) throw new Error(`no code sent to ${email}`);
    return code;
  }

  beforeAll(async () => {
    database = makeDatabase();
    app = await startTestApp({ database: database.url, recipes: [initPasswordless({ contactMethod: "EMAIL_OR_PHONE" }), initUserRoles(), initInvitations()] });
    invitations = app.auth.engine.requireRecipe<InvitationsRecipe>(INVITATIONS_RECIPE_ID).recipeInterfaceImpl;
    await app.auth.engine.requireRecipe<UserRolesRecipe>(USERROLES_RECIPE_ID).recipeInterfaceImpl.createNewRoleOrAddPermissions({ role: "member", permissions: [], userContext: ctx() });
  });

  afterAll(async () => {
    await app?.close();
    await database?.cleanup();
  });

  it("refuses a code to an uninvited email or phone, and sends nothing", async () => {
    const email = nextEmail();
    const refused = await createCode({ email });
    expect(refused.status).toBe(200);
    expect(refused.body).toEqual(REFUSED);
    expect((await app.auth.engine.outbox.list(200)).some((m) => m.recipient === email)).toBe(false);
    expect((await createCode({ phoneNumber: "+14155550199" })).body).toEqual(REFUSED);
  });

  it("an invited email signs up with its code and gets the invitation's roles; later sign-ins are not gated", async () => {
    const email = nextEmail();
    const { invitation } = await invite({ email }, { roles: ["member"] });
    const created = (await createCode({ email })).body as { status: string; preAuthSessionId: string; deviceId: string };
    expect(created.status).toBe("OK");
    const signedIn = await consume({ preAuthSessionId: created.preAuthSessionId, deviceId: created.deviceId, userInputCode: await codeSentTo(email) });
    const body = signedIn.body as ConsumeBody;
    expect(body).toMatchObject({ status: "OK", createdNewRecipeUser: true });
    expect(signedIn.headers.get("st-access-token")).toBeTruthy();
    const userId = body.user?.id ?? "";
    expect(await rolesOf(userId)).toEqual(["member"]);
    const payload = JSON.parse(Buffer.from((signedIn.headers.get("st-access-token") ?? "").split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
    expect(payload["st-role"]).toMatchObject({ v: ["member"] });
    expect(await invitations.getInvitation({ tenantId: "public", invitationId: invitation.invitationId, userContext: ctx() })).toMatchObject({
      invitation: { acceptedByUserId: userId },
    });

    // The account exists now: asking for a code again is a sign-in, which the gate never sees.
    // (Later, so the outbox's newest message is the new code.)
    app.clock.advance(20_000);
    const again = (await createCode({ email })).body as { status: string; preAuthSessionId: string; deviceId: string };
    expect(again.status).toBe("OK");
    const second = (await consume({ preAuthSessionId: again.preAuthSessionId, deviceId: again.deviceId, userInputCode: await codeSentTo(email) })).body as ConsumeBody;
    expect(second).toMatchObject({ status: "OK", createdNewRecipeUser: false, user: { id: userId } });
  });

  it("the invitation's magic link signs the invitee in, for as long as the invitation lives", async () => {
    const email = nextEmail();
    const { link, invitation } = await invite({ email }, { roles: ["member"], lifetimeSeconds: 3 * 24 * 3600 });
    // Far beyond the 10-minute lifetime of an ordinary code.
    app.clock.advance(2 * 24 * 3600 * 1000);
    const body = (await consume(linkParts(link))).body as ConsumeBody;
    expect(body).toMatchObject({ status: "OK", createdNewRecipeUser: true });
    expect(await rolesOf(body.user?.id ?? "")).toEqual(["member"]);
    expect((await invitations.getInvitation({ tenantId: "public", invitationId: invitation.invitationId, userContext: ctx() })).status).toBe("OK");
    expect((await consume(linkParts(link))).body).toMatchObject({ status: "RESTART_FLOW_ERROR" });
  });

  it("a phone invitation's link is a magic link too", async () => {
    const { link } = await invite({ phoneNumber: "+1 415 555 0142" });
    expect((await consume(linkParts(link))).body).toMatchObject({ status: "OK", createdNewRecipeUser: true });
  });

  it("the magic link expires with the invitation", async () => {
    const email = nextEmail();
    const { link } = await invite({ email }, { lifetimeSeconds: 60 });
    app.clock.advance(60_000);
    expect((await consume(linkParts(link))).body).toMatchObject({ status: "RESTART_FLOW_ERROR" });
    expect((await createCode({ email })).body).toEqual(REFUSED);
  });

  it("revoking the invitation withdraws its magic link", async () => {
    const email = nextEmail();
    const { link, invitation } = await invite({ email });
    await invitations.revokeInvitation({ tenantId: "public", invitationId: invitation.invitationId, userContext: ctx() });
    expect((await consume(linkParts(link))).body).toMatchObject({ status: "RESTART_FLOW_ERROR" });
    expect(await app.auth.listUsersByAccountInfo("public", { email })).toEqual([]);
  });

  it("a code asked for while invited no longer signs up once the invitation has expired", async () => {
    const email = nextEmail();
    await invite({ email }, { lifetimeSeconds: 120 });
    const created = (await createCode({ email })).body as { status: string; preAuthSessionId: string; deviceId: string };
    expect(created.status).toBe("OK");
    const code = await codeSentTo(email);
    // The code lives 10 minutes, the invitation 2: between the two, the gate is asked again.
    app.clock.advance(121_000);
    expect((await consume({ preAuthSessionId: created.preAuthSessionId, deviceId: created.deviceId, userInputCode: code })).body).toEqual(REFUSED);
    expect(await app.auth.listUsersByAccountInfo("public", { email })).toEqual([]);
  });

  it("a re-invitation withdraws the previous link; an invitation used by email+password withdraws its link", async () => {
    const email = nextEmail();
    const first = await invite({ email });
    const second = await invite({ email });
    expect((await consume(linkParts(first.link))).body).toMatchObject({ status: "RESTART_FLOW_ERROR" });

    expect((await app.client().post("/auth/signup", credentials(email, "password123"))).body.status).toBe("OK");
    // One invitation, one account: its link cannot make a second (passwordless) one.
    expect((await consume(linkParts(second.link))).body).toMatchObject({ status: "RESTART_FLOW_ERROR" });
    expect((await createCode({ email })).body).toEqual(REFUSED);
  });
});
