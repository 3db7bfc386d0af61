/**
 * Seed 003's NestJS tab over HTTP on a real Nest 11 app (platform-express): /create-user guarded by
 * `new AuthGuard(options)`, the session through Nest's own `@Session()`, through the shared seed
 * 003 tab suite, plus what Nest answers around it.
 */
import "reflect-metadata";
import type { INestApplication } from "@nestjs/common";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createSeed003NestApp } from "../src/seeds/003-nestjs.js";
import { freePort } from "./helpers.js";
import { describeSeed003Tab, initSeed003Instance } from "./seed-003-kit.js";

let app: INestApplication | undefined;
let instance: { close(): Promise<void> };
let base = "";

beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  // As in the SDK's NestJS guide: Nest runs on Express.
  instance = initSeed003Instance({ framework: "express", appName: "Seed 003 on NestJS", apiDomain: base, websiteDomain: base });
  app = await createSeed003NestApp({ logger: false });
  await app.listen(port);
});

afterAll(async () => {
  await app?.close();
  await instance.close();
});

describeSeed003Tab({ framework: "NestJS", apiBase: () => base });

it("leaves other paths to Nest (404) and answers bad JSON to /create-user with 400", async () => {
  expect((await fetch(`${base}/nowhere`)).status).toBe(404);
  const response = await fetch(`${base}/create-user`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
  expect(response.status).toBe(400);
});
