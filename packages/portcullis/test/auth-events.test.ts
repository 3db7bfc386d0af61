/** Auth events (onEvent and the log), object-first loggers such as pino, and debug request logging. */
import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { AuthEvent } from "../src/core/auth-events.js";
import { createLog } from "../src/core/log.js";
import { createAuth } from "../src/instance/create-auth.js";
import { initEmailPassword, type EmailPasswordRecipe } from "../src/recipes/emailpassword/emailpassword-recipe.js";
import { initSession } from "../src/recipes/session/session-recipe.js";
import { credentials } from "../src/testing/conformance-app.js";
import { mountExpress } from "./adapters/mounts.js";
import { sqliteFileDatabase } from "./helpers/databases.js";

/** A real pino logger writing JSON lines into an array. */
function capturedPino(level = "info") {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim() !== "") lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

const secret = "password123";

describe("auth events", () => {
  const events: AuthEvent[] = [];

  it("emits sign-up, sign-in success and failure, reset requested and used, and revocations, with no secret or email", async () => {
    const db = sqliteFileDatabase();
    const auth = createAuth({
      appInfo: { appName: "events", apiDomain: "http://localhost", websiteDomain: "http://localhost" },
      database: db.url,
      recipeList: [initEmailPassword(), initSession()],
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      onEvent: (event) => {
        events.push(event);
      },
    });
    const mounted = await mountExpress(auth);
    try {
      const { TestClient } = await import("../src/testing/http-client.js");
      const client = new TestClient(mounted.baseUrl, { rid: "emailpassword", "st-auth-mode": "cookie" });
      const userId = (await client.post("/auth/signup", credentials("Events@Example.com", secret))).body.user.id as string;
      await client.post("/auth/signin", credentials("events@example.com", "wrong-password-1"));
      await client.post("/auth/signin", credentials("events@example.com", secret));
      await client.post("/auth/user/password/reset/token", { formFields: [{ id: "email", value: "events@example.com" }] });
      await client.post("/auth/user/password/reset/token", { formFields: [{ id: "email", value: "nobody@example.com" }] });
      const ep = auth.getRecipe<EmailPasswordRecipe>("emailpassword")!;
      const created = await ep.createResetPasswordToken("public", userId, "events@example.com");
      if (created.status !== "OK") throw new Error(created.status);
      await client.post("/auth/user/password/reset", { formFields: [{ id: "password", value: "brandnew123" }], token: created.token });
      await new Promise((resolve) => setTimeout(resolve, 10));

      expect(events.map((e) => e.type)).toEqual([
        "sign-up",
        "sign-in.failure",
        "sign-in.success",
        "password-reset.requested",
        "password-reset.requested",
        "password-reset.used",
        "session.revoked",
      ]);
      expect(events[0]).toMatchObject({ type: "sign-up", recipeId: "emailpassword", tenantId: "public", userId });
      expect(events[1]).toMatchObject({ type: "sign-in.failure", reason: "wrong-credentials", tenantId: "public" });
      expect(events[3]).toMatchObject({ userId });
      expect(events[4]).not.toHaveProperty("userId");
      expect(events[5]).toMatchObject({ type: "password-reset.used", userId });
      expect(events[6]).toMatchObject({ type: "session.revoked", userId });
      expect((events[6] as { sessionHandles: string[] }).sessionHandles).toHaveLength(2);
      for (const event of events) expect(typeof event.at).toBe("number");
      const serialised = JSON.stringify(events);
      for (const leak of [secret, "wrong-password-1", "brandnew123", created.token, "events@example.com", "nobody@example.com"]) {
        expect(serialised).not.toContain(leak);
      }
    } finally {
      await mounted.close();
      await auth.close();
      await db.cleanup();
    }
  });

  it("never lets a failing onEvent hook touch the request", async () => {
    const db = sqliteFileDatabase();
    const errors: unknown[] = [];
    const auth = createAuth({
      appInfo: { appName: "events", apiDomain: "http://localhost", websiteDomain: "http://localhost" },
      database: db.url,
      recipeList: [initEmailPassword(), initSession()],
      logger: { info: () => undefined, warn: () => undefined, error: (_message: unknown, error: unknown) => errors.push(error) },
      onEvent: async () => {
        throw new Error("audit sink down");
      },
    });
    const mounted = await mountExpress(auth);
    try {
      const { TestClient } = await import("../src/testing/http-client.js");
      const response = await new TestClient(mounted.baseUrl).post("/auth/signup", credentials("hook@example.com", secret));
      expect(response.body.status).toBe("OK");
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(errors.map((e) => (e as Error).message)).toContain("audit sink down");
    } finally {
      await mounted.close();
      await auth.close();
      await db.cleanup();
    }
  });
});

describe("loggers", () => {
  it("hands pino the error as `err`, not as a dropped format argument", () => {
    const { logger, lines } = capturedPino();
    createLog(logger, { debug: false }).error("delivery failed", new Error("smtp refused"), { userId: "u1" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: "delivery failed", userId: "u1", err: { message: "smtp refused", type: "Error" } });
  });

  it("keeps console-style loggers message-first with the error second", () => {
    const calls: unknown[][] = [];
    const logger = { info: (...args: unknown[]) => calls.push(args), warn: () => undefined, error: (...args: unknown[]) => calls.push(args) };
    const error = new Error("boom");
    createLog(logger, { debug: false }).error("it failed", error);
    createLog(logger, { debug: false }).info("plain line");
    expect(calls).toEqual([["it failed", error], ["plain line"]]);
  });

  it("logs the request flow at debug level only with debug: true", async () => {
    for (const debug of [true, false]) {
      const { logger, lines } = capturedPino("debug");
      const db = sqliteFileDatabase();
      const auth = createAuth({
        appInfo: { appName: "debug", apiDomain: "http://localhost", websiteDomain: "http://localhost" },
        database: db.url,
        recipeList: [initEmailPassword(), initSession()],
        logger,
        debug,
      });
      const mounted = await mountExpress(auth);
      try {
        const { TestClient } = await import("../src/testing/http-client.js");
        await new TestClient(mounted.baseUrl).post("/auth/signin", credentials("nobody@example.com", secret));
        const flow = lines.filter((line) => line["level"] === 20).map((line) => line["msg"]);
        if (debug) expect(flow).toEqual(["POST /auth/signin: post /signin", "POST /auth/signin: answered"]);
        else expect(flow).toEqual([]);
        // The failed sign-in is an auth event on the log, at info level, as structured fields.
        expect(lines.find((line) => line["msg"] === "auth event sign-in.failure")).toMatchObject({ level: 30, event: { type: "sign-in.failure" } });
      } finally {
        await mounted.close();
        await auth.close();
        await db.cleanup();
      }
    }
  });
});
