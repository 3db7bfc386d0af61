/**
 * portcullis-web in headless Chromium, cookie mode with VIA_TOKEN anti-CSRF: sign-up/in, one
 * refresh for several concurrent calls after the access token expired, two tabs sharing one
 * refresh (Web Locks), sign-out seen by both tabs, and a revoked session reported once.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { resetDefaultInstance } from "portcullis/engine";
import Session from "portcullis/recipe/session";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, closeServer, freePort, launchChromium, listen } from "./helpers.js";
import { bundleWebClient, createWebClientApp, type WebClientApp } from "./web-client-app.js";

const hasChromium = existsSync(CHROMIUM);
const mustRun = process.env.CI === "true";
if (!hasChromium && !mustRun) console.warn(`\n[web-client-browser.test.ts] SKIPPED: ${CHROMIUM} not found.\n`);

const ACCESS_TOKEN_SECONDS = 2;
const waitForExpiry = () => new Promise((resolve) => setTimeout(resolve, ACCESS_TOKEN_SECONDS * 1000 + 300));

describe.skipIf(!hasChromium && !mustRun)("portcullis-web in Chromium, cookie mode", () => {
  let server: Server;
  let web: WebClientApp;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let base = "";
  let dataDir = "";
  let counter = 0;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`${CHROMIUM} is missing and CI=true: the browser test must run in CI`);
    dataDir = mkdtempSync(join(tmpdir(), "portcullis-web-browser-"));
    const port = await freePort();
    base = `http://localhost:${port}`;
    // The delayed refresh keeps the first tab's refresh open while the second tab's request also meets the expired token.
    web = createWebClientApp(
      { port, database: `sqlite:${join(dataDir, "web.db")}`, accessTokenValiditySeconds: ACCESS_TOKEN_SECONDS, antiCsrf: "VIA_TOKEN", refreshDelayMs: 300 },
      await bundleWebClient(),
    );
    server = await listen(web.app, port);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await closeServer(server);
    await resetDefaultInstance();
    rmSync(dataDir, { recursive: true, force: true });
    expect(pageErrors).toEqual([]);
  });

  async function openTab(): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(base + "/");
    await page.waitForFunction(() => (globalThis as any).clientReady === true);
    return page;
  }

  /** Runs `portcullis.auth[method](...args)` in the page and returns its { data, errors }. */
  const auth = (page: Page, method: string, ...args: unknown[]) =>
    page.evaluate(([m, a]) => (globalThis as any).portcullis.auth[m as string](...(a as unknown[])), [method, args] as const) as Promise<{ data: any; errors: any }>;

  const newEmail = () => `web-browser-${++counter}-${Date.now()}@example.com`;

  it("signs up and in with HttpOnly cookies: the page sees the front token, never the tokens", async () => {
    context = await browser!.newContext();
    const page = await openTab();
    const email = newEmail();
    const signUp = await auth(page, "signUpWithEmail", email, "password-1");
    expect(signUp.errors).toBeNull();
    const userId = signUp.data.user.id as string;
    expect(await auth(page, "getUserId")).toEqual({ data: userId, errors: null });
    expect(await page.evaluate(() => (globalThis as any).document.cookie as string)).not.toMatch(/sAccessToken|sRefreshToken/);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "sAccessToken")?.httpOnly).toBe(true);
    // VIA_TOKEN: the anti-csrf header was kept and is sent back (a protected POST would 401 without it).
    expect(await page.evaluate(() => (globalThis as any).document.cookie as string)).toMatch(/portcullis.antiCsrf=\S+/);
    expect((await auth(page, "getUser")).data.user.emails).toEqual([email]);

    expect(await auth(page, "signOut")).toEqual({ data: {}, errors: null });
    expect(await auth(page, "doesSessionExist")).toEqual({ data: false, errors: null });
    expect((await auth(page, "signInWithEmail", email, "wrong-password-1")).errors.code).toBe("WRONG_CREDENTIALS");
    expect((await auth(page, "signInWithEmail", email, "password-1")).data.user.id).toBe(userId);
    expect(await page.evaluate(() => (globalThis as any).expiredCalls)).toBe(0);
    await context.close();
  });

  it("after the access token expires, several concurrent calls in one tab share one refresh", async () => {
    context = await browser!.newContext();
    const page = await openTab();
    const signUp = await auth(page, "signUpWithEmail", newEmail(), "password-1");
    const userId = signUp.data.user.id as string;
    await waitForExpiry();
    const refreshes = web.count("POST", "/auth/session/refresh");
    const expiredAnswers = web.count("GET", "/auth/session/user", 401);
    const results = await page.evaluate(async () => {
      const client = (globalThis as any).portcullis;
      const calls = [client.auth.getUser(), client.auth.getUser(), client.auth.getUser(), client.fetch((globalThis as any).location.origin + "/me").then((r: Response) => r.json())];
      return Promise.all(calls);
    });
    expect(results.slice(0, 3).map((r: any) => r.data.user.id)).toEqual([userId, userId, userId]);
    expect(results[3]).toEqual({ userId });
    expect(web.count("GET", "/auth/session/user", 401) - expiredAnswers).toBe(3);
    expect(web.count("POST", "/auth/session/refresh") - refreshes).toBe(1);
    await context.close();
  });

  it("two tabs that meet the expired token together make one refresh; sign-out in one is seen by the other", async () => {
    context = await browser!.newContext();
    const first = await openTab();
    const second = await openTab();
    const signUp = await auth(first, "signUpWithEmail", newEmail(), "password-1");
    const userId = signUp.data.user.id as string;
    expect(await auth(second, "getUserId")).toEqual({ data: userId, errors: null });
    await waitForExpiry();
    const refreshes = web.count("POST", "/auth/session/refresh");
    const expiredAnswers = web.count("GET", "/auth/session/user", 401);
    const [a, b] = await Promise.all([auth(first, "getUser"), auth(second, "getUser")]);
    expect([a.errors, b.errors]).toEqual([null, null]);
    expect([a.data?.user.id, b.data?.user.id]).toEqual([userId, userId]);
    // Both tabs were refused with the old token, yet only one refresh went out.
    expect(web.count("GET", "/auth/session/user", 401) - expiredAnswers).toBe(2);
    expect(web.count("POST", "/auth/session/refresh") - refreshes).toBe(1);
    expect(await first.evaluate(() => typeof (globalThis as any).navigator.locks?.request)).toBe("function");

    expect((await auth(second, "signOut")).errors).toBeNull();
    expect(await auth(first, "doesSessionExist")).toEqual({ data: false, errors: null });
    expect((await auth(first, "getUser")).errors.code).toBe("UNAUTHORISED");
    expect(await first.evaluate(() => (globalThis as any).expiredCalls)).toBe(0);
    await context.close();
  });

  it("a session revoked on the server calls onSessionExpired once and answers UNAUTHORISED", async () => {
    context = await browser!.newContext();
    const page = await openTab();
    const signUp = await auth(page, "signUpWithEmail", newEmail(), "password-1");
    await Session.revokeAllSessionsForUser(signUp.data.user.id);
    await waitForExpiry();
    const results = await page.evaluate(() => {
      const client = (globalThis as any).portcullis;
      return Promise.all([client.auth.getUser(), client.auth.getAccessTokenPayload(), client.auth.getUser()]);
    });
    expect(results.map((r: any) => r.errors?.code)).toEqual(["UNAUTHORISED", "UNAUTHORISED", "UNAUTHORISED"]);
    expect(await page.evaluate(() => (globalThis as any).expiredCalls)).toBe(1);
    expect(await auth(page, "doesSessionExist")).toEqual({ data: false, errors: null });
    await context.close();
  });
});
