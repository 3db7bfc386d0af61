import { describe, expect, it } from "vitest";
import { credentials, startTestApp } from "./helpers/test-app.js";

describe("overrides", () => {
  it("removes a route whose API is overridden to undefined, and late-binds `this` to user overrides", async () => {
    const { sqliteFileDatabase } = await import("./helpers/databases.js");
    const database = sqliteFileDatabase();
    const seen: string[] = [];
    const app = await startTestApp({
      database: database.url,
      emailPassword: {
        override: {
          apis: (original) => ({ ...original, signUpPOST: undefined }),
          functions: (original) => ({
            ...original,
            verifyCredentials: async (input) => {
              seen.push(input.email);
              return original.verifyCredentials(input);
            },
          }),
        },
      },
    });
    try {
      expect((await app.client().post("/auth/signup", credentials("a@example.com", "password123"))).status).toBe(404);
      // signIn's base implementation calls this.verifyCredentials, which must reach the override.
      await app.client().post("/auth/signin", credentials("a@example.com", "password123"));
      expect(seen).toEqual(["a@example.com"]);
    } finally {
      await app.close();
      await database.cleanup();
    }
  });
});

describe("HTTP APIs go through the overridable functions", () => {
  it("POST /signin runs an override of signIn", async () => {
    const { sqliteFileDatabase } = await import("./helpers/databases.js");
    const database = sqliteFileDatabase();
    const app = await startTestApp({
      database: database.url,
      emailPassword: {
        override: {
          functions: (original) => ({
            ...original,
            signIn: async (input) => (input.email.endsWith("@blocked.example") ? { status: "WRONG_CREDENTIALS_ERROR" } : original.signIn(input)),
          }),
        },
      },
    });
    try {
      const client = app.client({ rid: "emailpassword" });
      expect((await client.post("/auth/signup", credentials("ok@allowed.example", "password123"))).body.status).toBe("OK");
      expect((await client.post("/auth/signup", credentials("me@blocked.example", "password123"))).body.status).toBe("OK");
      expect((await client.post("/auth/signin", credentials("ok@allowed.example", "password123"))).body.status).toBe("OK");
      expect((await client.post("/auth/signin", credentials("me@blocked.example", "password123"))).body).toEqual({ status: "WRONG_CREDENTIALS_ERROR" });
    } finally {
      await app.close();
      await database.cleanup();
    }
  });

  it("POST /user/password/reset runs consumePasswordResetToken and updateEmailOrPassword, as one transaction", async () => {
    const { sqliteFileDatabase } = await import("./helpers/databases.js");
    const database = sqliteFileDatabase();
    const calls: string[] = [];
    const app = await startTestApp({
      database: database.url,
      emailPassword: {
        override: {
          functions: (original) => ({
            ...original,
            consumePasswordResetToken: async (input) => {
              calls.push("consume");
              return original.consumePasswordResetToken(input);
            },
            updateEmailOrPassword: async (input) => {
              calls.push(`update:${input.password === undefined ? "-" : "password"}`);
              return original.updateEmailOrPassword(input);
            },
          }),
        },
      },
    });
    try {
      const client = app.client({ rid: "emailpassword" });
      const userId = (await client.post("/auth/signup", credentials("reset@example.com", "password123"))).body.user.id as string;
      const ep = app.auth.getRecipe<import("../src/recipes/emailpassword/emailpassword-recipe.js").EmailPasswordRecipe>("emailpassword")!;
      const created = await ep.createResetPasswordToken("public", userId, "reset@example.com");
      if (created.status !== "OK") throw new Error(created.status);
      const reset = await client.post("/auth/user/password/reset", { formFields: [{ id: "password", value: "brandnew123" }], token: created.token });
      expect(reset.body.status).toBe("OK");
      expect(calls).toEqual(["consume", "update:password"]);
      expect((await client.post("/auth/signin", credentials("reset@example.com", "brandnew123"))).body.status).toBe("OK");
      // The token is spent: a second use changes nothing and reaches no update.
      const again = await client.post("/auth/user/password/reset", { formFields: [{ id: "password", value: "another1234" }], token: created.token });
      expect(again.body).toEqual({ status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" });
      expect(calls).toEqual(["consume", "update:password", "consume"]);
    } finally {
      await app.close();
      await database.cleanup();
    }
  });
});
