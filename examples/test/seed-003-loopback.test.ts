/**
 * Seed 003's Loopback tab over HTTP on a real LoopBack 4 RestApplication: the invite-only
 * createCodePOST override turns away uninvited addresses, /create-user (a controller method
 * intercepted by verifySession from portcullis/recipe/session/framework/loopback) is for admins
 * only, and an invitation creates the user and emails a magic link that signs them in once.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RestApplication } from "@loopback/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import supertokens from "portcullis";
import EmailPassword from "portcullis/recipe/emailpassword";
import Session from "portcullis/recipe/session";
import UserRoles from "portcullis/recipe/userroles";
import { resetDefaultInstance } from "portcullis/engine";
import { inviteOnlyPasswordless } from "../src/seeds/003-invite-only.js";
import { createSeed003LoopbackApp } from "../src/seeds/003-loopback.js";
import { freePort } from "./helpers.js";
import { seed003Client, inviteLinkTo, passwordlessUsers } from "./seed-003-kit.js";

const dataDir = mkdtempSync(join(tmpdir(), "portcullis-seed003-loopback-"));
let app: RestApplication;
let base = "";

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  supertokens.init({
    framework: "loopback",
    appInfo: { appName: "Seed 003 on LoopBack", apiDomain: base, websiteDomain: base },
    database: `sqlite:${join(dataDir, "seed003-loopback.db")}`,
    logger: { info: () => undefined, warn: () => undefined, error: console.error },
    recipeList: [EmailPassword.init(), inviteOnlyPasswordless(), Session.init(), UserRoles.init()],
  });
  app = createSeed003LoopbackApp({ rest: { port, host: "127.0.0.1", openApiSpec: { disabled: true } } });
  await app.start();
});

afterAll(async () => {
  await app?.stop();
  await resetDefaultInstance();
  rmSync(dataDir, { recursive: true, force: true });
});

const { call, emailPasswordSignUp, emailPasswordSignIn } = seed003Client(() => base);

describe("seed 003 on LoopBack: invite-only passwordless, /create-user for admins", () => {
  const invitee = "invitee@example.com";

  it("refuses a code to an address nobody invited", async () => {
    const response = await call("/auth/signinup/code", { email: "stranger@example.com" });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "GENERAL_ERROR", message: "Sign up disabled. Please contact the admin." });
    expect(await passwordlessUsers("stranger@example.com")).toEqual([]);
  });

  it("refuses /create-user without a session (401), and for a signed-in user who is not admin (403)", async () => {
    const anonymous = await call("/create-user", { email: invitee });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ message: "unauthorised" });

    const { accessToken } = await emailPasswordSignUp("member@example.com");
    const response = await call("/create-user", { email: invitee }, accessToken);
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      message: "invalid claim",
      claimValidationErrors: [{ id: "st-role", reason: { message: "wrong value", expectedToInclude: "admin", actualValue: [] } }],
    });
    expect(await passwordlessUsers(invitee)).toEqual([]);
  });

  it("lets an admin invite: the user exists and the emailed link signs them in once", async () => {
    const { userId } = await emailPasswordSignUp("admin@example.com");
    await UserRoles.createNewRoleOrAddPermissions("admin", []);
    expect(await UserRoles.addRoleToUser("public", userId, "admin")).toMatchObject({ status: "OK" });
    // The role reaches a token at the next sign-in.
    const accessToken = await emailPasswordSignIn("admin@example.com");

    // LoopBack checks the declared body before the method runs: no email is its 422.
    const noEmail = await call("/create-user", {}, accessToken);
    expect(noEmail.status).toBe(422);
    expect(noEmail.body).toMatchObject({ error: { statusCode: 422, code: "VALIDATION_FAILED" } });

    const response = await call("/create-user", { email: invitee }, accessToken);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(response.body).toBe("Success");
    const [user] = await passwordlessUsers(invitee);
    expect(user?.emails).toEqual([invitee]);

    const link = await inviteLinkTo(invitee);
    expect(`${link.origin}${link.pathname}`).toBe(`${base}/auth/verify`);
    const consume = { preAuthSessionId: link.searchParams.get("preAuthSessionId"), linkCode: link.hash.slice(1) };
    const signedIn = await call("/auth/signinup/code/consume", consume);
    expect(signedIn.body).toMatchObject({ status: "OK", createdNewRecipeUser: false, user: { id: user?.id } });
    expect(signedIn.headers.get("st-access-token")).toBeTruthy();
    expect((await call("/auth/signinup/code/consume", consume)).body).toEqual({ status: "RESTART_FLOW_ERROR" });
  });

  it("leaves other paths to LoopBack (404), answers bad JSON to /create-user with LoopBack's 400 and to an auth route with ours", async () => {
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    const headers = { "content-type": "application/json", "st-auth-mode": "header" };
    const loopback = await fetch(`${base}/create-user`, { method: "POST", headers, body: "{" });
    expect(loopback.status).toBe(400);
    const auth = await fetch(`${base}/auth/signinup/code`, { method: "POST", headers, body: "{" });
    expect(auth.status).toBe(400);
    expect(await auth.json()).toEqual({ message: "Request body is not valid JSON" });
  });
});

/**
 * The demo runs under tsx (esbuild), which compiles decorators by examples/tsconfig.json's
 * experimentalDecorators but emits no design-type metadata: the controller must still come out
 * with its route, body, interceptor and injection (the body has an explicit schema for this reason).
 */
const DECORATORS_UNDER_TSX = `
const { LikeComment } = await import(new URL("src/seeds/003-loopback.ts", process.env.EXAMPLES_URL).href);
const { getControllerSpec } = await import("@loopback/rest");
const { describeInjectedArguments, INTERCEPT_METHOD_KEY, MetadataInspector } = await import("@loopback/core");
const operation = getControllerSpec(LikeComment).paths["/create-user"]?.post;
console.log(JSON.stringify({
  requestBody: operation?.requestBody?.content?.["application/json"]?.schema?.required,
  responses: Object.keys(operation?.responses ?? {}),
  interceptors: MetadataInspector.getMethodMetadata(INTERCEPT_METHOD_KEY, LikeComment.prototype, "handler")?.length,
  injected: describeInjectedArguments(LikeComment).map((injection) => String(injection.bindingSelector)),
}));`;

describe("seed 003 LoopBack tab under tsx", () => {
  it("gets its decorators applied: route, checked body, verifySession interceptor, injected request context", async () => {
    const examplesDir = fileURLToPath(new URL("..", import.meta.url));
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", DECORATORS_UNDER_TSX],
        { cwd: examplesDir, env: { ...process.env, EXAMPLES_URL: new URL("../", import.meta.url).href } },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
    expect(JSON.parse(output)).toEqual({ requestBody: ["email"], responses: ["200"], interceptors: 1, injected: ["rest.http.request.context"] });
  });
});
