// End to end: the demo page, the official supertokens-web-js client and Portcullis, in real
// headless Chromium. Everything the page does goes through web-js over HTTP, in cookie mode.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { resetDefaultInstance } from "portcullis/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDemoApp } from "../src/app.js";
import { closeServer, eventually, freePort, listen, resultOf } from "./helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
// In CI a missing browser is a broken environment, not a reason to skip: beforeAll then fails.
const mustRun = process.env.CI === "true";
if (!hasChromium && !mustRun) {
  console.warn(`\n[examples/test/browser.test.ts] SKIPPED: ${CHROMIUM} not found. Install it (apt-get install -y chromium) to run the browser test.\n`);
}

const PASSWORD = "first-pass-1";
const RESET_PASSWORD = "after-reset-2";
const CHANGED_PASSWORD = "changed-pass-3";

describe.skipIf(!hasChromium && !mustRun)("demo page + supertokens-web-js in headless Chromium", () => {
  const email = `browser-${Date.now()}@example.com`;
  const dbFile = join(tmpdir(), `portcullis-browser-test-${process.pid}-${Date.now()}.db`);
  const traffic: { method: string; path: string; status: number }[] = [];
  const pageErrors: string[] = [];
  let base = "";
  let server: Server | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let userId = "";
  let resetLink = "";

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`${CHROMIUM} is missing and CI=true: the browser test must run in CI`);
    const port = await freePort();
    base = `http://localhost:${port}`;
    // A 2 s access token lets the test watch web-js refresh it without a long wait.
    server = await listen(createDemoApp({ database: `sqlite:${dbFile}`, port, accessTokenValiditySeconds: 2 }), port);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    context = await browser.newContext();
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("response", (response) => {
      traffic.push({ method: response.request().method(), path: new URL(response.url()).pathname, status: response.status() });
    });
    page.on("pageerror", (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await closeServer(server);
    await resetDefaultInstance();
    await Promise.all(["", "-wal", "-shm", "-journal"].map((suffix) => rm(dbFile + suffix, { force: true })));
  });

  const doesSessionExist = () => page.evaluate(() => (globalThis as any).supertokensSession.doesSessionExist() as Promise<boolean>);

  async function signIn(password: string): Promise<{ status: string; text: string }> {
    await page.fill("#email", email);
    await page.fill("#password", password);
    await page.click("#signin-btn");
    return resultOf(page, "auth-result");
  }

  async function callProtectedRoute(): Promise<{ status: string; body: any }> {
    await page.click("#sessioninfo-btn");
    const { status, text } = await resultOf(page, "sessioninfo-result");
    // The page shows "HTTP <code>" and then the JSON body.
    return { status, body: JSON.parse(text.slice(text.indexOf("\n") + 1)) };
  }

  it("signs up and gets a cookie-mode session", async () => {
    await page.goto(base + "/webjs/");
    await page.waitForSelector('#session-state[data-state="signed-out"]');

    await page.fill("#email", email);
    await page.fill("#password", PASSWORD);
    await page.click("#signup-btn");
    expect(await resultOf(page, "auth-result")).toMatchObject({ status: "OK" });

    await page.waitForSelector('#session-state[data-state="signed-in"]');
    expect(await doesSessionExist()).toBe(true);
    userId = (await page.getAttribute("#session-state", "data-user-id")) ?? "";
    expect(userId).not.toBe("");

    // Cookie mode (web-js' default st-auth-mode): HttpOnly token cookies, no header-mode tokens.
    const cookies = await context.cookies();
    const accessCookie = cookies.find((cookie) => cookie.name === "sAccessToken");
    expect(accessCookie?.httpOnly).toBe(true);
    expect(cookies.find((cookie) => cookie.name === "sRefreshToken")?.path).toBe("/auth/session/refresh");
    expect(cookies.some((cookie) => cookie.name === "st-access-token")).toBe(false);
  });

  it("calls the protected route", async () => {
    const { status, body } = await callProtectedRoute();
    expect(status).toBe("200");
    expect(body.userId).toBe(userId);
    expect(typeof body.sessionHandle).toBe("string");
    expect(body.accessTokenPayload.sub).toBe(userId);
  });

  it("refreshes an expired access token without the page noticing", async () => {
    await page.waitForTimeout(3_000);
    const from = traffic.length;

    const { status, body } = await callProtectedRoute();
    expect(status).toBe("200");
    expect(body.userId).toBe(userId);

    const seen = traffic.slice(from).map((entry) => `${entry.method} ${entry.path} ${entry.status}`);
    expect(seen).toContain("POST /auth/session/refresh 200");
    // The page's fetch hit a 401 first, web-js refreshed, then retried: nothing proactive.
    expect(seen.indexOf("GET /sessioninfo 401")).toBeLessThan(seen.indexOf("POST /auth/session/refresh 200"));
    expect(seen.indexOf("GET /sessioninfo 401")).toBeGreaterThanOrEqual(0);
  });

  it("signs out, after which the protected route answers 401", async () => {
    await page.click("#signout-btn");
    expect(await resultOf(page, "auth-result")).toMatchObject({ status: "OK" });
    await page.waitForSelector('#session-state[data-state="signed-out"]');
    expect(await doesSessionExist()).toBe(false);

    const { status, body } = await callProtectedRoute();
    expect(status).toBe("401");
    expect(body).toEqual({ message: "unauthorised" });
  });

  it("signs in again and requests a password reset", async () => {
    expect(await signIn(PASSWORD)).toMatchObject({ status: "OK" });
    await page.waitForSelector('#session-state[data-state="signed-in"]');
    expect((await context.cookies()).some((cookie) => cookie.name === "sAccessToken" && cookie.value !== "")).toBe(true);

    await page.fill("#reset-email", email);
    await page.click("#send-reset-btn");
    expect(await resultOf(page, "send-reset-result")).toMatchObject({ status: "OK" });
  });

  it("delivers the reset email to the outbox", async () => {
    const message = await eventually(
      async () => {
        const response = await fetch(base + "/outbox.json");
        const messages = (await response.json()) as { recipient: string; textBody: string }[];
        return messages.find((entry) => entry.recipient === email);
      },
      10_000,
      "the reset email in /outbox.json",
    );
    resetLink = /https?:\/\/\S+\/auth\/reset-password\?\S+/.exec(message.textBody)?.[0] ?? "";
    expect(resetLink.startsWith(`${base}/auth/reset-password?token=`)).toBe(true);
    expect(new URL(resetLink).searchParams.get("tenantId")).toBe("public");

    // The HTML outbox shows the same email, its link intact through the srcdoc escaping.
    const outbox = await context.newPage();
    await outbox.goto(base + "/outbox");
    await outbox.frameLocator("iframe").first().locator(`a[href="${resetLink}"]`).first().waitFor();
    await outbox.close();
  });

  it("completes the reset from the emailed link", async () => {
    const response = await page.goto(resetLink);
    expect(response?.headers()["referrer-policy"]).toBe("no-referrer");
    expect(response?.headers()["cache-control"]).toBe("no-store");
    await page.waitForSelector("#reset-section:not([hidden])");

    // A weak password is refused without spending the token.
    await page.fill("#new-password", "short");
    await page.click("#submit-new-password-btn");
    const weak = await resultOf(page, "reset-result");
    expect(weak.status).toBe("FIELD_ERROR");
    expect(weak.text).toContain("Password must contain at least 8 characters, including a number");

    await page.fill("#new-password", RESET_PASSWORD);
    await page.click("#submit-new-password-btn");
    expect(await resultOf(page, "reset-result")).toMatchObject({ status: "OK" });
    // The page drops the spent token from the address bar.
    expect(new URL(page.url()).search).toBe("");
  });

  it("accepts only the new password afterwards", async () => {
    await page.goto(base + "/webjs/");
    await page.click("#signout-btn");
    await page.waitForSelector('#session-state[data-state="signed-out"]');

    expect(await signIn(PASSWORD)).toMatchObject({ status: "WRONG_CREDENTIALS_ERROR" });
    expect(await signIn(RESET_PASSWORD)).toMatchObject({ status: "OK" });
    await page.waitForSelector('#session-state[data-state="signed-in"]');
  });

  it("changes the password through the seed 002 route, which signs the user out", async () => {
    await page.fill("#old-password", "not-my-password-9");
    await page.fill("#change-new-password", CHANGED_PASSWORD);
    await page.click("#change-password-btn");
    expect(await resultOf(page, "change-password-result")).toMatchObject({ status: "WRONG_CREDENTIALS_ERROR" });

    await page.fill("#old-password", RESET_PASSWORD);
    await page.click("#change-password-btn");
    expect(await resultOf(page, "change-password-result")).toMatchObject({ status: "OK" });
    await page.waitForSelector('#session-state[data-state="signed-out"]');

    expect(await signIn(CHANGED_PASSWORD)).toMatchObject({ status: "OK" });
    expect(pageErrors).toEqual([]);
  });
});
