import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initPasswordless } from "../../recipes/passwordless/passwordless-recipe.js";
import { initUserRoles, USERROLES_RECIPE_ID, type UserRolesRecipe } from "../../recipes/userroles/userroles-recipe.js";
import { startConformanceApp, type MountApp, type TestApp } from "../conformance-app.js";
import type { TestDatabase } from "../databases.js";

/**
 * The passwordless part of FDI 4.2 (codes by email and SMS, magic links, attempt counts) and the
 * claim answer (403 `invalid claim` from a role validator), over whatever framework `mount` puts
 * the instance on. Codes are read from the development outbox.
 */
export function describePasswordlessContract(mount: MountApp, makeDatabase: () => TestDatabase): void {
  describe("passwordless FDI and claims", () => {
    let database: TestDatabase;
    let app: TestApp;
    let counter = 0;

    beforeAll(async () => {
      database = makeDatabase();
      app = await startConformanceApp(mount, { database: database.url, recipes: [initPasswordless({ contactMethod: "EMAIL_OR_PHONE" }), initUserRoles()] });
    });
    afterAll(async () => {
      await app.close();
      await database.cleanup();
    });

    const client = (mode: "cookie" | "header" = "cookie") => app.client({ rid: "passwordless", "fdi-version": "4.2", "st-auth-mode": mode });
    const nextEmail = () => `pl-contract-${++counter}-${Date.now()}@example.com`;

    async function readCode(recipient: string): Promise<{ code: string; linkCode: string | undefined }> {
      const message = (await app.auth.engine.outbox.list(100)).find((m) => m.recipient === recipient);
      const code = message === undefined ? undefined : /\b(\d{6})\b/.exec(message.textBody)?.[1];
      if (message === undefined || code === undefined) throw new Error(`no code was sent to ${recipient}`);
      return { code, linkCode: /#([A-Za-z0-9_-]{43})\b/.exec(message.textBody)?.[1] };
    }

    it("signs up by emailed code into a cookie session that protected routes accept", async () => {
      const email = nextEmail();
      const browser = client("cookie");
      const created = await browser.post("/auth/signinup/code", { email });
      expect(created.status).toBe(200);
      expect(created.body).toEqual({ status: "OK", deviceId: expect.any(String), preAuthSessionId: expect.any(String), flowType: "USER_INPUT_CODE_AND_MAGIC_LINK" });
      const { code } = await readCode(email);
      const consumed = await browser.post("/auth/signinup/code/consume", { preAuthSessionId: created.body.preAuthSessionId, deviceId: created.body.deviceId, userInputCode: code });
      expect(consumed.body).toMatchObject({ status: "OK", createdNewRecipeUser: true, user: { emails: [email], loginMethods: [{ recipeId: "passwordless", verified: true }] } });
      expect(browser.cookie("sAccessToken")).toBeTruthy();
      const protectedResponse = await browser.get("/protected");
      expect(protectedResponse.status).toBe(200);
      expect(protectedResponse.body.userId).toBe(consumed.body.user.id);
    });

    it("counts wrong codes and restarts at the fifth", async () => {
      const email = nextEmail();
      const created = await client().post("/auth/signinup/code", { email });
      const device = { preAuthSessionId: created.body.preAuthSessionId, deviceId: created.body.deviceId };
      const { code } = await readCode(email);
      const wrong = code === "999999" ? "000000" : "999999";
      for (let attempt = 1; attempt < 5; attempt++) {
        const response = await client().post("/auth/signinup/code/consume", { ...device, userInputCode: wrong });
        expect(response.body).toEqual({ status: "INCORRECT_USER_INPUT_CODE_ERROR", failedCodeInputAttemptCount: attempt, maximumCodeInputAttempts: 5 });
      }
      expect((await client().post("/auth/signinup/code/consume", { ...device, userInputCode: wrong })).body).toEqual({ status: "RESTART_FLOW_ERROR" });
    });

    it("signs in by magic link and by SMS code in header mode", async () => {
      const email = nextEmail();
      const created = await client().post("/auth/signinup/code", { email });
      const { linkCode } = await readCode(email);
      const byLink = await client("header").post("/auth/signinup/code/consume", { preAuthSessionId: created.body.preAuthSessionId, linkCode });
      expect(byLink.body.status).toBe("OK");
      expect(byLink.headers.get("st-access-token")).toBeTruthy();

      const phoneNumber = `+1415555${String(2600 + counter).padStart(4, "0")}`;
      const bySms = await client().post("/auth/signinup/code", { phoneNumber });
      expect(bySms.body.status).toBe("OK");
      const { code } = await readCode(phoneNumber);
      const consumed = await client("header").post("/auth/signinup/code/consume", { preAuthSessionId: bySms.body.preAuthSessionId, deviceId: bySms.body.deviceId, userInputCode: code });
      expect(consumed.body).toMatchObject({ status: "OK", user: { phoneNumbers: [phoneNumber] } });
    });

    it("answers a failed claim with 403 invalid claim, and passes once the role is there", async () => {
      const roles = app.auth.engine.requireRecipe<UserRolesRecipe>(USERROLES_RECIPE_ID);
      await roles.recipeInterfaceImpl.createNewRoleOrAddPermissions({ role: "admin", permissions: [], userContext: {} });
      const email = nextEmail();
      const created = await client().post("/auth/signinup/code", { email });
      const { linkCode } = await readCode(email);
      const signedIn = await client("header").post("/auth/signinup/code/consume", { preAuthSessionId: created.body.preAuthSessionId, linkCode });
      const accessToken = signedIn.headers.get("st-access-token") as string;
      const denied = await app.client().get("/admin-only", { authorization: `Bearer ${accessToken}` });
      expect(denied.status).toBe(403);
      expect(denied.body).toEqual({
        message: "invalid claim",
        claimValidationErrors: [{ id: "st-role", reason: { message: "wrong value", expectedToInclude: "admin", actualValue: [] } }],
      });

      await roles.recipeInterfaceImpl.addRoleToUser({ tenantId: "public", userId: signedIn.body.user.id, role: "admin", userContext: {} });
      // A fresh sign-in carries the new role in its token (a second later, so its email is the newest).
      app.clock.advance(1000);
      const again = await client().post("/auth/signinup/code", { email });
      const second = await readCode(email);
      const admin = await client("header").post("/auth/signinup/code/consume", { preAuthSessionId: again.body.preAuthSessionId, linkCode: second.linkCode });
      const allowed = await app.client().get("/admin-only", { authorization: `Bearer ${admin.headers.get("st-access-token") as string}` });
      expect(allowed.status).toBe(200);
    });
  });
}
