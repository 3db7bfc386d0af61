/** GET /auth/session/user: the signed-in user as the FDI user object, for the portcullis-web client. On SQLite and PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseVariants, type TestDatabase } from "./helpers/databases.js";
import { credentials, startTestApp, type TestApp } from "./helpers/test-app.js";
import type { MultitenancyRecipe } from "../src/recipes/multitenancy/multitenancy-recipe.js";

const variants = await databaseVariants();

describe.each(variants.map((make) => [make().name, make] as const))("GET /auth/session/user on %s", (_name, makeDatabase) => {
  let database: TestDatabase;
  let app: TestApp;
  let counter = 0;

  beforeAll(async () => {
    database = makeDatabase();
    // One-second access tokens: the expiry case needs the clock moved only a little.
    app = await startTestApp({ database: database.url, core: { accessTokenValidity: 1 } });
    await app.auth.getRecipe<MultitenancyRecipe>("multitenancy")?.recipeInterfaceImpl.createOrUpdateTenant({ tenantId: "acme", userContext: {} });
  });
  afterAll(async () => {
    await app.close();
    await database.cleanup();
  });

  async function signUp(mode: "cookie" | "header", tenant = "public") {
    const email = `session-user${++counter}-${Date.now()}@example.com`;
    const client = app.client({ rid: "emailpassword", "st-auth-mode": mode });
    const response = await client.post(`/auth${tenant === "public" ? "" : `/${tenant}`}/signup`, credentials(email, "password123"));
    expect(response.body.status).toBe("OK");
    return { email, client, user: response.body.user, accessToken: response.headers.get("st-access-token") ?? "" };
  }

  it("answers the same user object sign-up returned, in header mode", async () => {
    const { user, accessToken, email } = await signUp("header");
    const response = await app.client().get("/auth/session/user", { authorization: `Bearer ${accessToken}` });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "OK", user });
    expect(response.body.user.loginMethods[0]).toMatchObject({ recipeId: "emailpassword", email });
  });

  it("answers in cookie mode, and for a user of another tenant", async () => {
    const { client, user } = await signUp("cookie", "acme");
    const response = await client.get("/auth/session/user");
    expect(response.body).toEqual({ status: "OK", user });
    expect(response.body.user.tenantIds).toEqual(["acme"]);
  });

  it("is 401 unauthorised without a session, and try refresh token with an expired access token", async () => {
    const missing = await app.client().get("/auth/session/user");
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ message: "unauthorised" });

    const { accessToken } = await signUp("header");
    app.clock.advance(2_000);
    const expired = await app.client().get("/auth/session/user", { authorization: `Bearer ${accessToken}` });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ message: "try refresh token" });
  });

  it("is 401 after sign-out, and 401 once the user is deleted", async () => {
    const signedOut = await signUp("header");
    const bearer = { authorization: `Bearer ${signedOut.accessToken}` };
    expect((await app.client().post("/auth/signout", {}, bearer)).body).toEqual({ status: "OK" });
    // The access token itself is still unexpired: the route checks the session row, not only the signature.
    const afterSignOut = await app.client().get("/auth/session/user", bearer);
    expect(afterSignOut.status).toBe(401);
    expect(afterSignOut.body).toEqual({ message: "unauthorised" });

    const deleted = await signUp("header");
    await app.auth.deleteUser(deleted.user.id);
    const response = await app.client().get("/auth/session/user", { authorization: `Bearer ${deleted.accessToken}` });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ message: "unauthorised" });
  });
});
