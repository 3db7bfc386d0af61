/**
 * Issue 8 "Must show 1" through portcullis-web in headless Chromium (cookie mode): phone + password
 * sign-up with SMS verification then sign-in; both seed-001 reset flows end to end; the unverified
 * email/phone refusals; an off-list redirect refused; change password for both kinds of account.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { resetDefaultInstance } from "portcullis/engine";
import EmailVerification from "portcullis/recipe/emailverification";
import PhonePassword from "portcullis/recipe/phonepassword";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, closeServer, freePort, launchChromium, listen } from "./helpers.js";
import { bundleWebClient, createWebClientApp, latestMessageTo } from "./web-client-app.js";

const hasChromium = existsSync(CHROMIUM);
const mustRun = process.env.CI === "true";

describe.skipIf(!hasChromium && !mustRun)("issue 8 flows through portcullis-web in Chromium", () => {
  let server: Server;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let base = "";
  let dataDir = "";
  let counter = 0;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`${CHROMIUM} is missing and CI=true: the browser test must run in CI`);
    dataDir = mkdtempSync(join(tmpdir(), "portcullis-web-seeds-"));
    const port = await freePort();
    base = `http://localhost:${port}`;
    const web = createWebClientApp(
      {
        port,
        database: `sqlite:${join(dataDir, "web.db")}`,
        accessTokenValiditySeconds: 60,
        emailPassword: { resetPasswordRedirect: { allowedRedirectURLs: [`${base}/auth-redirect`] } },
        extraRecipes: [EmailVerification.init({ mode: "OPTIONAL" }), PhonePassword.init()],
      },
      await bundleWebClient(),
    );
    server = await listen(web.app, port);
    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await goto(base + "/");
  });

  afterAll(async () => {
    await browser?.close();
    await closeServer(server);
    await resetDefaultInstance();
    rmSync(dataDir, { recursive: true, force: true });
    expect(pageErrors).toEqual([]);
  });

  async function goto(url: string): Promise<void> {
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as any).clientReady === true);
  }

  const auth = (method: string, ...args: unknown[]) =>
    page.evaluate(([m, a]) => (globalThis as any).portcullis.auth[m as string](...(a as unknown[])), [method, args] as const) as Promise<{ data: any; errors: any }>;

  const newEmail = () => `web-seeds-${++counter}-${Date.now()}@example.com`;
  const newPhone = () => `+1415555${String((Date.now() + ++counter) % 10_000).padStart(4, "0")}`;
  const codeIn = (text: string) => text.match(/\b(\d{6})\b/)![1]!;
  const linkIn = (text: string) => text.match(/https?:\/\/\S+/)![0];

  it("phone + password: sign-up, SMS verification (wrong code, then right), sign-out, sign-in", async () => {
    const phone = newPhone();
    const signUp = await auth("signUpWithPhone", phone, "password-1");
    expect(signUp.errors).toBeNull();
    expect(signUp.data.user.loginMethods[0]).toMatchObject({ recipeId: "phonepassword", phoneNumber: phone, verified: false });
    expect((await auth("signUpWithPhone", phone, "password-1")).errors.code).toBe("PHONE_NUMBER_ALREADY_EXISTS");

    expect(await auth("sendPhoneVerificationCode")).toEqual({ data: { alreadyVerified: false }, errors: null });
    const code = codeIn(await latestMessageTo(phone));
    const wrong = await auth("verifyPhone", code === "000000" ? "111111" : "000000");
    expect(wrong.errors).toMatchObject({ code: "INCORRECT_CODE", failedCodeInputAttemptCount: 1 });
    expect(await auth("verifyPhone", code)).toEqual({ data: {}, errors: null });
    expect((await auth("getUser")).data.user.loginMethods[0].verified).toBe(true);
    expect(await auth("sendPhoneVerificationCode")).toEqual({ data: { alreadyVerified: true }, errors: null });

    expect((await auth("signOut")).errors).toBeNull();
    expect((await auth("signInWithPhone", phone, "wrong-password-1")).errors.code).toBe("WRONG_CREDENTIALS");
    expect((await auth("signInWithPhone", phone, "password-1")).data.user.id).toBe(signUp.data.user.id);
    await auth("signOut");
  });

  it("seed 001 phone reset: refused while unverified, then a texted code resets the password", async () => {
    const phone = newPhone();
    await auth("signUpWithPhone", phone, "password-1");
    await auth("signOut");
    expect((await auth("sendResetPwdCode", phone)).errors.code).toBe("PHONE_NOT_VERIFIED");

    await auth("signInWithPhone", phone, "password-1");
    await auth("sendPhoneVerificationCode");
    expect((await auth("verifyPhone", codeIn(await latestMessageTo(phone)))).errors).toBeNull();
    await auth("signOut");

    expect(await auth("sendResetPwdCode", phone)).toEqual({ data: {}, errors: null });
    const code = codeIn(await latestMessageTo(phone, 1));
    expect((await auth("resetPwdWithCode", phone, code === "000000" ? "111111" : "000000", "new-password-2")).errors.code).toBe("INCORRECT_CODE");
    expect(await auth("resetPwdWithCode", phone, code, "new-password-2")).toEqual({ data: {}, errors: null });
    expect((await auth("signInWithPhone", phone, "password-1")).errors.code).toBe("WRONG_CREDENTIALS");
    expect((await auth("signInWithPhone", phone, "new-password-2")).errors).toBeNull();
    // An unknown number gets the same OK (no enumeration).
    expect(await auth("sendResetPwdCode", newPhone())).toEqual({ data: {}, errors: null });
    await auth("signOut");
  });

  it("seed 001 email reset: refused while unverified and for an off-list redirect; then link → redirect → new password", async () => {
    const email = newEmail();
    await auth("signUpWithEmail", email, "password-1");
    expect(await auth("isEmailVerified")).toEqual({ data: { isVerified: false }, errors: null });
    expect((await auth("sendResetPwdEmail", email, `${base}/auth-redirect`)).errors.code).toBe("EMAIL_NOT_VERIFIED");

    // Verify the email by opening the emailed link in the page, which reads the token from its URL.
    expect(await auth("sendVerificationEmail")).toEqual({ data: { alreadyVerified: false }, errors: null });
    await goto(linkIn(await latestMessageTo(email)));
    expect(await auth("verifyEmail")).toEqual({ data: {}, errors: null });
    expect(await auth("isEmailVerified")).toEqual({ data: { isVerified: true }, errors: null });
    await auth("signOut");

    const offList = await auth("sendResetPwdEmail", email, "https://evil.example/steal");
    expect(offList.errors.code).toBe("INVALID_REDIRECT_URL");
    expect(await auth("sendResetPwdEmail", email, `${base}/auth-redirect`)).toEqual({ data: {}, errors: null });

    // The emailed link goes through the API, which redirects to the allowed page with the token.
    await goto(linkIn(await latestMessageTo(email, 1)));
    const landed = new URL(page.url());
    expect(landed.pathname).toBe("/auth-redirect");
    expect(landed.searchParams.get("action")).toBe("reset-pwd");
    const accessToken = landed.searchParams.get("access_token")!;
    expect(await auth("resetPwdWithToken", accessToken, "new-password-2")).toEqual({ data: {}, errors: null });
    expect((await auth("resetPwdWithToken", accessToken, "new-password-3")).errors.code).toBe("INVALID_TOKEN");
    expect((await auth("signInWithEmail", email, "password-1")).errors.code).toBe("WRONG_CREDENTIALS");
    expect((await auth("signInWithEmail", email, "new-password-2")).errors).toBeNull();
    await auth("signOut");
  });

  it("change password on the route of the user's login method, for email and phone accounts", async () => {
    const email = newEmail();
    await auth("signUpWithEmail", email, "password-1");
    expect((await auth("changePassword", "wrong-password-1", "new-password-2")).errors.code).toBe("WRONG_CREDENTIALS");
    expect(await auth("changePassword", "password-1", "new-password-2")).toEqual({ data: {}, errors: null });
    // Every session of the user ends, this one included.
    expect(await auth("doesSessionExist")).toEqual({ data: false, errors: null });
    expect((await auth("signInWithEmail", email, "new-password-2")).errors).toBeNull();
    await auth("signOut");

    const phone = newPhone();
    await auth("signUpWithPhone", phone, "password-1");
    expect(await auth("changePassword", "password-1", "new-password-2")).toEqual({ data: {}, errors: null });
    expect((await auth("signInWithPhone", phone, "new-password-2")).errors).toBeNull();
    await auth("signOut");
  });
});
