/**
 * Abuse limits over HTTP, on every database: the per-account sign-in throttle (growing delays, a
 * hard stop, shared by instances and kept across restarts), the per-IP limit with and without a
 * trusted proxy, the caps on reset emails and the email/exists limit.
 * @see issue #6
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { AuthEvent } from "../src/core/auth-events.js";
import type { LimitsInput } from "../src/limits/index.js";
import { databaseVariants, type TestDatabase } from "./helpers/databases.js";
import { credentials, startTestApp, type TestApp } from "./helpers/test-app.js";

const variants = await databaseVariants();

describe.each(variants.map((make) => [make().name, make] as const))("abuse limits on %s", (_name, makeDatabase) => {
  // Each test gets its own database: counters are shared through it, and every app has its own hand-moved clock.
  const databases: TestDatabase[] = [];
  const apps: TestApp[] = [];
  let counter = 0;
  let database: TestDatabase;

  beforeEach(() => {
    database = makeDatabase();
    databases.push(database);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const each of databases) await each.cleanup();
  });

  async function start(limits?: LimitsInput | false, onEvent?: (event: AuthEvent) => void): Promise<TestApp> {
    const app = await startTestApp({ database: database.url, ...(limits !== undefined ? { limits } : {}), ...(onEvent !== undefined ? { onEvent } : {}) });
    apps.push(app);
    return app;
  }

  async function newUser(app: TestApp) {
    const email = `limits${++counter}-${Date.now()}@example.com`;
    expect((await app.client().post("/auth/signup", credentials(email, "rightpassword1"))).body.status).toBe("OK");
    return email;
  }

  const signIn = (app: TestApp, email: string, password: string, headers?: Record<string, string>) =>
    app.client().post("/auth/signin", credentials(email, password), headers);

  const retryAfter = (response: { headers: Headers }) => Number(response.headers.get("retry-after"));

  it("delays wrong passwords more and more, and stops them before the 101st of 150", { timeout: 180_000 }, async () => {
    const events: AuthEvent[] = [];
    // The per-IP limit is off here: 150 attempts from one test IP would trip it first.
    const app = await start({ signIn: { perIp: false } }, (event) => events.push(event));
    const email = await newUser(app);
    const waits: number[] = [];
    let wrongAnswers = 0;
    for (let attempt = 0; attempt < 150; attempt++) {
      let response = await signIn(app, email, `wrong-guess-${attempt}`);
      if (response.body.status === "GENERAL_ERROR") {
        expect(response.body.message).toMatch(/^Too many failed sign-in attempts\. Please try again in \d+ (second|minute|hour)s?\.$/);
        waits.push(retryAfter(response));
        // The attacker waits as told (within the day the failures are remembered), then guesses again.
        if (retryAfter(response) <= 900) {
          app.clock.advance(retryAfter(response) * 1000);
          response = await signIn(app, email, `wrong-guess-${attempt}`);
        }
      }
      if (response.body.status === "WRONG_CREDENTIALS_ERROR") wrongAnswers++;
      else expect(response.body.status).toBe("GENERAL_ERROR");
    }
    expect(wrongAnswers).toBe(100);
    // The hard stop came after about 21 hours of waiting; the last refusals say to come back after the day.
    expect(waits.at(-1)).toBeGreaterThan(900);
    // Delays start after the 5 free failures, at 2 s, and double up to the 15-minute ceiling.
    expect(waits[0]).toBe(2);
    expect(waits.slice(0, 10)).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 512, 900]);
    // After the hard stop even the right password is refused, however long the attacker waits within the day.
    app.clock.advance(60 * 60 * 1000);
    const owner = await signIn(app, email, "rightpassword1");
    expect(owner.body.status).toBe("GENERAL_ERROR");
    expect(retryAfter(owner)).toBeGreaterThan(0);
    const throttles = events.filter((event) => event.type === "throttle");
    expect(throttles.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain(email);
    expect(throttles.some((event) => event.type === "throttle" && event.decision === "delayed")).toBe(true);
    expect(throttles.some((event) => event.type === "throttle" && event.decision === "refused")).toBe(true);
  });

  it("throttles an account from 101 different IPs (behind a trusted proxy) as from one", async () => {
    const app = await start({ trustProxy: true, signIn: { perIp: { max: 3, windowMs: 60_000 } } });
    const email = await newUser(app);
    const answers: string[] = [];
    for (let i = 0; i < 8; i++) answers.push((await signIn(app, email, "wrongpassword", { "x-forwarded-for": `203.0.113.${i + 1}` })).body.status);
    expect(answers).toEqual([...Array(5).fill("WRONG_CREDENTIALS_ERROR"), "GENERAL_ERROR", "GENERAL_ERROR", "GENERAL_ERROR"]);
  });

  it("keeps the count across a restart, shares it between two instances, and clears it on success", async () => {
    const first = await start();
    const second = await start();
    const email = await newUser(first);
    for (let i = 0; i < 5; i++) expect((await signIn(first, email, "wrongpassword")).body.status).toBe("WRONG_CREDENTIALS_ERROR");
    // The other instance sees the same counter.
    const fromSecond = await signIn(second, email, "wrongpassword");
    expect(fromSecond.body.status).toBe("GENERAL_ERROR");
    expect(retryAfter(fromSecond)).toBe(2);
    // A restart (a new instance on the same database) forgets nothing.
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    const restarted = await start();
    // Its clock starts at real time; a slow machine could otherwise start it after the wait is over.
    restarted.clock.set(second.clock.now());
    expect((await signIn(restarted, email, "rightpassword1")).body.status).toBe("GENERAL_ERROR");
    // Once the wait is over the owner signs in, and that clears the count: five fresh free failures.
    restarted.clock.advance(2_000);
    expect((await signIn(restarted, email, "rightpassword1")).body.status).toBe("OK");
    for (let i = 0; i < 5; i++) expect((await signIn(second, email, "wrongpassword")).body.status).toBe("WRONG_CREDENTIALS_ERROR");
    expect((await signIn(second, email, "wrongpassword")).body.status).toBe("GENERAL_ERROR");
  });

  it("limits failures per IP: the socket address by default (X-Forwarded-For ignored), the forwarded one behind a trusted proxy", async () => {
    const direct = await start({ signIn: { freeFailures: 50, perIp: { max: 3, windowMs: 60_000 } } });
    const forged = (i: number) => ({ "x-forwarded-for": `198.51.100.${i}` });
    for (let i = 0; i < 3; i++) expect((await signIn(direct, `nobody${i}@example.com`, "wrongpassword", forged(i))).body.status).toBe("WRONG_CREDENTIALS_ERROR");
    // A forged header does not buy a fresh IP, and the limit covers every account from that IP.
    const refused = await signIn(direct, "nobody9@example.com", "wrongpassword", forged(9));
    expect(refused.body.status).toBe("GENERAL_ERROR");
    expect(retryAfter(refused)).toBeGreaterThan(0);
    // The window closes and the IP may try again.
    direct.clock.advance(60_000);
    expect((await signIn(direct, "nobody9@example.com", "wrongpassword", forged(9))).body.status).toBe("WRONG_CREDENTIALS_ERROR");

    const proxied = await start({ trustProxy: 1, signIn: { freeFailures: 50, perIp: { max: 3, windowMs: 60_000 } } });
    // Behind one trusted proxy the client is the right-most X-Forwarded-For entry (the left ones are the client's to forge).
    const via = (ip: string) => ({ "x-forwarded-for": `10.9.9.9, ${ip}` });
    for (let i = 0; i < 3; i++) expect((await signIn(proxied, `someone${i}@example.com`, "wrongpassword", via("192.0.2.1"))).body.status).toBe("WRONG_CREDENTIALS_ERROR");
    expect((await signIn(proxied, "someone3@example.com", "wrongpassword", via("192.0.2.1"))).body.status).toBe("GENERAL_ERROR");
    expect((await signIn(proxied, "someone3@example.com", "wrongpassword", via("192.0.2.2"))).body.status).toBe("WRONG_CREDENTIALS_ERROR");
  });

  it("caps reset emails per account and per IP", async () => {
    const app = await start({ trustProxy: true });
    const email = await newUser(app);
    const ask = (address: string, ip = "192.0.2.10") =>
      app.client().post("/auth/user/password/reset/token", { formFields: [{ id: "email", value: address }] }, { "x-forwarded-for": ip });
    const answers: string[] = [];
    for (let i = 0; i < 10; i++) answers.push((await ask(email)).body.status);
    expect(answers).toEqual(["OK", "OK", "OK", ...Array(7).fill("GENERAL_ERROR")]);
    const refused = await ask(email);
    expect(refused.body.message).toMatch(/^Too many requests for this email address\. Please try again in \d+ minutes?\.$/);
    expect(retryAfter(refused)).toBeGreaterThan(0);
    expect(await settledOutboxCount(app, email)).toBe(3);
    // After the window the owner can ask again.
    app.clock.advance(15 * 60_000);
    expect((await ask(email)).body.status).toBe("OK");
    expect(await settledOutboxCount(app, email)).toBe(4);

    // Per IP: 20 per hour, whatever the addresses (unknown ones count too, so the cap reveals nothing).
    const fromOneIp: string[] = [];
    for (let i = 0; i < 22; i++) fromOneIp.push((await ask(`spray${i}@example.com`, "192.0.2.77")).body.status);
    expect(fromOneIp.filter((status) => status === "OK")).toHaveLength(20);
    expect(fromOneIp.slice(20)).toEqual(["GENERAL_ERROR", "GENERAL_ERROR"]);
  });

  it("limits email/exists look-ups per IP", async () => {
    const app = await start();
    const answers: number[] = [];
    for (let i = 0; i < 32; i++) {
      const response = await app.client().get(`/auth/emailpassword/email/exists?email=probe${i}@example.com`);
      answers.push(response.body.status === "OK" ? 1 : 0);
      if (i === 31) {
        expect(response.body).toEqual({ status: "GENERAL_ERROR", message: expect.stringMatching(/^Too many requests\. Please try again in \d+ minutes?\.$/) });
        expect(retryAfter(response)).toBeGreaterThan(0);
      }
    }
    expect(answers.filter((ok) => ok === 1)).toHaveLength(30);
  });

  it("lets a successful password reset clear the account's throttle, even after the hard stop", async () => {
    const app = await start({ signIn: { freeFailures: 2, maxFailures: 4, perIp: false } });
    const email = await newUser(app);
    for (let i = 0; i < 12; i++) {
      const response = await signIn(app, email, "wrongpassword");
      if (response.body.status === "GENERAL_ERROR" && retryAfter(response) <= 900) app.clock.advance(retryAfter(response) * 1000);
    }
    expect((await signIn(app, email, "rightpassword1")).body.status).toBe("GENERAL_ERROR");
    expect((await app.client().post("/auth/user/password/reset/token", { formFields: [{ id: "email", value: email }] })).body.status).toBe("OK");
    const token = await resetToken(app, email);
    const reset = await app.client().post("/auth/user/password/reset", { formFields: [{ id: "password", value: "brandnewpass1" }], token, method: "token" });
    expect(reset.body).toEqual({ status: "OK" });
    expect((await signIn(app, email, "brandnewpass1")).body.status).toBe("OK");
  });

  it("turns everything off with limits: false", async () => {
    const app = await start(false);
    const email = await newUser(app);
    for (let i = 0; i < 12; i++) expect((await signIn(app, email, "wrongpassword")).body.status).toBe("WRONG_CREDENTIALS_ERROR");
    expect((await signIn(app, email, "rightpassword1")).body.status).toBe("OK");
  });
});

/** Delivery is not awaited by the API: wait until the recipient's message count stops changing. */
async function settledOutboxCount(app: TestApp, recipient: string): Promise<number> {
  let last = -1;
  for (let stable = 0, attempt = 0; stable < 3 && attempt < 100; attempt++) {
    const count = (await app.auth.engine.storage.outbox.listNewest(1000)).filter((m) => m.recipient === recipient).length;
    stable = count === last ? stable + 1 : 0;
    last = count;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  return last;
}

async function resetToken(app: TestApp, recipient: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const message = (await app.auth.engine.storage.outbox.listNewest(1000)).find((m) => m.recipient === recipient);
    const token = message?.textBody.match(/reset-password\?token=([A-Za-z0-9_-]+)/)?.[1];
    if (token !== undefined) return token;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no reset email for ${recipient}`);
}
