/** Conformance: email-password users, their uniqueness races, verification state and deletion. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { StoredUser } from "../storage.js";
import { NOW, id, newTenant, newEmail, type ConformanceFixtures } from "./fixtures.js";

export function describeUserConformance(f: ConformanceFixtures): void {
  const { createUser, session, resetToken, either } = f;
  describe("email-password users", () => {
    it("creates a user and returns it in StoredUser shape", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      const userId = id("user");
      const result = await f.s.createEmailPasswordUser({ userId, tenantId, email, passwordHash: "h1", timeJoined: NOW + 7 });
      const expected: StoredUser = {
        id: userId,
        timeJoined: NOW + 7,
        tenantIds: [tenantId],
        loginMethods: [
          { recipeId: "emailpassword", recipeUserId: userId, tenantIds: [tenantId], email, verified: false, timeJoined: NOW + 7 },
        ],
      };
      expect(result).toEqual({ status: "OK", user: expected });
      expect(await f.s2.getUser(userId)).toEqual(expected);
      expect(await f.s.getUser(id("user"))).toBeUndefined();
    });

    it("treats the same email in two tenants as two users", async () => {
      const email = newEmail();
      const a = await createUser(newTenant(), email);
      const tenantB = newTenant();
      const b = await createUser(tenantB, email);
      expect(a.id).not.toBe(b.id);
      expect((await f.s.findEmailPasswordLogin(tenantB, email))?.user.id).toBe(b.id);
    });

    it("refuses a duplicate email in one tenant with a typed result and writes nothing", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      await createUser(tenantId, email);
      const loserId = id("user");
      const result = await f.s2.createEmailPasswordUser({ userId: loserId, tenantId, email, passwordHash: "h", timeJoined: NOW });
      expect(result).toEqual({ status: "EMAIL_ALREADY_EXISTS_ERROR" });
      expect(await f.s.getUser(loserId)).toBeUndefined();
      expect(await f.s.getPasswordHash(loserId)).toBeUndefined();
      expect(await f.s.countUsers({ tenantId, includeRecipeIds: undefined })).toBe(1);
    });

    it("lets exactly one of 20 concurrent sign-ups of one email win", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          either(i).createEmailPasswordUser({ userId: id("user"), tenantId, email, passwordHash: `h${i}`, timeJoined: NOW }),
        ),
      );
      expect(results.filter((result) => result.status === "OK")).toHaveLength(1);
      expect(results.filter((result) => result.status === "EMAIL_ALREADY_EXISTS_ERROR")).toHaveLength(19);
      expect(await f.s.listUsersByAccountInfo(tenantId, { email }, false)).toHaveLength(1);
      expect(await f.s.countUsers({ tenantId, includeRecipeIds: undefined })).toBe(1);
    });

    it("stores emails exactly as given", async () => {
      const tenantId = newTenant();
      const email = `Mixed.Case+${randomUUID()}@Example.COM`;
      const user = await createUser(tenantId, email);
      expect(user.loginMethods[0]?.email).toBe(email);
      expect(await f.s.findEmailPasswordLogin(tenantId, email.toLowerCase())).toBeUndefined();
      // A differently-cased address is a different key here; normalising is the engine's job.
      await createUser(tenantId, email.toLowerCase());
    });

    it("finds an email-password login only in its own tenant", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      const user = await createUser(tenantId, email, { passwordHash: "phc-1" });
      expect(await f.s.findEmailPasswordLogin(tenantId, email)).toEqual({ user, recipeUserId: user.id, passwordHash: "phc-1" });
      expect(await f.s.findEmailPasswordLogin(newTenant(), email)).toBeUndefined();
      expect(await f.s.findEmailPasswordLogin(tenantId, newEmail())).toBeUndefined();
    });

    it("getPasswordHash returns the hash, or undefined for an unknown user", async () => {
      const user = await createUser(newTenant(), newEmail(), { passwordHash: "phc-2" });
      expect(await f.s.getPasswordHash(user.id)).toBe("phc-2");
      expect(await f.s.getPasswordHash(id("user"))).toBeUndefined();
    });

    it("replacePasswordHash is a compare-and-swap", async () => {
      const user = await createUser(newTenant(), newEmail(), { passwordHash: "legacy" });
      expect(await f.s.replacePasswordHash(user.id, "not-the-hash", "upgraded")).toBe(false);
      expect(await f.s.getPasswordHash(user.id)).toBe("legacy");
      expect(await f.s.replacePasswordHash(user.id, "legacy", "upgraded")).toBe(true);
      expect(await f.s.getPasswordHash(user.id)).toBe("upgraded");
      expect(await f.s.replacePasswordHash(user.id, "legacy", "again")).toBe(false);
      expect(await f.s.getPasswordHash(user.id)).toBe("upgraded");
      expect(await f.s.replacePasswordHash(id("user"), "legacy", "x")).toBe(false);
    });

    it("lets exactly one of concurrent upgrades from one expected hash win", async () => {
      const user = await createUser(newTenant(), newEmail(), { passwordHash: "legacy" });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => either(i).replacePasswordHash(user.id, "legacy", `new-${i}`)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await f.s.getPasswordHash(user.id)).toBe(`new-${results.indexOf(true)}`);
    });

    it("updateEmailPasswordLogin changes email and password", async () => {
      const tenantId = newTenant();
      const oldEmail = newEmail();
      const user = await createUser(tenantId, oldEmail, { passwordHash: "p1" });
      await f.s.markEmailVerified(user.id, oldEmail);
      const newAddress = newEmail();

      expect(await f.s.updateEmailPasswordLogin(user.id, { email: newAddress })).toBe("OK");
      expect(await f.s.findEmailPasswordLogin(tenantId, oldEmail)).toBeUndefined();
      const found = await f.s.findEmailPasswordLogin(tenantId, newAddress);
      expect(found?.recipeUserId).toBe(user.id);
      expect(found?.user.loginMethods[0]).toMatchObject({ email: newAddress, verified: false });
      // The old address can be taken by someone else now.
      await createUser(tenantId, oldEmail);

      expect(await f.s.updateEmailPasswordLogin(user.id, { passwordHash: "p2" })).toBe("OK");
      expect(await f.s.getPasswordHash(user.id)).toBe("p2");
      expect(await f.s.updateEmailPasswordLogin(user.id, {})).toBe("OK");
      expect(await f.s.updateEmailPasswordLogin(user.id, { email: newAddress })).toBe("OK");
      expect(await f.s.updateEmailPasswordLogin(id("user"), { email: newEmail() })).toBe("UNKNOWN_USER_ID_ERROR");
    });

    it("updateEmailPasswordLogin to a taken email fails with a typed result and changes nothing", async () => {
      const tenantId = newTenant();
      const takenEmail = newEmail();
      const ownEmail = newEmail();
      await createUser(tenantId, takenEmail);
      const user = await createUser(tenantId, ownEmail, { passwordHash: "before" });

      expect(await f.s.updateEmailPasswordLogin(user.id, { email: takenEmail, passwordHash: "after" })).toBe(
        "EMAIL_ALREADY_EXISTS_ERROR",
      );
      expect(await f.s.getPasswordHash(user.id)).toBe("before");
      expect((await f.s.getUser(user.id))?.loginMethods[0]?.email).toBe(ownEmail);
      expect((await f.s.findEmailPasswordLogin(tenantId, ownEmail))?.recipeUserId).toBe(user.id);

      // Taken in another tenant only: allowed.
      const elsewhere = newEmail();
      await createUser(newTenant(), elsewhere);
      expect(await f.s.updateEmailPasswordLogin(user.id, { email: elsewhere })).toBe("OK");
    });

    it("listUsersByAccountInfo matches by email, phone, union or intersection, within the tenant", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      const user = await createUser(tenantId, email);
      expect(await f.s.listUsersByAccountInfo(tenantId, { email }, false)).toEqual([user]);
      expect(await f.s.listUsersByAccountInfo(tenantId, { email, phoneNumber: "+15550000000" }, true)).toEqual([user]);
      expect(await f.s.listUsersByAccountInfo(tenantId, { email, phoneNumber: "+15550000000" }, false)).toEqual([]);
      expect(await f.s.listUsersByAccountInfo(tenantId, { phoneNumber: "+15550000000" }, true)).toEqual([]);
      expect(await f.s.listUsersByAccountInfo(tenantId, {}, true)).toEqual([]);
      expect(await f.s.listUsersByAccountInfo(newTenant(), { email }, true)).toEqual([]);
    });

    it("reports verification per (recipe user, email) in getUser", async () => {
      const email = newEmail();
      const user = await createUser(newTenant(), email);
      await f.s.markEmailVerified(user.id, newEmail());
      expect((await f.s.getUser(user.id))?.loginMethods[0]?.verified).toBe(false);
      await f.s.markEmailVerified(user.id, email);
      expect((await f.s.getUser(user.id))?.loginMethods[0]?.verified).toBe(true);
    });
  });

  describe("email verification", () => {
    it("is per (recipe user, email) and marking twice is harmless", async () => {
      const userId = id("user");
      const email = newEmail();
      expect(await f.s.isEmailVerified(userId, email)).toBe(false);
      await f.s.markEmailVerified(userId, email);
      await f.s2.markEmailVerified(userId, email);
      expect(await f.s.isEmailVerified(userId, email)).toBe(true);
      expect(await f.s.isEmailVerified(userId, newEmail())).toBe(false);
      expect(await f.s.isEmailVerified(id("user"), email)).toBe(false);
    });
  });

  describe("deleteUser", () => {
    it("removes the user and everything hanging off it", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      const user = await createUser(tenantId, email);
      const other = await createUser(tenantId);
      await f.s.markEmailVerified(user.id, email);
      const userSession = session({ userId: user.id, tenantId });
      const otherSession = session({ userId: other.id, tenantId });
      await f.s.createSession(userSession);
      await f.s.createSession(otherSession);
      const token = resetToken(user.id, tenantId, { email });
      await f.s.createPasswordResetToken(token);

      expect(await f.s.deleteUser(user.id)).toBe(true);
      expect(await f.s.deleteUser(user.id)).toBe(false);

      expect(await f.s.getUser(user.id)).toBeUndefined();
      expect(await f.s.getPasswordHash(user.id)).toBeUndefined();
      expect(await f.s.findEmailPasswordLogin(tenantId, email)).toBeUndefined();
      expect(await f.s.isEmailVerified(user.id, email)).toBe(false);
      expect(await f.s.getSession(userSession.sessionHandle)).toBeUndefined();
      expect(await f.s.consumePasswordResetToken({ tokenHash: token.tokenHash, tenantId, now: NOW })).toEqual({
        status: "RESET_PASSWORD_INVALID_TOKEN_ERROR",
      });
      expect(await f.s.countUsers({ tenantId, includeRecipeIds: undefined })).toBe(1);
      // Someone else's data is untouched, and the email is free again.
      expect(await f.s.getSession(otherSession.sessionHandle)).toEqual(otherSession);
      await createUser(tenantId, email);
    });
  });
}
