/**
 * Seed 003's Fastify tab over HTTP on a real Fastify server: /create-user with verifySession as a
 * preHandler, through the shared seed 003 tab suite.
 */
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll } from "vitest";
import { errorHandler, plugin } from "portcullis/framework/fastify";
import { addCreateUserRoute } from "../src/seeds/003-fastify.js";
import { freePort } from "./helpers.js";
import { describeSeed003Tab, initSeed003Instance } from "./seed-003-kit.js";

let fastify: FastifyInstance;
let instance: { close(): Promise<void> };
let base = "";

beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  instance = initSeed003Instance({ framework: "fastify", appName: "Seed 003 on Fastify", apiDomain: base, websiteDomain: base });
  fastify = Fastify();
  await fastify.register(plugin);
  addCreateUserRoute(fastify);
  fastify.setErrorHandler(errorHandler());
  await fastify.listen({ port, host: "127.0.0.1" });
});

afterAll(async () => {
  await fastify?.close();
  await instance.close();
});

describeSeed003Tab({ framework: "Fastify", apiBase: () => base });
