// End to end: the official prebuilt React UI (supertokens-auth-react, unchanged) against
// Portcullis, in real headless Chromium. Every click goes through auth-react's own forms and
// web-js over HTTP, in cookie mode.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import supertokens from "portcullis";
import { getDefaultInstance, resetDefaultInstance } from "portcullis/engine";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_BASE_PATH, bundleReactUi, createReactUiApp, type ReactUiAppOptions } from "../react-ui/server.js";
import { closeServer, eventually, freePort, listen } from "./helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
// In CI a missing browser is a broken environment, not a reason to skip: beforeAll then fails.
const mustRun = process.env.CI === "true";
if (!hasChromium && !mustRun) {
  console.warn(`\n[examples/test/react-ui.test.ts] SKIPPED: ${CHROMIUM} not found. Install it (apt-get install -y chromium) to run the browser test.\n`);
}

/** auth-react's own redirects go to `/auth/?redirectToPath=…`, links to `/auth?…`. */
const onAuthPage = (url: URL) => url.pathname === "/auth" || url.pathname === "/auth/";

/** One API call as the browser made it; printed when a test fails, to tell harness bugs from backend ones. */
interface Exchange {
  method: string;
  path: string;
  requestBody: string | null;
  status: number;
  responseBody: string;
}

/**
 * A Portcullis server with one recipe configuration, its database file, and a fresh browser
 * context whose API traffic is recorded.
 */
class Harness {
  base = "";
  context!: BrowserContext;
  page!: Page;
  readonly traffic: Exchange[] = [];
  readonly pageErrors: string[] = [];
  private server: Server | undefined;
  private readonly dbFile = join(tmpdir(), `portcullis-react-ui-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.db`);

  async start(browser: Browser, bundle: string, recipe: ReactUiAppOptions["recipe"], emailVerification?: ReactUiAppOptions["emailVerification"]): Promise<void> {
    const port = await freePort();
    this.base = `http://localhost:${port}`;
    this.server = await listen(createReactUiApp({ port, database: `sqlite:${this.dbFile}`, recipe, bundle, emailVerification }), port);
    this.context = await browser.newContext();
    this.page = await this.context.newPage();
    this.page.setDefaultTimeout(15_000);
    this.page.on("pageerror", (error) => this.pageErrors.push(error.message));
    this.page.on("response", async (response) => {
      const url = new URL(response.url());
      if (!url.pathname.startsWith(API_BASE_PATH)) return;
      const request = response.request();
      // Recorded at once, so the log keeps the order of the responses; the body follows.
      const entry: Exchange = { method: request.method(), path: url.pathname + url.search, requestBody: request.postData(), status: response.status(), responseBody: "" };
      this.traffic.push(entry);
      // Best effort: a body is gone once the page navigates away (auth-react does after sign-in).
      entry.responseBody = await response.text().catch(() => "<gone after navigation>");
    });
  }

  async stop(): Promise<void> {
    await this.context?.close();
    await closeServer(this.server);
    await resetDefaultInstance();
    await Promise.all(["", "-wal", "-shm", "-journal"].map((suffix) => rm(this.dbFile + suffix, { force: true })));
  }

  dumpTraffic(): void {
    console.error(`API traffic (${this.traffic.length} calls):`);
    for (const entry of this.traffic) {
      console.error(`  ${entry.method} ${entry.path} ${entry.requestBody ?? ""}\n    -> ${entry.status} ${entry.responseBody}`);
    }
    if (this.pageErrors.length > 0) console.error(`Page errors: ${this.pageErrors.join(" | ")}`);
  }

  /** The protected home page: waits for auth-react to load the session and show the user id. */
  async signedInUserId(): Promise<string> {
    await this.page.waitForURL(`${this.base}/`);
    const userId = (await this.page.locator("#user-id").textContent({ timeout: 15_000 })) ?? "";
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
    return userId;
  }

  /** The newest development-outbox email to `recipient` (delivery is asynchronous). */
  latestEmailTo(recipient: string): Promise<{ textBody: string }> {
    return eventually(
      async () => (await getDefaultInstance().engine.outbox.list(50)).find((message) => message.recipient === recipient),
      10_000,
      `an email to ${recipient} in the outbox`,
    );
  }

