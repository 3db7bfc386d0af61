/**
 * Seed 003's Loopback tab over HTTP on a real LoopBack 4 RestApplication: /create-user (a controller
 * method intercepted by verifySession from portcullis/recipe/session/framework/loopback) through
 * the shared seed 003 tab suite, plus LoopBack's own body checks and the tab's decorators under tsx.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { RestApplication } from "@loopback/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSeed003LoopbackApp } from "../src/seeds/003-loopback.js";
import { freePort } from "./helpers.js";
import { describeSeed003Tab, initSeed003Instance, seed003Client } from "./seed-003-kit.js";

let app: RestApplication;
let instance: { close(): Promise<void> };
let base = "";

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  instance = initSeed003Instance({ framework: "loopback", appName: "Seed 003 on LoopBack", apiDomain: base, websiteDomain: base });
  app = createSeed003LoopbackApp({ rest: { port, host: "127.0.0.1", openApiSpec: { disabled: true } } });
  await app.start();
});

afterAll(async () => {
  await app?.stop();
  await instance.close();
});

// LoopBack checks the declared body before the method runs: no email is its 422.
describeSeed003Tab({ framework: "LoopBack", apiBase: () => base, missingEmailStatus: 422 });

describe("seed 003 on LoopBack: around the route", () => {
  it("answers /create-user as text/plain, and an admin's missing email with LoopBack's 422 VALIDATION_FAILED", async () => {
    const { call, emailPasswordSignIn } = seed003Client(() => base);
    const accessToken = await emailPasswordSignIn("admin@example.com");
    const noEmail = await call("/create-user", {}, accessToken);
    expect(noEmail.body).toMatchObject({ error: { statusCode: 422, code: "VALIDATION_FAILED" } });
    const response = await call("/create-user", { email: "second@example.com" }, accessToken);
    expect(response.body).toBe("Success");
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
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
