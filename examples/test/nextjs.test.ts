/**
 * Seed 003's two Next.js tabs and portcullis/nextjs in a real Next.js 16 app (examples/nextjs):
 * `next build`, then `next start` on a free port, driven over HTTP. The pages router serves its
 * auth API at /api/pages/auth and the seed's Pages tab at /api/pages/create-user; the app router
 * serves /api/auth and the App tab at /api/create-user; proxy.ts guards /api/members with
 * withSession; /whoami renders getSSRSession's view. This process opens the app's SQLite file too,
 * to give the admin role and read the invite links from the development outbox.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import supertokens from "portcullis";
import EmailPassword from "portcullis/recipe/emailpassword";
import Session from "portcullis/recipe/session";
import UserRoles from "portcullis/recipe/userroles";
import { resetDefaultInstance } from "portcullis/engine";
import { inviteOnlyPasswordless } from "../src/seeds/003-invite-only.js";
import { freePort } from "./helpers.js";
import { describeSeed003Tab, seed003Client } from "./seed-003-kit.js";

const APP_DIR = fileURLToPath(new URL("../nextjs/", import.meta.url));
const NEXT_BIN = createRequire(import.meta.url).resolve("next/dist/bin/next");
const dataDir = mkdtempSync(join(tmpdir(), "portcullis-nextjs-"));
const database = `sqlite:${join(dataDir, "nextjs.db")}`;
let base = "";
let server: ChildProcess | undefined;
let serverOutput = "";

/** Next's own environment: no telemetry, and none of vitest's settings (NODE_ENV=test would leak into the build). */
function nextEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key !== "NODE_ENV" && key !== "NODE_OPTIONS" && !key.startsWith("VITEST") && !key.toLowerCase().startsWith("npm_")) env[key] = value;
  }
  return { ...env, NEXT_TELEMETRY_DISABLED: "1", PORTCULLIS_DATABASE: database, ...extra };
}

function nextBuild(env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NEXT_BIN, "build"], { cwd: APP_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build exited with ${String(code)}:\n${output}`))));
  });
}

function nextStart(port: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], { cwd: APP_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error("no 'Ready' within 60 s")), 60_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`next start: ${error.message}\n${serverOutput}`));
    };
    child.stderr.on("data", (chunk: Buffer) => (serverOutput += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      serverOutput += chunk.toString();
      if (!/Ready in/.test(serverOutput)) return;
      clearTimeout(timer);
      resolve(child);
    });
    child.once("exit", (code) => fail(new Error(`exited with ${String(code)} before it was ready`)));
  });
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = nextEnv({ PORTCULLIS_NEXT_ORIGIN: base });
  const buildStarted = performance.now();
  await nextBuild(env);
  const startStarted = performance.now();
  server = await nextStart(port, env);
  console.log(`next build ${((startStarted - buildStarted) / 1000).toFixed(1)} s, next start ${((performance.now() - startStarted) / 1000).toFixed(1)} s`);
  supertokens.init({
    appInfo: { appName: "Portcullis on Next.js", apiDomain: base, websiteDomain: base, apiBasePath: "/api/auth", websiteBasePath: "/auth" },
    database,
    logger: { info: () => undefined, warn: () => undefined, error: console.error },
    recipeList: [EmailPassword.init(), inviteOnlyPasswordless(), Session.init(), UserRoles.init()],
  });
}, 300_000);

afterAll(async () => {
  if (server !== undefined && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once("exit", resolve));
    server.kill();
    await exited;
  }
  await resetDefaultInstance();
  rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

const routers = [
  { router: "pages router", apiBase: "/api/pages", tag: "pages" },
  { router: "app router", apiBase: "/api", tag: "app" },
] as const;

for (const { router, apiBase, tag } of routers) {
  describeSeed003Tab({
    framework: `Next.js, ${router}`,
    apiBase: () => base + apiBase,
    websiteBase: () => base,
    successBody: { message: "Success" },
    addressTag: tag,
  });
}

describe.each(routers)("Next.js, $router: around seed 003", ({ apiBase, tag }) => {
  const { emailPasswordSignUp, emailPasswordSignIn } = seed003Client(() => base + apiBase);

  it("answers bad JSON to an admin's /create-user with 400", async () => {
    const accessToken = await emailPasswordSignIn(`admin-${tag}@example.com`);
    const badJson = await fetch(`${base}${apiBase}/create-user`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${accessToken}` },
      body: "{",
    });
    expect(badJson.status).toBe(400);
  });

  it("answers other auth paths with a JSON 404", async () => {
    const missing = await fetch(`${base}${apiBase}/auth/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: "Not found" });
  });

  it("signs in with cookies: the Set-Cookie headers survive Next, and getSSRSession reads them on /whoami", async () => {
    await emailPasswordSignUp(`cookie-${tag}@example.com`);
    const response = await fetch(`${base}${apiBase}/auth/signin`, {
      method: "POST",
      headers: { "content-type": "application/json", "st-auth-mode": "cookie" },
      body: JSON.stringify({ formFields: [{ id: "email", value: `cookie-${tag}@example.com` }, { id: "password", value: "password123" }] }),
    });
    const body = (await response.json()) as { status: string; user: { id: string } };
    expect(body.status).toBe("OK");
    const setCookies = response.headers.getSetCookie();
    expect(setCookies.map((line) => line.split("=")[0]).sort()).toEqual(["sAccessToken", "sRefreshToken"]);
    const cookie = setCookies.map((line) => line.split(";")[0]).join("; ");
    expect(await whoami(cookie)).toBe(`signed in as ${body.user.id}`);
  });
});

async function whoami(cookie?: string): Promise<string> {
  const html = await (await fetch(`${base}/whoami`, { headers: cookie !== undefined ? { cookie } : {} })).text();
  return (/<p id="state">(.*?)<\/p>/.exec(html)?.[1] ?? html).replaceAll("<!-- -->", "");
}

describe("proxy.ts and server components on Next.js", () => {
  const { emailPasswordSignUp } = seed003Client(() => `${base}/api`);

  it("guards /api/members in proxy.ts: the FDI 401 without a session, the route with the user id with one", async () => {
    const anonymous = await fetch(`${base}/api/members`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ message: "unauthorised" });
    const { userId, accessToken } = await emailPasswordSignUp("member-proxy@example.com");
    const member = await fetch(`${base}/api/members`, { headers: { authorization: `Bearer ${accessToken}`, "x-user-id": "forged" } });
    expect(member.status).toBe(200);
    expect(await member.json()).toEqual({ userId });
    const tampered = await fetch(`${base}/api/members`, { headers: { authorization: `Bearer ${accessToken.slice(0, -4)}AAAA` } });
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toEqual({ message: "try refresh token" });
  });

  it("renders /whoami signed out without a token, and says a bad token is one", async () => {
    expect(await whoami()).toBe("signed out");
    expect(await whoami("sAccessToken=not-a-token")).toBe("session error");
  });
});
