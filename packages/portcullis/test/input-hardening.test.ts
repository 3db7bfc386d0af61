/** Emails: one account per address however it is spelled; control characters and overlong addresses refused and never stored. */
import { describe, expect, it } from "vitest";
import { databaseVariants } from "./helpers/databases.js";
import { credentials, useTestApp } from "./helpers/test-app.js";

const variants = await databaseVariants();

describe.each(variants.map((make) => [make().name, make] as const))("email input on %s", (_name, makeDatabase) => {
  const testApp = useTestApp(makeDatabase);

  const client = () => testApp().client({ rid: "emailpassword" });
  const userCount = () => testApp().auth.getUserCount();

  it("makes one account of a composed, a decomposed and a fullwidth spelling of one address", async () => {
    const first = await client().post("/auth/signup", credentials("Jos\u00e9@example.com", "password123"));
    expect(first.body.status).toBe("OK");
    expect(first.body.user.emails).toEqual(["jos\u00e9@example.com"]);
    for (const variant of ["Jose\u0301@example.com", "\uff2a\uff4f\uff53\u00e9@example.com"]) {
      const again = await client().post("/auth/signup", credentials(variant, "password123"));
      expect(again.body, variant).toEqual({ status: "FIELD_ERROR", formFields: [{ id: "email", error: "This email already exists. Please sign in instead." }] });
      expect((await client().post("/auth/signin", credentials(variant, "password123"))).body.user.id).toBe(first.body.user.id);
    }
    expect((await client().get(`/auth/emailpassword/email/exists?email=${encodeURIComponent("jose\u0301@EXAMPLE.com")}`)).body).toEqual({ status: "OK", exists: true });
  });

  it("refuses control characters with a FIELD_ERROR, on sign-up, sign-in and reset, and stores nothing", async () => {
    const before = await userCount();
    for (const path of ["/auth/signup", "/auth/signin"]) {
      const response = await client().post(path, credentials("nul\u0000@example.com", "password123"));
      expect(response.status, path).toBe(200);
      expect(response.body, path).toEqual({ status: "FIELD_ERROR", formFields: [{ id: "email", error: "Email is invalid" }] });
    }
    const reset = await client().post("/auth/user/password/reset/token", { formFields: [{ id: "email", value: "bell\u0007@example.com" }] });
    expect(reset.body).toEqual({ status: "FIELD_ERROR", formFields: [{ id: "email", error: "Email is invalid" }] });
    const exists = await client().get(`/auth/emailpassword/email/exists?email=${encodeURIComponent("nul\u0000@example.com")}`);
    expect(exists.status).toBe(200);
    expect(exists.body).toEqual({ status: "OK", exists: false });
    expect(await userCount()).toBe(before);
  });

  it("refuses addresses over 254 characters, a 40 KB one included", async () => {
    const before = await userCount();
    for (const length of [255, 40_000]) {
      const email = `${"a".repeat(length - "@example.com".length)}@example.com`;
      const response = await client().post("/auth/signup", credentials(email, "password123"));
      expect(response.body, String(length)).toEqual({ status: "FIELD_ERROR", formFields: [{ id: "email", error: "Email must be at most 254 characters" }] });
    }
    expect(await userCount()).toBe(before);
  });
});
