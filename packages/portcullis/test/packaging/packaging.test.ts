/**
 * What a user gets from the registry: the packed tarball, installed into fresh projects (ESM and
 * CommonJS TypeScript under several tsconfigs, plain require(), a PostgreSQL-only install on
 * Node 20 and 24). Each is type-checked with its own tsc, started with node and driven over HTTP.
 * Needs the npm registry; under CI=true its absence fails, elsewhere it skips with a message.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, postgresDatabase, type TestDatabase } from "../helpers/databases.js";

const CI = process.env["CI"] === "true";
const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));
const SETUP_TIMEOUT = 300_000;
const STEP_TIMEOUT = 120_000;

/** Children get a clean environment: the outer `npm test` leaks npm_config_* settings (workspace, prefix). */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith("npm_") && key !== "NODE_OPTIONS" && key !== "DATABASE_URL") env[key] = value;
  }
  return { ...env, ...extra };
}

function sh(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: childEnv(env), maxBuffer: 16 * 1024 * 1024, timeout: SETUP_TIMEOUT }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(" ")} (in ${cwd}) failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

interface Server {
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node <args>` and waits for the "listening <port>" line the consumer apps print. */
function startServer(node: string, args: string[], cwd: string, env: Record<string, string>): Promise<Server> {
  const child = spawn(node, args, { cwd, env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error("no 'listening' line within 30 s")), 30_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`node ${args.join(" ")} (in ${cwd}): ${error.message}\n${output}`));
    };
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const port = /listening (\d+)/.exec(output)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      resolve({
        port: Number(port),
        output: () => output,
        stop: async () => {
          child.kill();
          await exited;
        },
      });
    });
    child.once("exit", (code) => fail(new Error(`exited with ${String(code)} before listening`)));
  });
}

/** Sign-up as the frontends do it, then the protected route with the new session. */
async function signUpAndCallProtectedRoute(port: number, mode: "cookie" | "header"): Promise<void> {
  const base = `http://127.0.0.1:${port}`;
  const email = `user-${mode}-${Math.random().toString(36).slice(2)}@example.com`;
  const signUp = await fetch(`${base}/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", rid: "emailpassword", "st-auth-mode": mode },
    body: JSON.stringify({ formFields: [{ id: "email", value: email }, { id: "password", value: "correct-horse-42" }] }),
  });
  const body = (await signUp.json()) as { status: string; user?: { id: string } };
  expect(signUp.status).toBe(200);
  expect(body.status).toBe("OK");

  const credentials: Record<string, string> = {};
  if (mode === "header") {
    credentials["authorization"] = `Bearer ${signUp.headers.get("st-access-token") ?? ""}`;
  } else {
    credentials["cookie"] = signUp.headers
      .getSetCookie()
      .map((cookie) => cookie.split(";")[0])
      .join("; ");
  }
  const me = await fetch(`${base}/me`, { headers: credentials });
  expect(me.status).toBe(200);
  expect(await me.json()).toEqual({ userId: body.user?.id });

  const anonymous = await fetch(`${base}/me`);
  expect(anonymous.status).toBe(401);
}

// ---- consumer sources -------------------------------------------------------------------------

const APP_INFO = `{ appName: "consumer", apiDomain: "http://127.0.0.1:3001", websiteDomain: "http://127.0.0.1:3000", apiBasePath: "/auth", websiteBasePath: "/auth" }`;

/** The README's example, in TypeScript; only the imports differ between variants. */
const TS_BODY = `
supertokens.init({
  framework: "express",
  appInfo: ${APP_INFO},
  database: process.env.DATABASE_URL,
  recipeList: [EmailPassword.init(), Session.init()],
});

const app = express();
app.use(middleware());
app.get("/me", verifySession(), (req: SessionRequest, res) => {
  res.json({ userId: req.session!.getUserId() });
});
app.use(errorHandler());
const server = app.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log("listening " + (typeof address === "object" && address !== null ? address.port : ""));
});
`;

const JS_BODY = TS_BODY.replace("(req: SessionRequest, res)", "(req, res)").replace("req.session!", "req.session");

const ESM_IMPORTS = `
import express from "express";
import supertokens from "portcullis";
import EmailPassword from "portcullis/recipe/emailpassword";
import Session from "portcullis/recipe/session";
import { middleware, errorHandler, type SessionRequest } from "portcullis/framework/express";
import { verifySession } from "portcullis/recipe/session/framework/express";
`;

const CJS_INTEROP_IMPORTS = `
import express from "express";
import supertokens from "portcullis";
import * as supertokensNamespace from "portcullis";
import EmailPassword from "portcullis/recipe/emailpassword";
import Session from "portcullis/recipe/session";
import SessionRequired = require("portcullis/recipe/session");
import { middleware, errorHandler, SessionRequest } from "portcullis/framework/express";
import { verifySession } from "portcullis/recipe/session/framework/express";
if (supertokensNamespace.init !== supertokens.init || SessionRequired.init !== Session.init) throw new Error("named and default exports differ");
`;

const CJS_PLAIN_IMPORTS = `
import express = require("express");
import * as supertokens from "portcullis";
import supertokensDefault from "portcullis";
import supertokensRequired = require("portcullis");
import EmailPassword from "portcullis/recipe/emailpassword";
import Session = require("portcullis/recipe/session");
import SessionDefault from "portcullis/recipe/session";
import { middleware, errorHandler, SessionRequest } from "portcullis/framework/express";
import { verifySession } from "portcullis/recipe/session/framework/express";
if (supertokensDefault.init !== supertokens.init || supertokensRequired.default.init !== supertokens.init) throw new Error("named and default exports differ");
if (SessionDefault.init !== Session.init || Session.default.init !== Session.init) throw new Error("named and default exports differ");
`;

function cjsRequireSource(subpaths: string[]): string {
  return `"use strict";
