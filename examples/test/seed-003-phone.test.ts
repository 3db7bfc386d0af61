/**
 * Seed 003's override on its phone branch, which the demo (contact method EMAIL, the seed's
 * default) never reaches: the same override with contactMethod "EMAIL_OR_PHONE", over HTTP, with a
 * manual clock so that an expired code can be shown refused. SMS land in the outbox (channel "sms").
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import supertokens from "portcullis";
import Passwordless from "portcullis/recipe/passwordless";
import Session from "portcullis/recipe/session";
import { errorHandler, middleware } from "portcullis/framework/express";
import { createManualClock, getDefaultInstance, resetDefaultInstance } from "portcullis/engine";
import { inviteOnlyPasswordless } from "../src/seeds/003-invite-only.js";
import { closeServer, freePort, listen } from "./helpers.js";

const clock = createManualClock(Date.now());
const dataDir = mkdtempSync(join(tmpdir(), "portcullis-seed003-phone-"));
let server: Server;
let base = "";

beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  supertokens.init({
    framework: "express",
    appInfo: { appName: "Seed 003", apiDomain: base, websiteDomain: base },
    database: `sqlite:${join(dataDir, "seed003.db")}`,
    clock,
    logger: { info: () => undefined, warn: () => undefined, error: console.error },
    recipeList: [inviteOnlyPasswordless({ contactMethod: "EMAIL_OR_PHONE" }), Session.init()],
  });
  const app = express();
  app.use(middleware());
  app.use(errorHandler());
  server = await listen(app, port);
});

afterAll(async () => {
  await closeServer(server);
  await resetDefaultInstance();
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(path: string, body: unknown) {
  const response = await fetch(base + path, { method: "POST", headers: { "content-type": "application/json", "st-auth-mode": "header" }, body: JSON.stringify(body) });
  return (await response.json()) as any;
}

/**
 * The code in the SMS of one sign-in attempt, found by the attempt's id in its link (the manual
 * clock stands still, so "newest" cannot tell two texts apart).
 */
async function smsCode(phoneNumber: string, preAuthSessionId: string): Promise<string> {
  const [sms] = (await getDefaultInstance().engine.outbox.list(50)).filter(
    (message) => message.recipient === phoneNumber && message.textBody.includes(`preAuthSessionId=${preAuthSessionId}&`),
  );
  expect(sms?.channel).toBe("sms");
  return /login code is (\d{6})/.exec(sms?.textBody ?? "")?.[1] ?? "";
}

describe("seed 003 by phone (contactMethod EMAIL_OR_PHONE)", () => {
  const phoneNumber = "+14155552671";

  it("refuses a code to a number nobody invited, and to an uninvited email", async () => {
    expect(await post("/auth/signinup/code", { phoneNumber })).toEqual({ status: "GENERAL_ERROR", message: "Sign up disabled. Please contact the admin." });
    expect(await post("/auth/signinup/code", { email: "nobody@example.com" })).toEqual({ status: "GENERAL_ERROR", message: "Sign up disabled. Please contact the admin." });
    expect(await getDefaultInstance().engine.outbox.list(50)).toEqual([]);
  });

  it("texts an invited number a code that signs in once", async () => {
    const invited = await Passwordless.signInUp({ tenantId: "public", phoneNumber });
    expect(invited.createdNewRecipeUser).toBe(true);
    // Typed the way people do; the number is normalised to E.164 before the seed's lookup.
    const created = await post("/auth/signinup/code", { phoneNumber: "+1 (415) 555-2671" });
    expect(created).toMatchObject({ status: "OK", flowType: "USER_INPUT_CODE_AND_MAGIC_LINK" });
    const consume = { preAuthSessionId: created.preAuthSessionId, deviceId: created.deviceId, userInputCode: await smsCode(phoneNumber, created.preAuthSessionId) };
    const signedIn = await post("/auth/signinup/code/consume", consume);
    expect(signedIn).toMatchObject({ status: "OK", createdNewRecipeUser: false, user: { id: invited.user.id, phoneNumbers: [phoneNumber] } });
    expect(await post("/auth/signinup/code/consume", consume)).toEqual({ status: "RESTART_FLOW_ERROR" });
  });

  it("refuses a code after its lifetime (10 minutes by default)", async () => {
    const created = await post("/auth/signinup/code", { phoneNumber });
    expect(created.status).toBe("OK");
    const userInputCode = await smsCode(phoneNumber, created.preAuthSessionId);
    clock.advance(10 * 60 * 1000 + 1000);
    const consume = { preAuthSessionId: created.preAuthSessionId, deviceId: created.deviceId, userInputCode };
    expect(await post("/auth/signinup/code/consume", consume)).toEqual({ status: "EXPIRED_USER_INPUT_CODE_ERROR", failedCodeInputAttemptCount: 1, maximumCodeInputAttempts: 5 });
  });
});
