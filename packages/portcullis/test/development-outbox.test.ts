/** The development outbox: refused in production unless opted in, and its messages expire. */
import { afterEach, describe, expect, it } from "vitest";
import { createAuth } from "../src/instance/create-auth.js";
import { initEmailPassword } from "../src/recipes/emailpassword/emailpassword-recipe.js";
import { SMTPService } from "../src/recipes/emailpassword/email-delivery.js";
import { initSession } from "../src/recipes/session/session-recipe.js";
import { credentials } from "../src/testing/conformance-app.js";
import { sqliteFileDatabase } from "./helpers/databases.js";
import { startTestApp } from "./helpers/test-app.js";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const appInfo = { appName: "outbox", apiDomain: "http://localhost", websiteDomain: "http://localhost" };
const smtp = () => new SMTPService({ smtpSettings: { host: "127.0.0.1", port: 2525, from: { name: "App", email: "app@example.com" } } });

describe("under NODE_ENV=production", () => {
  const original = process.env["NODE_ENV"];
  afterEach(() => {
    if (original === undefined) delete process.env["NODE_ENV"];
    else process.env["NODE_ENV"] = original;
  });

  const start = (emailPassword: Parameters<typeof initEmailPassword>[0], developmentOutbox?: { allowInProduction: boolean }) =>
    createAuth({ appInfo, database: "sqlite::memory:", logger: quiet, recipeList: [initEmailPassword(emailPassword), initSession()], ...(developmentOutbox ? { developmentOutbox } : {}) });

  it("refuses to start without email delivery, saying how to configure SMTP or opt in", () => {
    process.env["NODE_ENV"] = "production";
    expect(() => start(undefined)).toThrow(/no delivery is configured for EmailPassword's password-reset emails.*SMTPService.*developmentOutbox: \{ allowInProduction: true \}/s);
  });

  it("starts with SMTP configured, or with the explicit opt-in", async () => {
    process.env["NODE_ENV"] = "production";
    for (const auth of [start({ emailDelivery: { service: smtp() } }), start(undefined, { allowInProduction: true })]) await auth.close();
  });

  it("is not in the way outside production", async () => {
    process.env["NODE_ENV"] = "development";
    await start(undefined).close();
  });
});

describe("retention", () => {
  it("purges messages, with their live links, once they are older than the retention (default 24 h)", async () => {
    const database = sqliteFileDatabase();
    const app = await startTestApp({ database: database.url });
    try {
      const client = app.client({ rid: "emailpassword" });
      await client.post("/auth/signup", credentials("kept@example.com", "password123"));
      await client.post("/auth/user/password/reset/token", { formFields: [{ id: "email", value: "kept@example.com" }] });
      const waitFor = async (count: number) => {
        for (let i = 0; i < 50 && (await app.auth.engine.storage.outbox.listNewest(10)).length !== count; i++) await new Promise((r) => setTimeout(r, 20));
      };
      await waitFor(1);
      expect(await app.auth.engine.outbox.list(10)).toHaveLength(1);
      app.clock.advance(24 * 3_600_000 - 1000);
      expect(await app.auth.engine.outbox.list(10)).toHaveLength(1);
      app.clock.advance(2000);
      expect(await app.auth.engine.outbox.list(10)).toEqual([]);
      // Gone from the table, not just hidden.
      expect(await app.auth.engine.storage.outbox.listNewest(10)).toEqual([]);
    } finally {
      await app.close();
      await database.cleanup();
    }
  });
});