const express = require("express");
const supertokens = require("portcullis");
const EmailPassword = require("portcullis/recipe/emailpassword").default;
const Session = require("portcullis/recipe/session");
const { middleware, errorHandler } = require("portcullis/framework/express");
const { verifySession } = require("portcullis/recipe/session/framework/express");
if (supertokens.default.init !== supertokens.init || Session.default.init !== Session.init) throw new Error("named and default exports differ");
for (const subpath of ${JSON.stringify(subpaths)}) require(subpath);
// portcullis/nestjs is built on Nest's own classes: without Nest installed it must name what is missing.
try {
  require("portcullis/nestjs");
  throw new Error("portcullis/nestjs loaded without @nestjs/common");
} catch (error) {
  if (!String(error.message).includes("Cannot find module '@nestjs/common'")) throw error;
}
${JS_BODY}`;
}

const ESM_JS_SERVER = `${ESM_IMPORTS.replace(", type SessionRequest", "")}${JS_BODY}`;

const CJS_JS_SERVER = `"use strict";
const express = require("express");
const supertokens = require("portcullis");
const EmailPassword = require("portcullis/recipe/emailpassword");
const Session = require("portcullis/recipe/session");
const { middleware, errorHandler } = require("portcullis/framework/express");
const { verifySession } = require("portcullis/recipe/session/framework/express");
${JS_BODY}`;

/** init() through the ESM build, then the CommonJS copy of Session, as an app mixing both would. */
const DUAL_SOURCE = `
import { createRequire } from "node:module";
import supertokens from "portcullis";
import EmailPassword from "portcullis/recipe/emailpassword";
import Session from "portcullis/recipe/session";
import { resetDefaultInstance } from "portcullis/engine";
supertokens.init({ appInfo: ${APP_INFO}, database: process.env.DATABASE_URL, recipeList: [EmailPassword.init(), Session.init()] });
const required = createRequire(import.meta.url)("portcullis/recipe/session");
let result;
try {
  result = { shared: Array.isArray(await required.getAllSessionHandlesForUser("nobody")) };
} catch (error) {
  result = { shared: false, error: String(error) };
}
await resetDefaultInstance();
console.log(JSON.stringify(result));
`;

/** The clear errors, from auth.ready, the first storage call and the first email, in either build. */
function missingDriversSource(format: "esm" | "cjs", database: string): string {
  const imports =
    format === "esm"
      ? `import { createAuth } from "portcullis/engine"; import EmailPassword from "portcullis/recipe/emailpassword"; import Session from "portcullis/recipe/session"; import { SMTPService } from "portcullis/recipe/emailpassword/emaildelivery";`
      : `const { createAuth } = require("portcullis/engine"); const EmailPassword = require("portcullis/recipe/emailpassword"); const Session = require("portcullis/recipe/session"); const { SMTPService } = require("portcullis/recipe/emailpassword/emaildelivery");`;
  return `${imports}
