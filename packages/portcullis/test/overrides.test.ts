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
