/**
 * Seed 003's Hapi tab over HTTP on a real Hapi 21 server: the auth routes through the plugin and
 * /create-user with verifySession in `options.pre`, through the shared seed 003 tab suite.
 */
import Hapi from "@hapi/hapi";
import { afterAll, beforeAll, expect, it } from "vitest";
import { plugin } from "portcullis/framework/hapi";
import { addCreateUserRoute } from "../src/seeds/003-hapi.js";
import { freePort } from "./helpers.js";
import { describeSeed003Tab, initSeed003Instance, seed003Client } from "./seed-003-kit.js";

let server: Hapi.Server;
let instance: { close(): Promise<void> };
let base = "";

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  instance = initSeed003Instance({ framework: "hapi", appName: "Seed 003 on Hapi", apiDomain: base, websiteDomain: base });
  server = Hapi.server({ port, host: "127.0.0.1" });
  await server.register(plugin);
  addCreateUserRoute(server);
  await server.start();
});

afterAll(async () => {
  await server?.stop();
  await instance.close();
});

describeSeed003Tab({ framework: "Hapi", apiBase: () => base });

it("answers an admin's /create-user with no body at all with 400, not Hapi's 500", async () => {
  const { call, emailPasswordSignIn } = seed003Client(() => base);
  const accessToken = await emailPasswordSignIn("admin@example.com");
  expect((await call("/create-user", { email: "x@example.com" }, accessToken)).status).toBe(200);
  const noBody = await fetch(`${base}/create-user`, { method: "POST", headers: { "st-auth-mode": "header", authorization: `Bearer ${accessToken}` } });
  expect(noBody.status).toBe(400);
});