(async () => {
  const auth = createAuth({ appInfo: ${APP_INFO}, database: ${JSON.stringify(database)}, recipeList: [EmailPassword.init(), Session.init()] });
  const messages = [];
  await auth.ready.catch((error) => messages.push(error.message));
  await auth.getUserCount().catch((error) => messages.push(error.message));
  await auth.close();
  const smtp = new SMTPService({ smtpSettings: { host: "127.0.0.1", port: 2525, from: { name: "App", email: "no-reply@example.com" } } });
  const user = { id: "u1", recipeUserId: undefined, email: "user@example.com" };
  await smtp.sendEmail({ type: "PASSWORD_RESET", user, passwordResetLink: "http://127.0.0.1/reset", tenantId: "public", userContext: {} }).catch((error) => messages.push(error.message));
  console.log(JSON.stringify(messages));
})();
`;
}

interface TsVariant {
  name: string;
  type: "module" | "commonjs";
  compilerOptions: Record<string, unknown>;
  source: string;
}

const TS_VARIANTS: TsVariant[] = [
  { name: "a-esm-nodenext", type: "module", compilerOptions: { module: "nodenext" }, source: ESM_IMPORTS + TS_BODY },
  { name: "b-cjs-interop", type: "commonjs", compilerOptions: { module: "commonjs", esModuleInterop: true }, source: CJS_INTEROP_IMPORTS + TS_BODY },
  { name: "b-cjs-plain", type: "commonjs", compilerOptions: { module: "commonjs", esModuleInterop: false }, source: CJS_PLAIN_IMPORTS + TS_BODY },
  { name: "d-bundler", type: "module", compilerOptions: { module: "esnext", moduleResolution: "bundler" }, source: ESM_IMPORTS + TS_BODY },
  {
    name: "e-exact-verbatim",
    type: "module",
    // skipLibCheck off: the shipped declarations themselves must hold up under the strictest flags.
    compilerOptions: { module: "nodenext", exactOptionalPropertyTypes: true, verbatimModuleSyntax: true, skipLibCheck: false },
    source: ESM_IMPORTS + TS_BODY,
  },
];

// ---- setup ------------------------------------------------------------------------------------

let skipReason: string | undefined;
let root = "";
let tarball = "";
let tarballFiles: string[] = [];
let subpaths: string[] = [];
let node24 = "";
const sqliteApp = () => join(root, "sqlite-app");
const postgresApp = () => join(root, "postgres-app");

function writeProject(dir: string, manifest: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, ...manifest }, null, 2));
}

beforeAll(async () => {
  try {
    await sh("npm", ["ping"], PACKAGE_DIR);
  } catch (error) {
    if (CI) throw new Error(`the npm registry is required under CI: ${String(error)}`);
    skipReason = "npm registry unreachable";
    console.warn(`[packaging] ${skipReason}; skipping the install tests`);
    return;
  }

  root = mkdtempSync(join(tmpdir(), "portcullis-packaging-"));
  const packed = JSON.parse(await sh("npm", ["pack", "--json", "--pack-destination", root], PACKAGE_DIR)) as [
    { filename: string; files: { path: string }[] },
  ];
  tarball = join(root, packed[0].filename);
  tarballFiles = packed[0].files.map((file) => file.path);
  subpaths = tarballFiles
    .filter((path) => path.startsWith("dist/cjs/entries/") && path.endsWith(".js"))
    .map((path) => `portcullis/${path.slice("dist/cjs/entries/".length, -".js".length)}`.replace(/\/index$/, ""));

  // better-sqlite3 12: 13 needs Node 22. It builds from source here, so it is installed once only.
  writeProject(sqliteApp(), { name: "sqlite-consumer", allowScripts: { "better-sqlite3": true } });
  writeProject(postgresApp(), { name: "postgres-consumer" });
  writeProject(join(root, "node24"), { name: "node24" });
  const install = (dir: string, packages: string[]) => sh("npm", ["install", "--no-audit", "--no-fund", ...packages], dir);
  await Promise.all([
    install(sqliteApp(), [tarball, "express@5", "better-sqlite3@12", "typescript@~5.9.3", "@types/express@5", "@types/node@20"]),
    install(postgresApp(), [tarball, "express@5", "pg@8"]),
    install(join(root, "node24"), ["node@24"]),
  ]);
  node24 = join(root, "node24", "node_modules", ".bin", "node");
}, SETUP_TIMEOUT);

afterAll(() => {
  if (root !== "") rmSync(root, { recursive: true, force: true });
});

function skipIfOffline(context: { skip: (note?: string) => void }): void {
  if (skipReason !== undefined) context.skip(skipReason);
}

// ---- tests ------------------------------------------------------------------------------------

describe("the packed tarball", () => {
  it("ships README, LICENSE and both builds, and no build caches or dangling source maps", (context) => {
    skipIfOffline(context);
    expect(tarballFiles).toEqual(expect.arrayContaining(["README.md", "LICENSE", "package.json", "dist/cjs/package.json", "dist/esm/entries/index.js", "dist/cjs/entries/index.js"]));
    expect(tarballFiles.filter((path) => /\.tsbuildinfo$|\.map$|\.test\.|^src\//.test(path))).toEqual([]);
    expect(readFileSync(join(sqliteApp(), "node_modules", "portcullis", "LICENSE"), "utf8")).toContain("Apache License");
  });

  it("exposes every public subpath, each with its ESM and CommonJS declarations", (context) => {
    skipIfOffline(context);
    expect(subpaths).toEqual(expect.arrayContaining(["portcullis", "portcullis/recipe/session", "portcullis/recipe/session/framework/express"]));
    for (const subpath of subpaths) {
      const file = subpath === "portcullis" ? "index" : subpath.slice("portcullis/".length);
      expect(tarballFiles).toEqual(expect.arrayContaining([`dist/esm/entries/${file}.d.ts`, `dist/cjs/entries/${file}.d.ts`]));
    }
  });
});

describe.concurrent("an SQLite consumer", () => {
  for (const variant of TS_VARIANTS) {
    it(`${variant.name}: type-checks with its own tsc and serves sign-up + a protected route`, async (context) => {
      skipIfOffline(context);
      const dir = join(sqliteApp(), variant.name);
      writeProject(dir, { type: variant.type });
      writeFileSync(join(dir, "server.ts"), variant.source);
      const compilerOptions = { strict: true, target: "es2022", skipLibCheck: true, outDir: "out", types: ["node"], ...variant.compilerOptions };
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["server.ts"] }, null, 2));
      await sh(process.execPath, [join(sqliteApp(), "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], dir);
      const server = await startServer(process.execPath, ["out/server.js"], dir, { DATABASE_URL: `sqlite:${join(dir, "auth.db")}` });
      try {
        await signUpAndCallProtectedRoute(server.port, variant.name.startsWith("a") ? "cookie" : "header");
      } finally {
        await server.stop();
      }
    }, STEP_TIMEOUT);
  }

  for (const flags of [["--no-experimental-require-module"], []]) {
    it(`c-require: plain require() of the root and every subpath (node ${flags.join(" ") || "default flags"})`, async (context) => {
      skipIfOffline(context);
      const dir = join(sqliteApp(), `c-require${flags.join("")}`);
      writeProject(dir, { type: "commonjs" });
      // portcullis/testing is a kit for vitest test files, and vitest cannot be require()d: it is not a runtime subpath.
      // portcullis/nestjs needs Nest at run time (the consumer has none); the source checks it names @nestjs/common.
      const withoutPeers = subpaths.filter((subpath) => subpath !== "portcullis/testing" && subpath !== "portcullis/nestjs");
      writeFileSync(join(dir, "server.js"), cjsRequireSource(withoutPeers));
      const server = await startServer(process.execPath, [...flags, "server.js"], dir, { DATABASE_URL: `sqlite:${join(dir, "auth.db")}` });
      try {
        await signUpAndCallProtectedRoute(server.port, "cookie");
      } finally {
        await server.stop();
      }
    }, STEP_TIMEOUT);
  }

  it("an app loading both builds sees one default instance", async (context) => {
    skipIfOffline(context);
    const dir = join(sqliteApp(), "dual");
    writeProject(dir, { type: "module" });
    writeFileSync(join(dir, "dual.js"), DUAL_SOURCE);
    const result = JSON.parse(await sh(process.execPath, ["dual.js"], dir, { DATABASE_URL: `sqlite:${join(dir, "auth.db")}` })) as { shared: boolean; error?: string };
    // The default instance lives on a globalThis[Symbol.for(...)] slot, so both copies share it.
    expect(result.shared, result.error).toBe(true);
  }, STEP_TIMEOUT);
});

describe("a PostgreSQL-only consumer (no better-sqlite3 installed)", () => {
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    if (skipReason === undefined && (await postgresAvailable())) database = postgresDatabase();
  });

  afterAll(async () => {
    await database?.cleanup();
  });

  it("installs without better-sqlite3", (context) => {
    skipIfOffline(context);
    expect(existsSync(join(postgresApp(), "node_modules", "pg"))).toBe(true);
    expect(existsSync(join(postgresApp(), "node_modules", "better-sqlite3"))).toBe(false);
    expect(existsSync(join(postgresApp(), "node_modules", "nodemailer"))).toBe(false);
  });

  it("names the package to install for a sqlite: URL (auth.ready, first call) and for SMTPService, in ESM and CommonJS", async (context) => {
    skipIfOffline(context);
    const database = `sqlite:${join(postgresApp(), "never.db")}`;
    writeFileSync(join(postgresApp(), "missing.mjs"), missingDriversSource("esm", database));
    writeFileSync(join(postgresApp(), "missing.cjs"), missingDriversSource("cjs", database));
    const sqlite = 'Portcullis needs the "better-sqlite3" package for sqlite: databases: npm install better-sqlite3';
    const smtp = 'Portcullis needs the "nodemailer" package for SMTPService: npm install nodemailer';
    for (const [file, flags] of [["missing.mjs", []], ["missing.cjs", ["--no-experimental-require-module"]]] as const) {
      const messages = JSON.parse(await sh(process.execPath, [...flags, file], postgresApp())) as string[];
      expect(messages, file).toEqual([sqlite, sqlite, smtp]);
    }
  }, STEP_TIMEOUT);

  for (const [label, runtime] of [["Node 20", () => process.execPath], ["Node 24", () => node24]] as const) {
    it(`serves sign-up + a protected route on ${label}, from the ESM and the CommonJS build`, async (context) => {
      skipIfOffline(context);
      if (database === undefined) return context.skip("PostgreSQL unavailable");
      expect(await sh(runtime(), ["--version"], root)).toMatch(label === "Node 20" ? /^v20\./ : /^v24\./);
      writeFileSync(join(postgresApp(), "server.mjs"), ESM_JS_SERVER);
      writeFileSync(join(postgresApp(), "server.cjs"), CJS_JS_SERVER);
      for (const args of [["server.mjs"], ["--no-experimental-require-module", "server.cjs"]]) {
        const server = await startServer(runtime(), args, postgresApp(), { DATABASE_URL: database.url });
        try {
          await signUpAndCallProtectedRoute(server.port, "header");
        } finally {
          await server.stop();
        }
      }
    }, STEP_TIMEOUT);
  }
});
