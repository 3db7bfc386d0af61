/**
 * Seed 001, email half: POST /user/password/reset/email emails a link to the API, whose GET checks
 * the token without using it and 302s to an allow-listed page with `access_token` and
 * `action=reset-pwd`; the page resets through POST /user/password/reset.
 * @see issue #8
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../src/crypto/hash.js";
import { createAuth } from "../src/instance/create-auth.js";
import type { MultitenancyRecipe } from "../src/recipes/multitenancy/multitenancy-recipe.js";
import { initEmailPassword } from "../src/recipes/emailpassword/emailpassword-recipe.js";
import { RedirectAllowList } from "../src/recipes/emailpassword/redirect-urls.js";
import { initSession } from "../src/recipes/session/session-recipe.js";
import { initEmailVerification } from "../src/recipes/emailverification/emailverification-recipe.js";
import { databaseVariants, type TestDatabase } from "./helpers/databases.js";
import { dumpPortcullisRows } from "./helpers/raw-rows.js";
import { credentials, startTestApp, type TestApp } from "./helpers/test-app.js";


const REDIRECT = "http://localhost:3001/auth-redirect";
const OTHER_REDIRECT = "https://app.example.com/account/reset";
const resetRedirect = { allowedRedirectURLs: [REDIRECT, OTHER_REDIRECT] };

describe("the redirect allow-list", () => {
  it("matches exactly (scheme, host, port, path) and refuses a query, a fragment or credentials", () => {
    const list = RedirectAllowList.fromConfig(resetRedirect);
    expect(list.match(REDIRECT)).toBe(REDIRECT);
    // Normalised the way URLs are: case of scheme and host, a default port.
    expect(list.match("HTTP://LOCALHOST:3001/auth-redirect")).toBe(REDIRECT);
    expect(list.match("https://app.example.com:443/account/reset")).toBe(OTHER_REDIRECT);
    for (const refused of [
      "http://localhost:3001/auth-redirect/",
      "http://localhost:3001/Auth-Redirect",
      "https://localhost:3001/auth-redirect",
      "http://localhost:3002/auth-redirect",
      "http://localhost/auth-redirect",
      "http://localhost:3001/auth-redirect?next=https://evil.example",
      "http://localhost:3001/auth-redirect?",
      "http://localhost:3001/auth-redirect#x",
      "http://localhost:3001@evil.example/auth-redirect",
      "http://user:pw@localhost:3001/auth-redirect",
      "//localhost:3001/auth-redirect",
      "/auth-redirect",
      "javascript:alert(1)//localhost:3001/auth-redirect",
      "",
    ]) {
      expect(list.match(refused), refused).toBeUndefined();
    }
    expect(RedirectAllowList.fromConfig(undefined).match(REDIRECT)).toBeUndefined();
  });

  it("refuses a bad configuration when the instance is created", () => {
    const create = (allowedRedirectURLs: unknown) => () =>
      createAuth({
        appInfo: { appName: "t", apiDomain: "http://localhost", websiteDomain: "http://localhost" },
        database: "sqlite::memory:",
        recipeList: [initEmailPassword({ resetPasswordRedirect: { allowedRedirectURLs: allowedRedirectURLs as string[] } }), initSession()],
      });
    for (const bad of [[], ["/relative"], ["ftp://example.com/x"], ["https://example.com/x?a=1"], ["https://example.com/x#top"], ["https://u:p@example.com/"], [42], "https://example.com"]) {
      expect(create(bad), JSON.stringify(bad)).toThrow(/allowedRedirectURLs/);
    }
  });
});

const variants = await databaseVariants();

describe.each(variants.map((make) => [make().name, make] as const))("reset by emailed link with a redirect on %s", (_name, makeDatabase) => {
  let database: TestDatabase;
  let app: TestApp;
  /** The same database without the email verification recipe. */
  let withoutVerification: TestApp;
  let counter = 0;

  beforeAll(async () => {
    database = makeDatabase();
    // Many requests come from one test IP: only the per-account caps stay on (tested below).
    const limits = { passwordReset: { perIp: false as const }, signIn: { perIp: false as const } };
    app = await startTestApp({ database: database.url, emailPassword: { resetPasswordRedirect: resetRedirect }, recipes: [initEmailVerification({ mode: "OPTIONAL" })], limits });
    withoutVerification = await startTestApp({ database: database.url, emailPassword: { resetPasswordRedirect: resetRedirect }, limits });
    await app.auth.getRecipe<MultitenancyRecipe>("multitenancy")?.recipeInterfaceImpl.createOrUpdateTenant({ tenantId: "acme", userContext: {} });
  });
  afterAll(async () => {
    await withoutVerification.close();
    await app.close();
    await database.cleanup();
  });

  const client = () => app.client({ rid: "emailpassword", "st-auth-mode": "header" });

  async function newUser(options: { tenant?: string; verified?: boolean } = {}) {
    const tenant = options.tenant ?? "public";
    const email = `redirect${++counter}-${Date.now()}@example.com`;
    const prefix = tenant === "public" ? "" : `/${tenant}`;
    const signUp = await client().post(`/auth${prefix}/signup`, credentials(email, "oldpassword1"));
    expect(signUp.body.status).toBe("OK");
    const userId = signUp.body.user.id as string;
    if (options.verified !== false) await app.auth.engine.storage.emailVerification.markVerified(userId, email);
    return { email, userId, prefix, refreshToken: signUp.headers.get("st-refresh-token") as string };
  }

  const askForLink = (email: unknown, redirectURL: unknown = REDIRECT, prefix = "", on: TestApp = app) =>
    on.client().post(`/auth${prefix}/user/password/reset/email`, { email, redirectURL });

  /** Delivery is not awaited by the API: poll the outbox. */
  async function linkIn(email: string): Promise<URL> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const message = (await app.auth.engine.storage.outbox.listNewest(100)).find((m) => m.recipient === email);
      const link = message?.textBody.match(/https?:\/\/\S+\/user\/password\/reset\/redirect\?\S+/)?.[0];
      if (link !== undefined) return new URL(link);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no reset email for ${email}`);
  }

  const sentTo = async (email: string) => (await app.auth.engine.storage.outbox.listNewest(500)).filter((m) => m.recipient === email).length;

  /** Opens a link's path and query on the test server without following the redirect, as a test of the 302 itself. */
  const open = (pathAndQuery: string) => fetch(app.baseUrl + pathAndQuery, { redirect: "manual" });

  const resetWith = (token: string, password: string, prefix = "") =>
    client().post(`/auth${prefix}/user/password/reset`, { method: "token", token, formFields: [{ id: "password", value: password }] });

  it("emails an API link; its GET redirects with the token without using it; the token then resets once and ends every session", async () => {
    const user = await newUser();
    const otherDevice = await client().post("/auth/signin", credentials(user.email, "oldpassword1"));
    expect(otherDevice.body.status).toBe("OK");

    expect((await askForLink(user.email)).body).toEqual({ status: "OK" });
    const link = await linkIn(user.email);
    expect(`${link.origin}${link.pathname}`).toBe("http://localhost/auth/user/password/reset/redirect");
    expect(link.searchParams.get("redirectURL")).toBe(REDIRECT);
    const token = link.searchParams.get("token") as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const response = await open(link.pathname + link.search);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`${REDIRECT}?access_token=${token}&action=reset-pwd`);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    // Opened twice (a mail scanner, then the user): still the same answer.
    expect((await open(link.pathname + link.search)).headers.get("location")).toBe(`${REDIRECT}?access_token=${token}&action=reset-pwd`);

    // Only the hash is at rest (the development outbox holds the email itself, link and all, by design).
    const tables = JSON.parse(await dumpPortcullisRows(app.databaseUrl)) as Record<string, unknown[]>;
    const rows = JSON.stringify(Object.entries(tables).filter(([table]) => !table.endsWith("outbox")));
    expect(rows).not.toContain(token);
    expect(rows).toContain(sha256Hex(token));

    // What the page at the redirect URL does with access_token:
    expect((await resetWith(token, "weak")).body.status).toBe("FIELD_ERROR");
    expect((await resetWith(token, "newpassword1")).body).toEqual({ status: "OK" });
    expect((await resetWith(token, "newpassword2")).body).toEqual({ status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" });
    expect((await client().post("/auth/signin", credentials(user.email, "oldpassword1"))).body.status).toBe("WRONG_CREDENTIALS_ERROR");
    expect((await client().post("/auth/signin", credentials(user.email, "newpassword1"))).body.status).toBe("OK");
    // Every session from before the reset is over: refreshing with their refresh tokens fails.
    for (const refreshToken of [user.refreshToken, otherDevice.headers.get("st-refresh-token") as string]) {
      const refresh = await app.client().post("/auth/session/refresh", {}, { authorization: `Bearer ${refreshToken}` });
      expect(refresh.status).toBe(401);
    }
    // The used link now lands on the page with an error instead of a token.
    expect((await open(link.pathname + link.search)).headers.get("location")).toBe(`${REDIRECT}?action=reset-pwd&error=invalid_token`);
  });

  it("redirects to the allow-list entry the request named, as configured", async () => {
    const user = await newUser();
    expect((await askForLink(user.email, "https://APP.example.com:443/account/reset")).body).toEqual({ status: "OK" });
    const link = await linkIn(user.email);
    expect(link.searchParams.get("redirectURL")).toBe(OTHER_REDIRECT);
    const location = (await open(link.pathname + link.search)).headers.get("location") as string;
    expect(location).toBe(`${OTHER_REDIRECT}?access_token=${link.searchParams.get("token")}&action=reset-pwd`);
  });

  it("answers EMAIL_NOT_VERIFIED_ERROR for an account whose email is not verified, and sends nothing", async () => {
    const user = await newUser({ verified: false });
    const answer = await askForLink(user.email);
    expect(answer.body).toEqual({ status: "EMAIL_NOT_VERIFIED_ERROR", message: expect.any(String) });
    expect(await sentTo(user.email)).toBe(0);
  });

  it("answers an unknown email OK and sends nothing", async () => {
    const before = (await app.auth.engine.storage.outbox.listNewest(500)).length;
    expect((await askForLink("nobody-here@example.com")).body).toEqual({ status: "OK" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await app.auth.engine.storage.outbox.listNewest(500)).length).toBe(before);
  });

  it("answers EMAIL_VERIFICATION_NOT_ENABLED_ERROR when the email verification recipe is not initialised", async () => {
    const user = await newUser();
    const answer = await askForLink(user.email, REDIRECT, "", withoutVerification);
    expect(answer.body).toEqual({ status: "EMAIL_VERIFICATION_NOT_ENABLED_ERROR", message: expect.any(String) });
    expect(await sentTo(user.email)).toBe(0);
  });

  it("refuses a redirect URL off the list before any account is looked up", async () => {
    const user = await newUser();
    for (const redirectURL of [`${REDIRECT}?next=https://evil.example`, `${REDIRECT}#x`, "https://evil.example/auth-redirect", "http://localhost:3001@evil.example/auth-redirect", ""]) {
      const answer = await askForLink(user.email, redirectURL);
      expect(answer.body, redirectURL).toEqual({ status: "INVALID_REDIRECT_URL_ERROR", message: expect.any(String) });
    }
    expect(await sentTo(user.email)).toBe(0);
  });

  it("answers 400 to a link whose redirect URL was tampered with, and the token still works", async () => {
    const user = await newUser();
    await askForLink(user.email);
    const link = await linkIn(user.email);
    for (const tampered of ["https://evil.example/steal", `${REDIRECT}?x=1`, `${REDIRECT}/`]) {
      link.searchParams.set("redirectURL", tampered);
      const response = await open(link.pathname + link.search);
      expect(response.status, tampered).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      expect(((await response.json()) as { message: string }).message).toMatch(/redirect URL/);
    }
    link.searchParams.delete("redirectURL");
    expect((await open(link.pathname + link.search)).status).toBe(400);
    expect((await resetWith(link.searchParams.get("token") as string, "newpassword1")).body).toEqual({ status: "OK" });
  });

  it("redirects with error=invalid_token for an unknown, missing, malformed or expired token", async () => {
    const redirectURL = encodeURIComponent(REDIRECT);
    const invalid = `${REDIRECT}?action=reset-pwd&error=invalid_token`;
    for (const query of [`token=${"A".repeat(43)}&redirectURL=${redirectURL}`, `redirectURL=${redirectURL}`, `token=%00%2F..&redirectURL=${redirectURL}`, `token=${"a".repeat(5000)}&redirectURL=${redirectURL}`]) {
      const response = await open(`/auth/user/password/reset/redirect?${query}`);
      expect(response.status, query).toBe(302);
      expect(response.headers.get("location"), query).toBe(invalid);
    }

    const user = await newUser();
    await askForLink(user.email);
    const link = await linkIn(user.email);
    app.clock.advance(app.auth.engine.settings.passwordResetTokenLifetime);
    try {
      expect((await open(link.pathname + link.search)).headers.get("location")).toBe(invalid);
      expect((await resetWith(link.searchParams.get("token") as string, "newpassword1")).body).toEqual({ status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" });
    } finally {
      app.clock.advance(-app.auth.engine.settings.passwordResetTokenLifetime);
    }
  });

  it("keeps a tenant's link in its tenant: another tenant's path neither redirects with it nor resets with it", async () => {
    const user = await newUser({ tenant: "acme" });
    // In the public tenant this email has no account: OK, and nothing is sent.
    expect((await askForLink(user.email)).body).toEqual({ status: "OK" });
    expect((await askForLink(user.email, REDIRECT, "/acme")).body).toEqual({ status: "OK" });
    const link = await linkIn(user.email);
    expect(await sentTo(user.email)).toBe(1);
    expect(link.pathname).toBe("/auth/acme/user/password/reset/redirect");
    const token = link.searchParams.get("token") as string;

    const elsewhere = await open(`/auth/user/password/reset/redirect${link.search}`);
    expect(elsewhere.headers.get("location")).toBe(`${REDIRECT}?action=reset-pwd&error=invalid_token`);
    expect((await resetWith(token, "newpassword1")).body).toEqual({ status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" });

    expect((await open(link.pathname + link.search)).headers.get("location")).toBe(`${REDIRECT}?access_token=${token}&action=reset-pwd`);
    expect((await resetWith(token, "newpassword1", "/acme")).body).toEqual({ status: "OK" });
    expect((await client().post("/auth/acme/signin", credentials(user.email, "newpassword1"))).body.status).toBe("OK");
  });

  it("only the newest link works", async () => {
    const user = await newUser();
    await askForLink(user.email);
    const first = await linkIn(user.email);
    // Both emails carry the same (hand-moved) time: tell them apart by content, not by order.
    await askForLink(user.email);
    for (let attempt = 0; attempt < 100 && (await sentTo(user.email)) < 2; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
    const links = (await app.auth.engine.storage.outbox.listNewest(500))
      .filter((m) => m.recipient === user.email)
      .map((m) => m.textBody.match(/https?:\/\/\S+\/user\/password\/reset\/redirect\?\S+/)?.[0]);
    const second = new URL(links.find((link) => link !== first.href) as string);
    expect((await open(first.pathname + first.search)).headers.get("location")).toMatch(/error=invalid_token$/);
    expect((await resetWith(second.searchParams.get("token") as string, "newpassword1")).body).toEqual({ status: "OK" });
  });

  it("shares the reset-email cap with the reset-token route, for known and unknown emails alike", async () => {
    const user = await newUser();
    // Default cap: 3 emails per account per 15 minutes, counted across both routes.
    expect((await askForLink(user.email)).body).toEqual({ status: "OK" });
    expect((await client().post("/auth/user/password/reset/token", { formFields: [{ id: "email", value: user.email }] })).body).toEqual({ status: "OK" });
    expect((await askForLink(user.email)).body).toEqual({ status: "OK" });
    const limited = await askForLink(user.email);
    expect(limited.body).toEqual({ status: "GENERAL_ERROR", message: expect.stringMatching(/try again/) });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);

    const ghost = `ghost${counter}@example.com`;
    for (let i = 0; i < 3; i++) expect((await askForLink(ghost)).body).toEqual({ status: "OK" });
    expect((await askForLink(ghost)).body.status).toBe("GENERAL_ERROR");
  });

  it("answers malformed requests 400 with a message", async () => {
    const post = (body: string) => app.client().request("POST", "/auth/user/password/reset/email", { rawBody: body, headers: { "content-type": "application/json" } });
    for (const body of ["[]", '"x"', "{}", '{"email":"a@example.com"}', '{"redirectURL":"http://localhost:3001/auth-redirect"}', '{"email":42,"redirectURL":"x"}', '{"email":"a@example.com","redirectURL":["x"]}', '{"email":"not-an-email","redirectURL":"x"}', '{"email":"a\\u0000@example.com","redirectURL":"x"}']) {
      const response = await post(body);
      expect(response.status, body).toBe(400);
      expect(typeof response.body.message, body).toBe("string");
    }
  });
});
