/** A fetch-style runtime can hand the client's address to the bridge, and the per-IP limits then apply. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Auth } from "../src/engine/create-auth.js";
import { handler } from "../src/framework/fetch/index.js";
import { createAuth } from "../src/instance/create-auth.js";
import { initEmailPassword } from "../src/recipes/emailpassword/emailpassword-recipe.js";
import { initSession } from "../src/recipes/session/session-recipe.js";
import { sqliteFileDatabase, type TestDatabase } from "./helpers/databases.js";

describe("the Fetch bridge's remote address", () => {
  let database: TestDatabase;
  let auth: Auth;
  beforeAll(async () => {
    database = sqliteFileDatabase();
    auth = createAuth({
      appInfo: { appName: "fetch-ip", apiDomain: "http://localhost", websiteDomain: "http://localhost" },
      database: database.url,
      recipeList: [initEmailPassword(), initSession()],
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      limits: { emailExists: { perIp: { max: 3, windowMs: 60_000 } } },
    });
    await auth.ready;
  });
  afterAll(async () => {
    await auth.close();
    await database.cleanup();
  });

  it("limits email/exists per address it is given, and not across addresses", async () => {
    const serve = handler(auth);
    const ask = async (remoteAddress: string) =>
      (await serve(new Request("http://localhost/auth/emailpassword/email/exists?email=a%40example.com"), { remoteAddress })).json();
    for (let i = 0; i < 3; i++) expect(await ask("203.0.113.7")).toEqual({ status: "OK", exists: false });
    expect(await ask("203.0.113.7")).toMatchObject({ status: "GENERAL_ERROR" });
    expect(await ask("203.0.113.8")).toEqual({ status: "OK", exists: false });
  });
});