  async signOut(): Promise<void> {
    await this.page.click("#sign-out");
    await this.page.waitForURL(onAuthPage);
    expect((await this.context.cookies()).some((cookie) => cookie.name === "sAccessToken")).toBe(false);
  }
}

describe.skipIf(!hasChromium && !mustRun)("supertokens-auth-react prebuilt UI in headless Chromium", () => {
  let browser: Browser | undefined;
  let bundle = "";

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`${CHROMIUM} is missing and CI=true: the browser test must run in CI`);
    [bundle, browser] = await Promise.all([
      bundleReactUi(),
      chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] }),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
  });

  describe("EmailPassword", () => {
    const harness = new Harness();
    const email = `react-ep-${Date.now()}@example.com`;
    const password = "react-pass-1";
    let userId = "";

    beforeAll(() => harness.start(browser!, bundle, "emailpassword"));
    afterAll(() => harness.stop());
    beforeEach(({ onTestFailed }) => onTestFailed(() => harness.dumpTraffic()));

    async function submitSignIn(withPassword: string): Promise<void> {
      const { page } = harness;
      await page.fill("input[name=email]", email);
      await page.fill("input[name=password]", withPassword);
      await page.click("button[type=submit]");
    }

    it("signs up through the form and lands on the protected page", async () => {
      const { page } = harness;
      // Unauthenticated, the protected page sends the browser to the auth page.
      await page.goto(harness.base + "/");
      await page.waitForURL(onAuthPage);

      await page.goto(harness.base + "/auth?show=signup");
      await page.fill("input[name=email]", email);
      await page.fill("input[name=password]", password);
      // The body is gone once auth-react navigates away, so check the status here and the user below.
      const signUp = page.waitForResponse(`${harness.base}${API_BASE_PATH}/signup`);
      await page.click("button[type=submit]");
      expect((await signUp).status()).toBe(200);
      userId = await harness.signedInUserId();
      expect((await supertokens.getUser(userId))?.emails).toEqual([email]);
      const cookies = await harness.context.cookies();
      expect(cookies.find((cookie) => cookie.name === "sAccessToken")?.httpOnly).toBe(true);
    });

    it("is still signed in after a reload", async () => {
      await harness.page.reload();
      expect(await harness.signedInUserId()).toBe(userId);
    });

    it("signs out, then signs in again with the same credentials", async () => {
      await harness.signOut();
      await submitSignIn(password);
      expect(await harness.signedInUserId()).toBe(userId);
    });

    it("shows the UI's error text for a wrong password", async () => {
      await harness.signOut();
      const signIn = harness.page.waitForResponse(`${harness.base}${API_BASE_PATH}/signin`);
      await submitSignIn("wrong-pass-2");
      expect(await (await signIn).json()).toEqual({ status: "WRONG_CREDENTIALS_ERROR" });
      await harness.page.getByText("Incorrect email and password combination").waitFor();
      expect(onAuthPage(new URL(harness.page.url()))).toBe(true);
      expect(harness.pageErrors).toEqual([]);
    });
  });

  describe("Passwordless (contactMethod EMAIL, flow USER_INPUT_CODE_AND_MAGIC_LINK)", () => {
    const harness = new Harness();
    const otpEmail = `react-otp-${Date.now()}@example.com`;
    const linkEmail = `react-link-${Date.now()}@example.com`;

    beforeAll(() => harness.start(browser!, bundle, "passwordless"));
    afterAll(() => harness.stop());
    beforeEach(({ onTestFailed }) => onTestFailed(() => harness.dumpTraffic()));

    /** Enters the email on the auth page; auth-react then shows its code screen. */
    async function requestCode(email: string): Promise<void> {
      const { page } = harness;
      await page.goto(harness.base + "/auth");
      await page.fill("input[name=email]", email);
      const createCode = page.waitForResponse(`${harness.base}${API_BASE_PATH}/signinup/code`);
      await page.click("button[type=submit]");
      expect(await (await createCode).json()).toMatchObject({ status: "OK", flowType: "USER_INPUT_CODE_AND_MAGIC_LINK" });
      await page.locator("input[name=userInputCode]").waitFor();
    }

    async function expectPasswordlessUser(userId: string, email: string): Promise<void> {
      const user = await supertokens.getUser(userId);
      expect(user?.emails).toEqual([email]);
      expect(user?.loginMethods.map((method) => method.recipeId)).toEqual(["passwordless"]);
    }

    it("signs up with the emailed one-time code", async () => {
      await requestCode(otpEmail);
      const message = await harness.latestEmailTo(otpEmail);
      const code = /Your sign-in code is (\S+)/.exec(message.textBody)?.[1] ?? "";
      expect(code).toMatch(/^\d{6}$/);

      await harness.page.fill("input[name=userInputCode]", code);
      const consume = harness.page.waitForResponse(`${harness.base}${API_BASE_PATH}/signinup/code/consume`);
      await harness.page.click("button[type=submit]");
      expect((await consume).status()).toBe(200);
      await expectPasswordlessUser(await harness.signedInUserId(), otpEmail);

      await harness.page.reload();
      await expectPasswordlessUser(await harness.signedInUserId(), otpEmail);
    });

    it("signs up with the emailed magic link", async () => {
      await harness.signOut();
      await requestCode(linkEmail);
      const message = await harness.latestEmailTo(linkEmail);
      const link = /http:\/\/\S+\/auth\/verify\?\S+/.exec(message.textBody)?.[0] ?? "";
      const url = new URL(link);
      expect(url.origin + url.pathname).toBe(`${harness.base}/auth/verify`);
      expect(url.searchParams.get("preAuthSessionId")).not.toBeNull();
      expect(url.searchParams.get("tenantId")).toBe("public");
      expect(url.hash.length).toBeGreaterThan(1);

      const consume = harness.page.waitForResponse(`${harness.base}${API_BASE_PATH}/signinup/code/consume`);
      await harness.page.goto(link);
      const request = (await consume).request();
      expect(request.postDataJSON()).toMatchObject({ preAuthSessionId: url.searchParams.get("preAuthSessionId"), linkCode: url.hash.slice(1) });
      await expectPasswordlessUser(await harness.signedInUserId(), linkEmail);
      expect(harness.pageErrors).toEqual([]);
    });
  });

  describe("EmailVerification (mode REQUIRED) with EmailPassword", () => {
    const harness = new Harness();
    const email = `react-ev-${Date.now()}@example.com`;

    beforeAll(() => harness.start(browser!, bundle, "emailpassword", "REQUIRED"));
    afterAll(() => harness.stop());
    beforeEach(({ onTestFailed }) => onTestFailed(() => harness.dumpTraffic()));

    it("shows the verify-email screen after sign-up, and the emailed link lands on the protected page", async () => {
      const { page } = harness;
      await page.goto(harness.base + "/auth?show=signup");
      await page.fill("input[name=email]", email);
      await page.fill("input[name=password]", "react-pass-1");
      // The screen sends the email itself when it opens.
      const sent = page.waitForResponse(`${harness.base}${API_BASE_PATH}/user/email/verify/token`);
      await page.click("button[type=submit]");
      await page.waitForURL(`${harness.base}/auth/verify-email`);
      expect(await (await sent).json()).toEqual({ status: "OK" });
      await page.getByText("Verify your email!").waitFor();

      const message = await harness.latestEmailTo(email);
      const link = /http:\/\/\S+\/auth\/verify-email\?\S+/.exec(message.textBody)?.[0] ?? "";
      const url = new URL(link);
      expect(url.origin + url.pathname).toBe(`${harness.base}/auth/verify-email`);
      expect(url.searchParams.get("tenantId")).toBe("public");

      // Opened in the signed-in browser, auth-react verifies at once and the claim is refreshed.
      const verified = page.waitForResponse((response) => response.url() === `${harness.base}${API_BASE_PATH}/user/email/verify` && response.request().method() === "POST");
      await page.goto(link);
      expect(await (await verified).json()).toEqual({ status: "OK" });
      await page.getByText("Email verification successful!").waitFor();
      await page.getByRole("button", { name: "CONTINUE" }).click();
      const userId = await harness.signedInUserId();
      expect((await supertokens.getUser(userId))?.loginMethods[0]?.verified).toBe(true);

      await page.reload();
      expect(await harness.signedInUserId()).toBe(userId);
      expect(harness.pageErrors).toEqual([]);
    });
  });
});
