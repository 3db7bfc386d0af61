import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MultitenancyRecipe } from "../../recipes/multitenancy/multitenancy-recipe.js";
import { credentials, startConformanceApp, type MountApp, type TestApp } from "../conformance-app.js";
import type { TestDatabase } from "../databases.js";

/** The email-password part of FDI 4.2, over whatever framework `mount` puts the instance on. */
export function describeEmailPasswordContract(mount: MountApp, makeDatabase: () => TestDatabase): void {
describe("email-password FDI", () => {
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    database = makeDatabase();
    app = await startConformanceApp(mount, { database: database.url });
    const tenants = app.auth.getRecipe<MultitenancyRecipe>("multitenancy");
    await tenants?.recipeInterfaceImpl.createOrUpdateTenant({ tenantId: "acme", userContext: {} });
  });
  afterAll(async () => {
    await app.close();
    await database.cleanup();
  });

  const client = () => app.client({ rid: "emailpassword", "fdi-version": "3.1,4.0,4.1,4.2" });

  it("signs up with the user object of FDI 4.2 and no createdNewRecipeUser", async () => {
    const response = await client().post("/auth/signup", credentials("  Ada@Example.com ", "password123"));
    expect(response.status).toBe(200);
    expect(response.body.status).toBe("OK");
    expect(Object.keys(response.body).sort()).toEqual(["status", "user"]);
    const user = response.body.user;
    expect(user).toMatchObject({
      isPrimaryUser: false,
      tenantIds: ["public"],
      emails: ["ada@example.com"],
      phoneNumbers: [],
      thirdParty: [],
      webauthn: { credentialIds: [] },
    });
    expect(user.loginMethods).toEqual([
      { recipeId: "emailpassword", recipeUserId: user.id, tenantIds: ["public"], email: "ada@example.com", verified: false, timeJoined: user.timeJoined },
    ]);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("refuses a second sign-up with the exact FIELD_ERROR string", async () => {
    const response = await client().post("/auth/signup", credentials("ada@example.com", "password123"));
    expect(response.body).toEqual({ status: "FIELD_ERROR", formFields: [{ id: "email", error: "This email already exists. Please sign in instead." }] });
  });

  it("keeps one account per email under 20 concurrent sign-ups", async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => client().post("/auth/signup", credentials("race@example.com", "password123"))));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(responses.filter((r) => r.body.status === "OK")).toHaveLength(1);
    expect(responses.filter((r) => r.body.status === "FIELD_ERROR")).toHaveLength(19);
  });

  it("signs in, and gives one answer for a wrong password and an unknown email", async () => {
    const ok = await client().post("/auth/signin", credentials("ADA@example.com", "password123"));
    expect(ok.body.status).toBe("OK");
    expect(ok.body.user.emails).toEqual(["ada@example.com"]);
    const wrong = await client().post("/auth/signin", credentials("ada@example.com", "password124"));
    const unknown = await client().post("/auth/signin", credentials("nobody@example.com", "password123"));
    expect(wrong.body).toEqual({ status: "WRONG_CREDENTIALS_ERROR" });
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.status).toBe(wrong.status);
  });

  it("validates fields with the SDK's messages", async () => {
    const cases: [unknown, { id: string; error: string }[]][] = [
      [credentials("not-an-email", "password123"), [{ id: "email", error: "Email is invalid" }]],
      [credentials("a@example.com", "short1"), [{ id: "password", error: "Password must contain at least 8 characters, including a number" }]],
      [credentials("a@example.com", "a".repeat(100) + "1"), [{ id: "password", error: "Password's length must be lesser than 100 characters" }]],
      [credentials("a@example.com", "12345678"), [{ id: "password", error: "Password must contain at least one alphabet" }]],
      [credentials("a@example.com", "abcdefgh"), [{ id: "password", error: "Password must contain at least one number" }]],
      [credentials("", ""), [
        { id: "email", error: "Field is not optional" },
        { id: "password", error: "Field is not optional" },
      ]],
    ];
    for (const [body, errors] of cases) {
      const response = await client().post("/auth/signup", body);
      expect(response.status).toBe(200);
      expect(response.body.status).toBe("FIELD_ERROR");
      expect([...response.body.formFields].sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id))).toEqual(errors);
    }
    // Sign-in never applies the password policy (existing passwords must keep working).
    const signIn = await client().post("/auth/signin", credentials("ada@example.com", "x"));
    expect(signIn.body).toEqual({ status: "WRONG_CREDENTIALS_ERROR" });
  });

  it("answers malformed bodies with 400 and the SDK's messages, never 500", async () => {
    const cases: [string, string][] = [
      [JSON.stringify({}), "Missing input param: formFields"],
      [JSON.stringify({ formFields: {} }), "formFields must be an array"],
      [JSON.stringify({ formFields: ["x"] }), "All elements of formFields must be an object"],
      [JSON.stringify({ formFields: [{ id: "email" }] }), "All elements of formFields must contain an 'id' and 'value' field"],
      [JSON.stringify({ formFields: [{ id: "email", value: 5 }, { id: "password", value: "password123" }] }), "email value must be a string"],
      [JSON.stringify({ formFields: [{ id: "email", value: "a@b.co" }, { id: "password", value: ["x"] }] }), "password value must be a string"],
      [JSON.stringify({ formFields: [{ id: "email", value: "a@b.co" }, { id: "password", value: "password123" }, { id: "x", value: 1 }] }), "Are you sending too many formFields?"],
      ["{not json", "Request body is not valid JSON"],
      // express.json() (strict) refuses a non-object top level before we see it.
      ["null", "Request body is not valid JSON"],
    ];
    for (const [rawBody, message] of cases) {
      const response = await client().request("POST", "/auth/signup", { rawBody, headers: { "content-type": "application/json" } });
      expect(response.status, rawBody).toBe(400);
      expect(response.body).toEqual({ message });
    }
  });

  it("refuses passwords over 1 KiB before hashing, on sign-in, sign-up and reset", async () => {
    for (const path of ["/auth/signin", "/auth/signup"]) {
      const response = await client().post(path, credentials("ada@example.com", "p1".repeat(1024)));
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ message: "Password must be at most 1024 bytes" });
    }
    const reset = await client().post("/auth/user/password/reset", { formFields: [{ id: "password", value: "p1".repeat(1024) }], token: "x" });
    expect(reset.status).toBe(400);
    // A megabyte-sized password never reaches a parser or a hash: the body limit answers 413.
    const started = performance.now();
    const huge = await client().post("/auth/signin", credentials("ada@example.com", "p1".repeat(512 * 1024)));
    expect(huge.status).toBe(413);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("refuses bodies over the size limit with 413", async () => {
    const response = await client().request("POST", "/auth/signin", {
      rawBody: JSON.stringify({ formFields: [], padding: "x".repeat(200 * 1024) }),
      headers: { "content-type": "text/plain" },
    });
    expect(response.status).toBe(413);
    expect(response.body.message).toMatch(/larger than/);
  });

  it("answers email exists per tenant and requires the parameter", async () => {
    expect((await client().get("/auth/emailpassword/email/exists?email=ADA%40example.com")).body).toEqual({ status: "OK", exists: true });
    expect((await client().get("/auth/emailpassword/email/exists?email=nobody%40example.com")).body).toEqual({ status: "OK", exists: false });
    expect((await client().get("/auth/acme/emailpassword/email/exists?email=ada%40example.com")).body).toEqual({ status: "OK", exists: false });
    const missing = await client().get("/auth/emailpassword/email/exists");
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ message: "Please provide the email as a GET param" });
  });

  it("treats the same email in two tenants as two accounts", async () => {
    const acme = await client().post("/auth/acme/signup", credentials("ada@example.com", "different123"));
    expect(acme.body.status).toBe("OK");
    expect(acme.body.user.tenantIds).toEqual(["acme"]);
    const publicUser = await client().post("/auth/signin", credentials("ada@example.com", "password123"));
    expect(acme.body.user.id).not.toBe(publicUser.body.user.id);
    // A password of one tenant's account does not open the other's.
    expect((await client().post("/auth/acme/signin", credentials("ada@example.com", "password123"))).body.status).toBe("WRONG_CREDENTIALS_ERROR");
    expect((await client().post("/auth/public/signin", credentials("ada@example.com", "password123"))).body.status).toBe("OK");
  });

  it("answers an unknown tenant with 400, not 500", async () => {
    const response = await client().post("/auth/nosuchtenant/signin", credentials("ada@example.com", "password123"));
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ message: "Tenant not found: nosuchtenant" });
  });

  it("leaves unknown paths to the host framework (404)", async () => {
    expect((await client().post("/auth/nope", {})).status).toBe(404);
    expect((await client().get("/auth/signin")).status).toBe(404);
  });

  it("lists login methods for a tenant", async () => {
    const response = await client().get("/auth/acme/loginmethods");
    expect(response.body).toMatchObject({ status: "OK", emailPassword: { enabled: true }, passwordless: { enabled: false }, firstFactors: ["emailpassword"] });
  });
});
}
