// Seed 003 end to end in headless Chromium: the demo page drives web-js' passwordless recipe
// against Portcullis. Must-show 1: an admin invites an address and the emailed link signs that
// person in. Must-show 2 (browser part): a code by email, wrong codes counted up to a restart,
// then a fresh code signs in, and that code does not work twice.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import supertokens from "portcullis";
import Passwordless from "portcullis/recipe/passwordless";
import { resetDefaultInstance } from "portcullis/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDemoApp } from "../src/app.js";
import { CHROMIUM, closeServer, freePort, launchChromium, listen, nextMessage, outboxFor, resultOf } from "./helpers.js";

const hasChromium = existsSync(CHROMIUM);
// In CI a missing browser is a broken environment, not a reason to skip: beforeAll then fails.
const mustRun = process.env.CI === "true";
if (!hasChromium && !mustRun) {
  console.warn(`\n[examples/test/browser-passwordless.test.ts] SKIPPED: ${CHROMIUM} not found. Install it (apt-get install -y chromium) to run it.\n`);
}

describe.skipIf(!hasChromium && !mustRun)("seed 003 in the demo page with web-js, headless Chromium", () => {
  const dbFile = join(tmpdir(), `portcullis-pwless-browser-${process.pid}-${Date.now()}.db`);
  const pageErrors: string[] = [];
  let base = "";
  let server: Server | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`${CHROMIUM} is missing and CI=true: the browser test must run in CI`);
    const port = await freePort();
    base = `http://localhost:${port}`;
    server = await listen(createDemoApp({ database: `sqlite:${dbFile}`, port }), port);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await closeServer(server);
    await resetDefaultInstance();
    await Promise.all(["", "-wal", "-shm", "-journal"].map((suffix) => rm(dbFile + suffix, { force: true })));
  });

  /** A fresh browser profile: its own cookies and localStorage, as another person's browser. */
  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(base + "/webjs/");
    await page.waitForSelector('#session-state[data-state="signed-out"]');
    return { context, page };
  }

  it("Must-show 1: an admin invites an address, and the emailed link signs that person in", async () => {
    const invitee = `invitee-${Date.now()}@example.com`;
    const admin = await newPage();
    await admin.page.fill("#email", `admin-${Date.now()}@example.com`);
    await admin.page.fill("#password", "admin-pass-1");
    await admin.page.click("#signup-btn");
    expect(await resultOf(admin.page, "auth-result")).toMatchObject({ status: "OK" });

    // Not admin yet: the seed's claim validator answers 403 with the st-role failure.
    await admin.page.fill("#invite-email", invitee);
    await admin.page.click("#invite-btn");
    const refused = await resultOf(admin.page, "invite-result");
    expect(refused.status).toBe("403");
    expect(JSON.parse(refused.text.slice(refused.text.indexOf("\n") + 1))).toEqual({
      message: "invalid claim",
      claimValidationErrors: [{ id: "st-role", reason: { message: "wrong value", expectedToInclude: "admin", actualValue: [] } }],
    });

    await admin.page.click("#make-admin-btn");
    expect(await resultOf(admin.page, "make-admin-result")).toMatchObject({ status: "200" });
    await admin.page.click("#invite-btn");
    const invited = await resultOf(admin.page, "invite-result");
    expect(invited).toEqual({ status: "200", text: "HTTP 200\nSuccess" });
    await admin.context.close();

    const [user] = await supertokens.listUsersByAccountInfo("public", { email: invitee });
    expect(user?.loginMethods.map((lM) => lM.recipeId)).toEqual(["passwordless"]);
    const text = await nextMessage(base, invitee, 0);
    const link = /http:\/\/\S+\/auth\/verify\?\S+/.exec(text)?.[0] ?? "";
    expect(link.startsWith(`${base}/auth/verify?preAuthSessionId=`)).toBe(true);

    // The invitee's own browser: the link was not requested there, so the page asks first.
    const guest = await newPage();
    await guest.page.goto(link);
    await guest.page.waitForSelector('#verify-result[data-status="CONFIRM"]');
    await guest.page.click("#verify-btn");
    const signedIn = await resultOf(guest.page, "verify-result");
    expect(signedIn).toEqual({ status: "OK", text: `Signed in as ${invitee} (user id ${user?.id}).` });
    await guest.page.waitForSelector(`#session-state[data-state="signed-in"][data-user-id="${user?.id}"]`);
    // The spent link code is gone from the address bar.
    expect(guest.page.url()).toBe(`${base}/webjs/`);

    // The same link a second time: already used.
    await guest.page.goto(link);
    await guest.page.click("#verify-btn");
    expect(await resultOf(guest.page, "verify-result")).toMatchObject({ status: "RESTART_FLOW_ERROR" });
    await guest.context.close();
  });

  it("Must-show 2: an emailed code, wrong codes counted to a restart, then a fresh code signs in once", async () => {
    const email = `otp-${Date.now()}@example.com`;
    const { context, page } = await newPage();
    const consumeBodies: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().endsWith("/auth/signinup/code/consume")) consumeBodies.push(request.postData() ?? "");
    });

    // Not invited yet: the seed's override refuses, and web-js surfaces its message.
    await page.fill("#pwless-email", email);
    await page.click("#pwless-send-btn");
    expect(await resultOf(page, "pwless-send-result")).toEqual({ status: "GENERAL_ERROR", text: "GENERAL_ERROR: Sign up disabled. Please contact the admin." });

    const { user } = await Passwordless.signInUp({ tenantId: "public", email });
    await page.click("#pwless-send-btn");
    expect(await resultOf(page, "pwless-send-result")).toMatchObject({ status: "OK" });
    const firstCode = /sign-in code is (\d{6})/.exec(await nextMessage(base, email, 0))?.[1] ?? "";
    expect(firstCode).toMatch(/^\d{6}$/);
    const wrongCode = [...firstCode].map((digit) => String((Number(digit) + 1) % 10)).join("");

    for (let attempt = 1; attempt <= 4; attempt++) {
      await page.fill("#pwless-code", wrongCode);
      await page.click("#pwless-consume-btn");
      expect(await resultOf(page, "pwless-consume-result")).toEqual({
        status: "INCORRECT_USER_INPUT_CODE_ERROR",
        text: `INCORRECT_USER_INPUT_CODE_ERROR: wrong code, ${attempt} of 5 attempts used.`,
      });
    }
    await page.click("#pwless-consume-btn");
    expect(await resultOf(page, "pwless-consume-result")).toMatchObject({ status: "RESTART_FLOW_ERROR" });
    // The attempt is gone on the server: even the right code no longer works for it.
    await page.fill("#pwless-code", firstCode);
    await page.click("#pwless-consume-btn");
    expect(await resultOf(page, "pwless-consume-result")).toMatchObject({ status: "RESTART_FLOW_ERROR" });

    const seen = (await outboxFor(base, email)).length;
    await page.click("#pwless-send-btn");
    expect(await resultOf(page, "pwless-send-result")).toMatchObject({ status: "OK" });
    const secondCode = /sign-in code is (\d{6})/.exec(await nextMessage(base, email, seen))?.[1] ?? "";
    await page.fill("#pwless-code", secondCode);
    await page.click("#pwless-consume-btn");
    expect(await resultOf(page, "pwless-consume-result")).toEqual({ status: "OK", text: `Signed in as ${email} (user id ${user.id}).` });
    await page.waitForSelector(`#session-state[data-state="signed-in"][data-user-id="${user.id}"]`);

    // The exact request that signed in, sent again: the code is spent.
    const replay = await fetch(base + "/auth/signinup/code/consume", {
      method: "POST",
      headers: { "content-type": "application/json", rid: "passwordless" },
      body: consumeBodies.at(-1) ?? "",
    });
    expect(JSON.parse(consumeBodies.at(-1) ?? "{}")).toMatchObject({ userInputCode: secondCode });
    expect(await replay.json()).toEqual({ status: "RESTART_FLOW_ERROR" });
    await context.close();
    expect(pageErrors).toEqual([]);
  });
});
