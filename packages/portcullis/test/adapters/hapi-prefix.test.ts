/** The Hapi plugin registered under a route prefix: the prefix is part of apiBasePath, and a mismatch is refused at start-up. */
import Hapi from "@hapi/hapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Auth } from "../../src/engine/create-auth.js";
import { plugin } from "../../src/framework/hapi/index.js";
import { createAuth } from "../../src/instance/create-auth.js";
import { initEmailPassword } from "../../src/recipes/emailpassword/emailpassword-recipe.js";
import { initSession } from "../../src/recipes/session/session-recipe.js";
import { credentials } from "../../src/testing/conformance-app.js";
import { sqliteFileDatabase, type TestDatabase } from "../../src/testing/databases.js";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe("hapi plugin under a route prefix", () => {
  let database: TestDatabase;
  let auth: Auth;
  let server: Hapi.Server;

  beforeAll(async () => {
    database = sqliteFileDatabase();
    auth = createAuth({
      appInfo: { appName: "prefixed", apiDomain: "http://localhost", websiteDomain: "http://localhost", apiBasePath: "/api/auth" },
      database: database.url,
      recipeList: [initEmailPassword(), initSession()],
      logger: quiet,
    });
    server = Hapi.server({ port: 0, host: "127.0.0.1" });
    await server.register({ plugin, options: { auth } }, { routes: { prefix: "/api" } });
    await server.start();
  });

  afterAll(async () => {
    await server?.stop();
    await auth?.close();
    await database?.cleanup();
  });

  it("serves the auth routes at prefix + the rest of apiBasePath", async () => {
    const response = await fetch(`${server.info.uri}/api/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json", "st-auth-mode": "header" },
      body: JSON.stringify(credentials("prefixed@example.com", "password123")),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { status: string }).status).toBe("OK");
    expect(response.headers.get("st-access-token")).toBeTruthy();
    expect((await fetch(`${server.info.uri}/api/api/auth/signup`, { method: "POST" })).status).toBe(404);
  });

  it("refuses a prefix that is not the start of apiBasePath, naming both", async () => {
    const other = Hapi.server({ port: 0, host: "127.0.0.1" });
    await expect(other.register({ plugin, options: { auth } }, { routes: { prefix: "/v2" } })).rejects.toThrow(
      'the Hapi route prefix "/v2" must be the start of appInfo.apiBasePath ("/api/auth")',
    );
  });
});
