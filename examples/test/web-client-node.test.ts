/**
 * portcullis-web in Node ≥ 20 (global fetch), header mode, against a real Portcullis Express app:
 * sign-up/in and their errors, the session helpers, one refresh for concurrent calls after the
 * access token expired, passwordless by code and by link, sign-out, and a revoked session.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, memoryStorage, type PortcullisClient } from "portcullis-web";
import { resetDefaultInstance } from "portcullis/engine";
import Session from "portcullis/recipe/session";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeServer, freePort, listen } from "./helpers.js";
import { createWebClientApp, latestMessageTo, type WebClientApp } from "./web-client-app.js";

const ACCESS_TOKEN_SECONDS = 2;
const waitForExpiry = () => new Promise((resolve) => setTimeout(resolve, ACCESS_TOKEN_SECONDS * 1000 + 200));

let server: Server;
let web: WebClientApp;
let base = "";
let dataDir = "";
let counter = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "portcullis-web-node-"));
  const port = await freePort();
  base = `http://localhost:${port}`;
  web = createWebClientApp({ port, database: `sqlite:${join(dataDir, "web.db")}`, accessTokenValiditySeconds: ACCESS_TOKEN_SECONDS });
  server = await listen(web.app, port);
});

afterAll(async () => {
  await closeServer(server);
  await resetDefaultInstance();
  rmSync(dataDir, { recursive: true, force: true });
});

function newClient(): PortcullisClient & { expired: () => number } {
  let expired = 0;
  const client = createClient({ apiDomain: base, apiBasePath: "/auth", tokenTransfer: "header", onSessionExpired: () => expired++ });
  return Object.assign(client, { expired: () => expired });
}

const newEmail = () => `web-node-${++counter}-${Date.now()}@example.com`;

describe("portcullis-web in Node, header mode", () => {
  it("signs up, knows the session from the front token, and reads the user", async () => {
    const client = newClient();
    const email = newEmail();
    expect(await client.auth.doesSessionExist()).toEqual({ data: false, errors: null });
    const signUp = await client.auth.signUpWithEmail(email, "password-1");
    expect(signUp.errors).toBeNull();
    const userId = signUp.data!.user.id;
    expect(signUp.data!.user.emails).toEqual([email]);
    expect(await client.auth.getUserId()).toEqual({ data: userId, errors: null });
    expect(await client.auth.doesSessionExist()).toEqual({ data: true, errors: null });
    expect((await client.auth.getAccessTokenPayload()).data).toMatchObject({ sub: userId, rsub: userId, tId: "public" });
    expect(await client.auth.getUser()).toEqual({ data: { user: signUp.data!.user }, errors: null });
    const me = await client.fetch(`${base}/me`);
    expect(await me.json()).toEqual({ userId });
  });

  it("maps the sign-up and sign-in refusals to stable codes", async () => {
    const client = newClient();
    const email = newEmail();
    expect((await client.auth.signUpWithEmail(email, "password-1")).errors).toBeNull();
    const taken = await client.auth.signUpWithEmail(email, "password-1");
    expect(taken).toMatchObject({ data: null, errors: { code: "EMAIL_ALREADY_EXISTS", fields: [{ id: "email" }] } });
    const weak = await client.auth.signUpWithEmail(newEmail(), "short");
    expect(weak.errors).toMatchObject({ code: "FIELD_ERROR", message: "Password must contain at least 8 characters, including a number" });
    expect((await client.auth.signInWithEmail(email, "wrong-password-1")).errors).toMatchObject({ code: "WRONG_CREDENTIALS" });
    expect((await client.auth.signInWithEmail(email, "password-1")).errors).toBeNull();
    expect(await client.auth.doesEmailExist(email)).toEqual({ data: { exists: true }, errors: null });
  });

  it("after the access token expires, five concurrent calls share one refresh", async () => {
    const client = newClient();
    const signUp = await client.auth.signUpWithEmail(newEmail(), "password-1");
    const userId = signUp.data!.user.id;
    await waitForExpiry();
    const refreshesBefore = web.count("POST", "/auth/session/refresh");
    const results = await Promise.all([client.auth.getUser(), client.auth.getUser(), client.auth.getUser(), client.auth.getUser(), client.fetch(`${base}/me`)]);
    for (const result of results.slice(0, 4)) expect((result as Awaited<ReturnType<typeof client.auth.getUser>>).data?.user.id).toBe(userId);
    expect(((await (results[4] as Response).json()) as { userId: string }).userId).toBe(userId);
    expect(web.count("POST", "/auth/session/refresh") - refreshesBefore).toBe(1);
    expect(client.expired()).toBe(0);
  });

  it("doesSessionExist refreshes an expired access token instead of answering from the stale front token", async () => {
    const client = newClient();
    await client.auth.signUpWithEmail(newEmail(), "password-1");
    await waitForExpiry();
    const refreshesBefore = web.count("POST", "/auth/session/refresh", 200);
    expect(await client.auth.doesSessionExist()).toEqual({ data: true, errors: null });
    expect(web.count("POST", "/auth/session/refresh", 200) - refreshesBefore).toBe(1);
    expect(((await client.auth.getAccessTokenPayload()).data?.["exp"] as number) * 1000).toBeGreaterThan(Date.now());
  });

  it("signs out: the session is gone locally and on the server, and that is not an expiry", async () => {
    const client = newClient();
    await client.auth.signUpWithEmail(newEmail(), "password-1");
    expect(await client.auth.signOut()).toEqual({ data: {}, errors: null });
    expect(await client.auth.doesSessionExist()).toEqual({ data: false, errors: null });
    expect((await client.auth.getUser()).errors).toMatchObject({ code: "UNAUTHORISED" });
    expect(client.expired()).toBe(0);
  });

  it("a session revoked on the server ends with one onSessionExpired and UNAUTHORISED", async () => {
    const client = newClient();
    const signUp = await client.auth.signUpWithEmail(newEmail(), "password-1");
    await Session.revokeAllSessionsForUser(signUp.data!.user.id);
    const [first, second] = await Promise.all([client.auth.getUser(), client.auth.getUser()]);
    expect(first.errors).toMatchObject({ code: "UNAUTHORISED", httpStatus: 401 });
    expect(second.errors).toMatchObject({ code: "UNAUTHORISED" });
    expect(client.expired()).toBe(1);
    expect(await client.auth.doesSessionExist()).toEqual({ data: false, errors: null });
  });

  it("passwordless: a wrong code, then the right one; then a magic link", async () => {
    const client = newClient();
    const email = newEmail();
    const created = await client.auth.createPasswordlessCode({ email });
    expect(created.data).toMatchObject({ flowType: "USER_INPUT_CODE_AND_MAGIC_LINK" });
    const message = await latestMessageTo(email);
    const code = message.match(/\b(\d{6})\b/)![1]!;
    const wrong = await client.auth.consumePasswordlessCode(code === "000000" ? "111111" : "000000");
    expect(wrong.errors).toMatchObject({ code: "INCORRECT_CODE", failedCodeInputAttemptCount: 1, maximumCodeInputAttempts: 5 });
    // The server's resend cooldown answers GENERAL_ERROR + Retry-After: the client calls that RATE_LIMITED.
    const resend = await client.auth.resendPasswordlessCode();
    expect(resend.errors).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number) });
    const signedUp = await client.auth.consumePasswordlessCode(code);
    expect(signedUp.data).toMatchObject({ createdNewRecipeUser: true, user: { emails: [email] } });
    expect((await client.auth.getPasswordlessAttempt()).data).toBeNull();

    const linkEmail = newEmail();
    await newClient().auth.createPasswordlessCode({ email: linkEmail });
    const link = (await latestMessageTo(linkEmail)).match(/https?:\/\/\S+\/verify\?\S+#\S+/)![0];
    // A client that never asked (another device) signs in with the link.
    const other = newClient();
    const signedIn = await other.auth.consumeMagicLink(link);
    expect(signedIn.data).toMatchObject({ createdNewRecipeUser: true, user: { emails: [linkEmail] } });
    expect((await other.auth.getUserId()).data).toBe(signedIn.data!.user.id);
    expect((await newClient().auth.consumeMagicLink(link)).errors).toMatchObject({ code: "RESTART_FLOW" });
  });

  it("passwordless by phone, and a GENERAL_ERROR for an invalid number", async () => {
    const client = newClient();
    const phoneNumber = `+1415555${String(1000 + (Date.now() % 9000)).padStart(4, "0")}`;
    expect((await client.auth.createPasswordlessCode({ phoneNumber: "12" })).errors).toMatchObject({ code: "GENERAL_ERROR", message: "Phone number is invalid" });
    expect((await client.auth.createPasswordlessCode({ phoneNumber })).errors).toBeNull();
    const code = (await latestMessageTo(phoneNumber)).match(/\b(\d{6})\b/)![1]!;
    const signedUp = await client.auth.consumePasswordlessCode(code);
    expect(signedUp.data?.user.phoneNumbers).toEqual([phoneNumber]);
  });

  it("a server that cannot be reached is NETWORK_ERROR, not an exception", async () => {
    const port = await freePort();
    const client = createClient({ apiDomain: `http://localhost:${port}`, tokenTransfer: "header", storage: memoryStorage() });
    const result = await client.auth.signInWithEmail("x@example.com", "password-1");
    expect(result).toMatchObject({ data: null, errors: { code: "NETWORK_ERROR" } });
  });
});
