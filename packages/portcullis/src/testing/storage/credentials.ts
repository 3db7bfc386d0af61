/** Conformance: credentials (login methods with their secrets), their uniqueness races and updates. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { StoredUser } from "../../storage/storage.js";
import { NOW, findLogin, id, newEmail, newTenant, type ConformanceFixtures } from "./fixtures.js";

export function describeCredentialConformance(f: ConformanceFixtures): void {
  const { createUser, either } = f;
  const emailPasswordUser = (input: { userId: string; tenantId: string; email: string; passwordHash: string; timeJoined: number }) => ({
    userId: input.userId,
    recipeId: "emailpassword" as const,
    tenantId: input.tenantId,
    identifier: { email: input.email },
    secretHash: input.passwordHash,
    timeJoined: input.timeJoined,
  });

  describe("credentials", () => {
    it("creates a user and returns it in StoredUser shape", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      const userId = id("user");
      const result = await f.s.credentials.createUser(emailPasswordUser({ userId, tenantId, email, passwordHash: "h1", timeJoined: NOW + 7 }));
      const expected: StoredUser = {
        id: userId,
        timeJoined: NOW + 7,
        tenantIds: [tenantId],
        loginMethods: [
          { recipeId: "emailpassword", recipeUserId: userId, tenantIds: [tenantId], email, verified: false, timeJoined: NOW + 7 },
        ],
      };
      expect(result).toEqual({ status: "OK", user: expected });
      expect(await f.s2.users.get(userId)).toEqual(expected);
      expect(await f.s.users.get(id("user"))).toBeUndefined();
    });

    it("treats the same email in two tenants as two users", async () => {
      const email = newEmail();
      const a = await createUser(newTenant(), email);
      const tenantB = newTenant();
      const b = await createUser(tenantB, email);
      expect(a.id).not.toBe(b.id);
      expect((await findLogin(f.s, tenantB, email))?.user.id).toBe(b.id);
    });

    it("refuses a duplicate email in one tenant with a typed result and writes nothing", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      await createUser(tenantId, email);
      const loserId = id("user");
      const result = await f.s2.credentials.createUser(emailPasswordUser({ userId: loserId, tenantId, email, passwordHash: "h", timeJoined: NOW }));
      expect(result).toEqual({ status: "IDENTIFIER_TAKEN" });
      expect(await f.s.users.get(loserId)).toBeUndefined();
      expect(await f.s.credentials.getSecretHash(loserId)).toBeUndefined();
      expect(await f.s.users.count({ tenantId, includeRecipeIds: undefined })).toBe(1);
    });

    it("lets exactly one of 20 concurrent sign-ups of one email win", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          either(i).credentials.createUser(emailPasswordUser({ userId: id("user"), tenantId, email, passwordHash: `h${i}`, timeJoined: NOW })),
        ),
      );
      expect(results.filter((result) => result.status === "OK")).toHaveLength(1);
      expect(results.filter((result) => result.status === "IDENTIFIER_TAKEN")).toHaveLength(19);
      expect(await f.s.users.listByAccountInfo(tenantId, { email }, false)).toHaveLength(1);
      expect(await f.s.users.count({ tenantId, includeRecipeIds: undefined })).toBe(1);
    });

    it("stores emails exactly as given", async () => {
      const tenantId = newTenant();
      const email = `Mixed.Case+${randomUUID()}@Example.COM`;
      const user = await createUser(tenantId, email);
      expect(user.loginMethods[0]?.email).toBe(email);
      expect(await findLogin(f.s, tenantId, email.toLowerCase())).toBeUndefined();
      // A differently-cased address is a different key here; normalising is the engine's job.
      await createUser(tenantId, email.toLowerCase());
    });

    it("finds a credential with its user and secret, only in its own tenant and recipe", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      const user = await createUser(tenantId, email, { passwordHash: "phc-1" });
      expect(await findLogin(f.s, tenantId, email)).toEqual({ user, recipeUserId: user.id, secretHash: "phc-1" });
      expect(await findLogin(f.s, newTenant(), email)).toBeUndefined();
      expect(await findLogin(f.s, tenantId, newEmail())).toBeUndefined();
      expect(await f.s.credentials.find("passwordless", tenantId, { email })).toBeUndefined();
    });

    it("finds a user of several tenants with every tenant listed", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      const user = await createUser(tenantId, email);
      // No port adds a tenant to a user yet; the rows are what account linking will write.
      const found = await findLogin(f.s2, tenantId, email);
      expect(found?.user).toEqual(user);
      expect(found?.user.tenantIds).toEqual([tenantId]);
    });

    it("keeps phone-number and secretless credentials of another recipe apart", async () => {
      const tenantId = newTenant();
      const phoneNumber = `+1555${Math.floor(Math.random() * 1e7)}`;
      const email = newEmail();
      const userId = id("user");
      const created = await f.s.credentials.createUser({ userId, recipeId: "passwordless", tenantId, identifier: { phoneNumber }, timeJoined: NOW });
      expect(created).toMatchObject({ status: "OK", user: { id: userId, loginMethods: [{ recipeId: "passwordless", phoneNumber, verified: false }] } });
      expect(await f.s.credentials.find("passwordless", tenantId, { phoneNumber })).toMatchObject({ recipeUserId: userId, secretHash: undefined });
      expect(
        await f.s2.credentials.createUser({ userId: id("user"), recipeId: "passwordless", tenantId, identifier: { phoneNumber }, timeJoined: NOW }),
      ).toEqual({ status: "IDENTIFIER_TAKEN" });
      // The same email under another recipe is another login method.
      await createUser(tenantId, email);
      expect(
        (await f.s.credentials.createUser({ userId: id("user"), recipeId: "passwordless", tenantId, identifier: { email }, timeJoined: NOW })).status,
      ).toBe("OK");
      expect(await f.s.users.listByAccountInfo(tenantId, { phoneNumber }, false)).toEqual([created.status === "OK" ? created.user : undefined]);
    });

    it("getSecretHash returns the hash, or undefined for an unknown user", async () => {
      const user = await createUser(newTenant(), newEmail(), { passwordHash: "phc-2" });
      expect(await f.s.credentials.getSecretHash(user.id)).toBe("phc-2");
      expect(await f.s.credentials.getSecretHash(id("user"))).toBeUndefined();
    });

    it("swapSecretHash is a compare-and-swap", async () => {
      const user = await createUser(newTenant(), newEmail(), { passwordHash: "legacy" });
      expect(await f.s.credentials.swapSecretHash(user.id, "not-the-hash", "upgraded")).toBe(false);
      expect(await f.s.credentials.getSecretHash(user.id)).toBe("legacy");
      expect(await f.s.credentials.swapSecretHash(user.id, "legacy", "upgraded")).toBe(true);
      expect(await f.s.credentials.getSecretHash(user.id)).toBe("upgraded");
      expect(await f.s.credentials.swapSecretHash(user.id, "legacy", "again")).toBe(false);
      expect(await f.s.credentials.getSecretHash(user.id)).toBe("upgraded");
      expect(await f.s.credentials.swapSecretHash(id("user"), "legacy", "x")).toBe(false);
    });

    it("lets exactly one of concurrent upgrades from one expected hash win", async () => {
      const user = await createUser(newTenant(), newEmail(), { passwordHash: "legacy" });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => either(i).credentials.swapSecretHash(user.id, "legacy", `new-${i}`)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await f.s.credentials.getSecretHash(user.id)).toBe(`new-${results.indexOf(true)}`);
    });

    it("update changes identifier and secret", async () => {
      const tenantId = newTenant();
      const oldEmail = newEmail();
      const user = await createUser(tenantId, oldEmail, { passwordHash: "p1" });
      await f.s.emailVerification.markVerified(user.id, oldEmail);
      const newAddress = newEmail();
      const update = (userId: string, change: { email?: string; passwordHash?: string }) =>
        f.s.credentials.update("emailpassword", userId, {
          ...(change.email !== undefined ? { identifier: { email: change.email } } : {}),
          ...(change.passwordHash !== undefined ? { secretHash: change.passwordHash } : {}),
        });

      expect(await update(user.id, { email: newAddress })).toBe("OK");
      expect(await findLogin(f.s, tenantId, oldEmail)).toBeUndefined();
      const found = await findLogin(f.s, tenantId, newAddress);
      expect(found?.recipeUserId).toBe(user.id);
      expect(found?.user.loginMethods[0]).toMatchObject({ email: newAddress, verified: false });
      // The old address can be taken by someone else now.
      await createUser(tenantId, oldEmail);

      expect(await update(user.id, { passwordHash: "p2" })).toBe("OK");
      expect(await f.s.credentials.getSecretHash(user.id)).toBe("p2");
      expect(await update(user.id, {})).toBe("OK");
      expect(await update(user.id, { email: newAddress })).toBe("OK");
      expect(await update(id("user"), { email: newEmail() })).toBe("UNKNOWN_CREDENTIAL");
      // A login method of another recipe is not this recipe's credential.
      expect(await f.s.credentials.update("passwordless", user.id, { secretHash: "x" })).toBe("UNKNOWN_CREDENTIAL");
      expect(await f.s.credentials.getSecretHash(user.id)).toBe("p2");
    });

    it("update to a taken email fails with a typed result and changes nothing", async () => {
      const tenantId = newTenant();
      const takenEmail = newEmail();
      const ownEmail = newEmail();
      await createUser(tenantId, takenEmail);
      const user = await createUser(tenantId, ownEmail, { passwordHash: "before" });

      expect(await f.s.credentials.update("emailpassword", user.id, { identifier: { email: takenEmail }, secretHash: "after" })).toBe(
        "IDENTIFIER_TAKEN",
      );
      expect(await f.s.credentials.getSecretHash(user.id)).toBe("before");
      expect((await f.s.users.get(user.id))?.loginMethods[0]?.email).toBe(ownEmail);
      expect((await findLogin(f.s, tenantId, ownEmail))?.recipeUserId).toBe(user.id);

      // Taken in another tenant only: allowed.
      const elsewhere = newEmail();
      await createUser(newTenant(), elsewhere);
      expect(await f.s.credentials.update("emailpassword", user.id, { identifier: { email: elsewhere } })).toBe("OK");
    });
  });
}
