// End to end: the main demo page (`/`), the portcullis-web client bundled by the demo at start, and
// Portcullis, in real headless Chromium (cookie mode). The web-js version of the page, at /webjs/,
// has its own tests (browser.test.ts, browser-passwordless.test.ts).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import supertokens from "portcullis";
import { resetDefaultInstance } from "portcullis/engine";
import Passwordless from "portcullis/recipe/passwordless";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDemoApp } from "../src/app.js";
import { CHROMIUM, closeServer, freePort, launchChromium, listen, nextMessage, outboxFor, resultOf } from "./helpers.js";

const hasChromium = existsSync(CHROMIUM);
// In CI a missing browser is a broken environment, not a reason to skip: beforeAll then fails.
const mustRun = process.env.CI === "true";

describe.skipIf(!hasChromium && !mustRun)("the demo page on portcullis-web in headless Chromium", () => {
  const pageErrors: string[] = [];
  let dataDir = "";
  let base = "";
  let server: Server | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`${CHROMIUM} is missing and CI=true: the browser test must run in CI`);
    dataDir = mkdtempSync(join(tmpdir(), "portcullis-demo-web-"));
    const port = await freePort();
    base = `http://localhost:${port}`;
    server = await listen(createDemoApp({ database: `sqlite:${join(dataDir, "demo.db")}`, port }), port);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await closeServer(server);
    await resetDefaultInstance();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A fresh browser profile on the main page, signed out. */
  async function openPage(path = "/"): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(base + path);
    return { context, page };
  }

  async function submitCredentials(page: Page, button: "#signin-btn" | "#signup-btn", email: string, password: string) {
    await page.fill("#email", email);
    await page.fill("#password", password);
    await page.click(button);
    return resultOf(page, "auth-result");
  }

  it("serves the page with its client bundle, and keeps the web-js page at /webjs/", async () => {
    const { context, page } = await openPage();
    await page.waitForSelector('#session-state[data-state="signed-out"]');
    const bundle = await fetch(base + "/vendor/portcullis-web.js");
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toContain("javascript");
    expect(await bundle.text()).toContain("createClient");
    // The web-js page still loads its own scripts from its own path.
    await page.goto(base + "/webjs/");
    await page.waitForSelector('#session-state[data-state="signed-out"]');
    expect(await page.evaluate(() => typeof (globalThis as { supertokensSession?: unknown }).supertokensSession)).toBe("object");
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  it("signs up with email and password, shows the user, signs out and signs in again", async () => {
    const email = `web-${Date.now()}@example.com`;
    const { context, page } = await openPage();
    await page.waitForSelector('#session-state[data-state="signed-out"]');

    // A password the policy refuses: the client's FIELD_ERROR, with the server's message per field.
    const weak = await submitCredentials(page, "#signup-btn", email, "short");
    expect(weak.status).toBe("FIELD_ERROR");
    expect(weak.text).toContain("• password: Password must contain at least 8 characters, including a number");

    const signedUp = await submitCredentials(page, "#signup-btn", email, "first-pass-1");
    expect(signedUp.status).toBe("OK");
    const [user] = await supertokens.listUsersByAccountInfo("public", { email });
    expect(signedUp.text).toBe(`Signed up as ${email} (user id ${user!.id}).`);
    await page.waitForSelector(`#session-state[data-state="signed-in"][data-user-id="${user!.id}"]`);

    await page.click("#user-btn");
    const shown = await resultOf(page, "user-result");
    expect(shown.status).toBe("OK");
    expect(JSON.parse(shown.text)).toMatchObject({ id: user!.id, emails: [email] });

    // The same email again: the client's EMAIL_ALREADY_EXISTS code and the server's message.
    const taken = await submitCredentials(page, "#signup-btn", email, "first-pass-1");
    expect(taken.status).toBe("EMAIL_ALREADY_EXISTS");
    expect(taken.text).toContain("This email already exists. Please sign in instead.");

    await page.click("#signout-btn");
    expect(await resultOf(page, "user-result")).toEqual({ status: "OK", text: "Signed out." });
    await page.waitForSelector('#session-state[data-state="signed-out"]');
    await page.click("#user-btn");
    expect((await resultOf(page, "user-result")).status).toBe("UNAUTHORISED");

    const wrong = await submitCredentials(page, "#signin-btn", email, "not-my-password-9");
    expect(wrong.status).toBe("WRONG_CREDENTIALS");
    expect(wrong.text.startsWith("WRONG_CREDENTIALS: ")).toBe(true);
    expect(await submitCredentials(page, "#signin-btn", email, "first-pass-1")).toEqual({
      status: "OK",
      text: `Signed in as ${email} (user id ${user!.id}).`,
    });
    await page.waitForSelector(`#session-state[data-state="signed-in"][data-user-id="${user!.id}"]`);

    // Change password through the client: a wrong old password, then success, which ends the session.
    await page.fill("#old-password", "not-my-password-9");
    await page.fill("#change-new-password", "second-pass-2");
    await page.click("#change-password-btn");
    expect((await resultOf(page, "change-password-result")).status).toBe("WRONG_CREDENTIALS");
    await page.fill("#old-password", "first-pass-1");
    await page.click("#change-password-btn");
    expect((await resultOf(page, "change-password-result")).status).toBe("OK");
    await page.waitForSelector('#session-state[data-state="signed-out"]');
    expect((await submitCredentials(page, "#signin-btn", email, "second-pass-2")).status).toBe("OK");
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  it("signs an existing passwordless user in with the emailed code, and refuses an uninvited one", async () => {
    const { context, page } = await openPage();
    await page.waitForSelector('#session-state[data-state="signed-out"]');

    // Seed 003 is invite-only: the override's GENERAL_ERROR message reaches the page.
    await page.fill("#pwless-email", `stranger-${Date.now()}@example.com`);
    await page.click("#pwless-send-btn");
    expect(await resultOf(page, "pwless-send-result")).toEqual({
      status: "GENERAL_ERROR",
      text: "GENERAL_ERROR: Sign up disabled. Please contact the admin.",
    });

    const email = `member-${Date.now()}@example.com`;
    const created = await Passwordless.signInUp({ email, tenantId: "public" });
    expect(created.status).toBe("OK");
    const userId = created.user.id;

    await page.fill("#pwless-email", email);
    await page.click("#pwless-send-btn");
    expect((await resultOf(page, "pwless-send-result")).status).toBe("OK");
    const code = /sign-in code is (\d{6})/.exec(await nextMessage(base, email, 0))?.[1] ?? "";
    expect(code).toMatch(/^\d{6}$/);

    const wrongCode = code === "000000" ? "111111" : "000000";
    await page.fill("#pwless-code", wrongCode);
    await page.click("#pwless-consume-btn");
    const wrong = await resultOf(page, "pwless-consume-result");
    expect(wrong.status).toBe("INCORRECT_CODE");
    expect(wrong.text).toContain("1 of 5 attempts used.");

    await page.fill("#pwless-code", code);
    await page.click("#pwless-consume-btn");
    expect(await resultOf(page, "pwless-consume-result")).toEqual({ status: "OK", text: `Signed in as ${email} (user id ${userId}).` });
    await page.waitForSelector(`#session-state[data-state="signed-in"][data-user-id="${userId}"]`);

    // The code is spent, and so is the attempt the client kept.
    await page.click("#pwless-consume-btn");
    expect((await resultOf(page, "pwless-consume-result")).status).toBe("RESTART_FLOW");
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  it("invites through portcullis.fetch as admin, and the invitee's link opens this page, which signs them in", async () => {
    const admin = await openPage();
    await submitCredentials(admin.page, "#signup-btn", `admin-${Date.now()}@example.com`, "admin-pass-1");
    await admin.page.waitForSelector('#session-state[data-state="signed-in"]');
    const invitee = `invitee-${Date.now()}@example.com`;
    await admin.page.fill("#invite-email", invitee);
    await admin.page.click("#invite-btn");
    expect((await resultOf(admin.page, "invite-result")).status).toBe("403");
    await admin.page.click("#make-admin-btn");
    expect((await resultOf(admin.page, "make-admin-result")).status).toBe("200");
    await admin.page.click("#invite-btn");
    expect(await resultOf(admin.page, "invite-result")).toEqual({ status: "200", text: "HTTP 200\nSuccess" });
    await admin.context.close();

    const link = /http:\/\/\S+\/auth\/verify\?\S+/.exec(await nextMessage(base, invitee, 0))?.[0] ?? "";
    expect(link.startsWith(`${base}/auth/verify?preAuthSessionId=`)).toBe(true);
    const [user] = await supertokens.listUsersByAccountInfo("public", { email: invitee });

    // A browser that never loaded a demo page gets the main page at the link's target.
    const guest = await openPage(link.slice(base.length));
    await guest.page.waitForSelector('#verify-result[data-status="CONFIRM"]');
    expect(await guest.page.locator("h1").textContent()).toBe("Portcullis demo");
    await guest.page.click("#verify-btn");
    expect(await resultOf(guest.page, "verify-result")).toEqual({ status: "OK", text: `Signed in as ${invitee} (user id ${user!.id}).` });
    await guest.page.waitForSelector(`#session-state[data-state="signed-in"][data-user-id="${user!.id}"]`);
    expect(guest.page.url()).toBe(`${base}/`);
    await guest.context.close();
    expect(pageErrors).toEqual([]);
  });

  it("requests a reset link and completes the reset on this page", async () => {
    const email = `reset-${Date.now()}@example.com`;
    const { context, page } = await openPage();
    expect((await submitCredentials(page, "#signup-btn", email, "first-pass-1")).status).toBe("OK");
    await page.click("#signout-btn");
    await page.waitForSelector('#session-state[data-state="signed-out"]');

    await page.fill("#reset-email", email);
    await page.click("#send-reset-btn");
    expect((await resultOf(page, "send-reset-result")).status).toBe("OK");
    const link = /http:\/\/\S+\/auth\/reset-password\?\S+/.exec(await nextMessage(base, email, 0))?.[0] ?? "";
    expect(link.startsWith(`${base}/auth/reset-password?token=`)).toBe(true);

    // This browser loaded `/` last, so the link opens the portcullis-web page.
    await page.goto(link);
    await page.waitForSelector("#reset-section:not([hidden])");
    expect(await page.locator("h1").textContent()).toBe("Portcullis demo");
    await page.fill("#new-password", "after-reset-2");
    await page.click("#submit-new-password-btn");
    expect((await resultOf(page, "reset-result")).status).toBe("OK");
    expect(new URL(page.url()).search).toBe("");
    expect((await submitCredentials(page, "#signin-btn", email, "after-reset-2")).status).toBe("OK");
    expect(await outboxFor(base, email)).toHaveLength(1);
    await context.close();
    expect(pageErrors).toEqual([]);
  });
});
