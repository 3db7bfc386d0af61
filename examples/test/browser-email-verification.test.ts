// End to end, Must-show 3: the official supertokens-web-js in headless Chromium against
// EmailVerification in REQUIRED mode. An unverified session gets 403 on a protected route; the
// link from the outbox verifies the email; the same session then passes.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { Auth } from "portcullis/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmailVerificationApp, WEBSITE_BASE_PATH } from "./email-verification-app.js";
import { CHROMIUM, closeServer, eventually, freePort, launchChromium, listen } from "./helpers.js";

const hasChromium = existsSync(CHROMIUM);
// In CI a missing browser is a broken environment, not a reason to skip: beforeAll then fails.
const mustRun = process.env.CI === "true";
if (!hasChromium && !mustRun) {
  console.warn(`\n[examples/test/browser-email-verification.test.ts] SKIPPED: ${CHROMIUM} not found.\n`);
}

describe.skipIf(!hasChromium && !mustRun)("email verification with supertokens-web-js in headless Chromium", () => {
  const email = `web-ev-${Date.now()}@example.com`;
  const dbFile = join(tmpdir(), `portcullis-ev-browser-${process.pid}-${Date.now()}.db`);
  const pageErrors: string[] = [];
  let base = "";
  let server: Server | undefined;
  let auth: Auth | undefined;
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`${CHROMIUM} is missing and CI=true: the browser test must run in CI`);
    const port = await freePort();
    base = `http://localhost:${port}`;
    const created = createEmailVerificationApp({ port, database: `sqlite:${dbFile}` });
    auth = created.auth;
    await auth.ready;
    server = await listen(created.app, port);
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await closeServer(server);
    await auth?.close();
    await Promise.all(["", "-wal", "-shm", "-journal"].map((suffix) => rm(dbFile + suffix, { force: true })));
  });

  /** The protected route through web-js's patched fetch (cookies, refresh on 401). */
  const callProtected = () =>
    page.evaluate(async () => {
      const response = await fetch("/api/protected");
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    });

  it("refuses the unverified session, verifies through the emailed link, then lets the same session in", async () => {
    await page.goto(`${base}${WEBSITE_BASE_PATH}/`);
    const signUp = await page.evaluate(
      (address) =>
        (globalThis as any).supertokensEmailPassword.signUp({
          formFields: [
            { id: "email", value: address },
            { id: "password", value: "web-ev-pass-1" },
          ],
        }) as Promise<{ status: string; user: { id: string } }>,
      email,
    );
    expect(signUp.status).toBe("OK");
    const userId = signUp.user.id;

    const refused = await callProtected();
    expect(refused).toEqual({
      status: 403,
      body: { message: "invalid claim", claimValidationErrors: [{ id: "st-ev", reason: { message: "wrong value", expectedValue: true, actualValue: false } }] },
    });

    const handle = await page.evaluate(() =>
      (globalThis as any).supertokensSession.getAccessTokenPayloadSecurely().then((payload: { sessionHandle: string }) => payload.sessionHandle),
    );
    expect(await page.evaluate(() => (globalThis as any).supertokensEmailVerification.isEmailVerified().then((r: any) => ({ status: r.status, isVerified: r.isVerified })))).toEqual({ status: "OK", isVerified: false });
    expect(await page.evaluate(() => (globalThis as any).supertokensEmailVerification.sendVerificationEmail().then((r: any) => r.status))).toBe("OK");

    const message = await eventually(
      async () => (await auth!.engine.outbox.list(50)).find((m) => m.recipient === email),
      10_000,
      `the verification email to ${email}`,
    );
    const link = new URL(/(http:\/\/\S+\/verify-email\?\S+)/.exec(message.textBody)?.[1] ?? "");
    expect(link.origin + link.pathname).toBe(`${base}${WEBSITE_BASE_PATH}/verify-email`);
    expect(link.searchParams.get("tenantId")).toBe("public");

    // The link opens the app's page in the same browser; web-js reads the token from the URL.
    await page.goto(link.toString());
    expect(await page.evaluate(() => (globalThis as any).supertokensEmailVerification.verifyEmail().then((r: any) => r.status))).toBe("OK");

    const passed = await callProtected();
    expect(passed.status).toBe(200);
    expect(passed.body["userId"]).toBe(userId);
    // The same session: verifying re-issued its access token with st-ev true, nothing signed in again.
    expect(passed.body["handle"]).toBe(handle);
    expect(await page.evaluate(() => (globalThis as any).supertokensSession.getClaimValue({ claim: (globalThis as any).supertokensEmailVerification.EmailVerificationClaim }))).toBe(true);
    expect((await auth!.getUser(userId))?.loginMethods[0]?.verified).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
