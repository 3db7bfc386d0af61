/**
 * The seed flows exactly as an application uses them: through the package's public entry points,
 * the facade's default instance, and the seed modules under examples/src/seeds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import supertokens from "portcullis";
import EmailPassword from "portcullis/recipe/emailpassword";
import Session from "portcullis/recipe/session";
import { errorHandler, middleware } from "portcullis/framework/express";
import { verifySession } from "portcullis/recipe/session/framework/express";
import { createManualClock, resetDefaultInstance } from "portcullis/engine";
import { createResetPasswordLink } from "../src/seeds/000-create-reset-password-link.js";
import { changePasswordRouter } from "../src/seeds/002-change-password.js";

const clock = createManualClock(Date.now());
const dataDir = mkdtempSync(join(tmpdir(), "portcullis-seeds-"));
let server: Server;
let base = "";

type Jar = Map<string, string>;

async function call(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; jar?: Jar } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (options.jar !== undefined && options.jar.size > 0) {
    const pathname = new URL(path, "http://x").pathname;
    headers["cookie"] = [...options.jar.entries()]
      .filter(([name]) => name !== "sRefreshToken" || pathname === "/auth/session/refresh")
      .map(([name, value]) => `${name}=${value}`)
      .join("; ");
  }
  const response = await fetch(base + path, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const [name, value] = (pair ?? "").split("=") as [string, string];
    if (value === "") options.jar?.delete(name);
    else options.jar?.set(name, value);
  }
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) };
}

const signUp = (email: string, password: string, headers: Record<string, string> = {}, jar?: Jar) =>
  call("POST", "/auth/signup", { body: { formFields: [{ id: "email", value: email }, { id: "password", value: password }] }, headers, ...(jar ? { jar } : {}) });
const signIn = (email: string, password: string, headers: Record<string, string> = {}, jar?: Jar) =>
  call("POST", "/auth/signin", { body: { formFields: [{ id: "email", value: email }, { id: "password", value: password }] }, headers, ...(jar ? { jar } : {}) });

beforeAll(async () => {
  supertokens.init({
    framework: "express",
    appInfo: { appName: "Seeds", apiDomain: "http://localhost:3000", websiteDomain: "http://localhost:3000" },
    database: `sqlite:${join(dataDir, "seeds.db")}`,
    clock,
    logger: { info: () => undefined, warn: () => undefined, error: console.error },
    recipeList: [EmailPassword.init(), Session.init()],
  });
  const app = express();
  app.use(express.json());
  app.use(middleware());
  app.use(changePasswordRouter);
  app.post("/seed/reset-link", async (req, res) => {
    res.json({ link: (await createResetPasswordLink(req.body.userId, req.body.email)) ?? null });
  });
  app.get("/protected", verifySession(), (_req, res) => res.json({ ok: true }));
  app.get("/protected-db", verifySession({ checkDatabase: true }), (_req, res) => res.json({ ok: true }));
  app.use(errorHandler());
  server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await resetDefaultInstance();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("seed 000: a backend-generated reset-password link", () => {
  it("creates a link that resets the password once and only once", async () => {
    const created = await signUp("seed000@example.com", "original123");
    const userId = created.body.user.id;
    const { body } = await call("POST", "/seed/reset-link", { body: { userId, email: "seed000@example.com" } });
    const link = new URL(body.link);
    expect(`${link.origin}${link.pathname}`).toBe("http://localhost:3000/auth/reset-password");
    expect(link.searchParams.get("tenantId")).toBe("public");
    const token = link.searchParams.get("token");

    const reset = (password: string) => call("POST", "/auth/user/password/reset", { body: { method: "token", token, formFields: [{ id: "password", value: password }] } });
    expect((await reset("fromlink123")).body).toEqual({ status: "OK" });
    expect((await reset("again12345")).body).toEqual({ status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" });
    expect((await signIn("seed000@example.com", "fromlink123")).body.status).toBe("OK");
    expect((await signIn("seed000@example.com", "again12345")).body.status).toBe("WRONG_CREDENTIALS_ERROR");
  });

  it("returns no link for a user that does not exist or has another email", async () => {
    const { body } = await call("POST", "/seed/reset-link", { body: { userId: "00000000-0000-0000-0000-000000000000", email: "x@example.com" } });
    expect(body.link).toBeNull();
  });
});

describe("seed 002: change password", () => {
  it("checks the old password, updates it, and ends every session", async () => {
    const email = "seed002@example.com";
    const cookieJar: Jar = new Map();
    await signUp(email, "original123", { "st-auth-mode": "cookie" }, cookieJar);
    const cookieRefreshToken = cookieJar.get("sRefreshToken");
    expect(cookieRefreshToken).toBeTruthy();
    // A second device, in header mode.
    const other = await signIn(email, "original123", { "st-auth-mode": "header" });
    const otherAccess = other.headers.get("st-access-token") as string;
    const otherRefresh = other.headers.get("st-refresh-token") as string;

    const wrongOld = await call("POST", "/change-password", { body: { oldPassword: "not-it-123", newPassword: "changed123" }, jar: cookieJar });
    expect(wrongOld.body).toEqual({ status: "WRONG_CREDENTIALS_ERROR" });
    expect((await signIn(email, "original123")).body.status).toBe("OK");

    const changed = await call("POST", "/change-password", { body: { oldPassword: "original123", newPassword: "changed123" }, jar: cookieJar });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ status: "OK" });
    // revokeSession() cleared the caller's cookies.
    expect(changed.headers.get("front-token")).toBe("remove");
    expect(cookieJar.has("sAccessToken")).toBe(false);

    expect((await signIn(email, "original123")).body.status).toBe("WRONG_CREDENTIALS_ERROR");
    expect((await signIn(email, "changed123")).body.status).toBe("OK");

    // Every earlier refresh token is rejected at once.
    const refreshHeader = await call("POST", "/auth/session/refresh", { headers: { authorization: `Bearer ${otherRefresh}` } });
    expect(refreshHeader.status).toBe(401);
    const refreshCookie = await call("POST", "/auth/session/refresh", { headers: { cookie: `sRefreshToken=${cookieRefreshToken}` } });
    expect(refreshCookie.status).toBe(401);

    // Earlier access tokens: at once where routes check the database...
    const bearer = { authorization: `Bearer ${otherAccess}` };
    expect((await call("GET", "/protected-db", { headers: bearer })).status).toBe(401);
    // ...and elsewhere at their expiry (15 minutes by default), since they are verified without a database call.
    expect((await call("GET", "/protected", { headers: bearer })).status).toBe(200);
    clock.advance(15 * 60 * 1000 + 1000);
    const expired = await call("GET", "/protected", { headers: bearer });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ message: "try refresh token" });
  });

  it("rejects the route without a session", async () => {
    const response = await call("POST", "/change-password", { body: { oldPassword: "a", newPassword: "b" } });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ message: "unauthorised" });
  });
});
