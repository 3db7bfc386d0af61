/**
 * Seed 003's Koa tab over HTTP on a real Koa 3 server: /create-user (koa-router, verifySession from
 * portcullis/recipe/session/framework/koa) through the shared seed 003 tab suite, plus what Koa
 * answers around it.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createSeed003KoaApp } from "../src/seeds/003-koa.js";
import { closeServer, freePort } from "./helpers.js";
import { describeSeed003Tab, initSeed003Instance } from "./seed-003-kit.js";

let server: Server;
let instance: { close(): Promise<void> };
let base = "";

beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  instance = initSeed003Instance({ framework: "koa", appName: "Seed 003 on Koa", apiDomain: base, websiteDomain: base });
  server = createServer(createSeed003KoaApp().callback());
  await new Promise<void>((resolve) => server.listen(port, resolve));
});

afterAll(async () => {
  await closeServer(server);
  await instance.close();
});

describeSeed003Tab({ framework: "Koa", apiBase: () => base });

it("leaves other paths to Koa (404) and answers bad JSON to /create-user with 400", async () => {
  expect((await fetch(`${base}/nowhere`)).status).toBe(404);
  const response = await fetch(`${base}/create-user`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
  expect(response.status).toBe(400);
});
