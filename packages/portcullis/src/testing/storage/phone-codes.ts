/** Conformance: verified phone numbers, and SMS codes: replacement keeping the failure count, atomic use, scoping, deletion with the user and tenant. */
import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { PhoneCodeRecord, Storage, StoredUser } from "../../storage/storage.js";
import { NOW, id, newTenant, type ConformanceFixtures } from "./fixtures.js";

const MINUTE = 60_000;
const MAX = 5;
const PURPOSE = "password-reset";

const newPhone = (): string => `+1415${randomInt(1e7).toString().padStart(7, "0")}`;

export function describePhoneCodeConformance(f: ConformanceFixtures): void {
  /** A phone + password user in a fresh tenant. */
  async function phoneUser(tenantId = newTenant(), phoneNumber = newPhone()): Promise<{ user: StoredUser; tenantId: string; phoneNumber: string }> {
    const created = await f.s.credentials.createUser({ userId: id("user"), recipeId: "phonepassword", tenantId, identifier: { phoneNumber }, secretHash: "old-hash", timeJoined: NOW });
    if (created.status !== "OK") throw new Error("phoneUser: number taken");
    return { user: created.user, tenantId, phoneNumber };
  }

  function code(key: { tenantId: string; phoneNumber: string; userId: string }, overrides: Partial<PhoneCodeRecord> = {}): Omit<PhoneCodeRecord, "failedAttempts"> {
    return { purpose: PURPOSE, codeHash: id("hash"), codeSalt: id("salt"), createdAt: NOW, expiresAt: NOW + 10 * MINUTE, ...key, ...overrides };
  }

  const use = (storage: Storage, c: Omit<PhoneCodeRecord, "failedAttempts">, codeHash: string, extra: { now?: number; secretHash?: string; markVerified?: boolean } = {}) =>
    storage.phoneCodes.consume({
      tenantId: c.tenantId,
      purpose: c.purpose,
      phoneNumber: c.phoneNumber,
      codeHash,
      now: extra.now ?? NOW + MINUTE,
      maxFailedAttempts: MAX,
      ...(extra.secretHash !== undefined ? { andSetSecret: { recipeId: "phonepassword", secretHash: extra.secretHash } } : {}),
      ...(extra.markVerified === true ? { andMarkVerified: true } : {}),
    });

  describe("phone verification and phone codes", () => {
    it("marks a (user, number) verified, shows it on the login method, and not for another number", async () => {
      const { user, phoneNumber } = await phoneUser();
      expect(user.loginMethods[0]?.verified).toBe(false);
      await f.s.phoneVerification.markVerified(user.id, phoneNumber);
      await f.s.phoneVerification.markVerified(user.id, phoneNumber);
      expect(await f.s2.phoneVerification.isVerified(user.id, phoneNumber)).toBe(true);
      expect((await f.s2.users.get(user.id))?.loginMethods[0]?.verified).toBe(true);
      expect(await f.s.credentials.update("phonepassword", user.id, { identifier: { phoneNumber: newPhone() } })).toBe("OK");
      expect((await f.s.users.get(user.id))?.loginMethods[0]?.verified).toBe(false);
      expect(await f.s.phoneVerification.unmarkVerified(user.id, phoneNumber)).toBe(true);
      expect(await f.s.phoneVerification.isVerified(user.id, phoneNumber)).toBe(false);
    });

    it("uses a code once and sets the secret in the same transaction", async () => {
      const { user, tenantId, phoneNumber } = await phoneUser();
      const c = code({ tenantId, phoneNumber, userId: user.id });
      await f.s.phoneCodes.issue(c);
      expect((await f.s2.phoneCodes.get(tenantId, PURPOSE, phoneNumber))?.codeSalt).toBe(c.codeSalt);
      expect(await use(f.s, c, c.codeHash, { secretHash: "new-hash" })).toMatchObject({ status: "OK", code: { userId: user.id, failedAttempts: 0 } });
      expect(await f.s.credentials.getSecretHash(user.id)).toBe("new-hash");
      expect(await use(f.s, c, c.codeHash)).toEqual({ status: "RESTART" });
    });

    it("counts wrong and expired codes, voids at the limit, and keeps the count when a code is replaced in time", async () => {
      const { user, tenantId, phoneNumber } = await phoneUser();
      const first = code({ tenantId, phoneNumber, userId: user.id });
      await f.s.phoneCodes.issue(first);
      expect(await use(f.s, first, "wrong")).toEqual({ status: "INCORRECT_CODE", failedAttempts: 1 });
      expect(await use(f.s, first, first.codeHash, { now: first.expiresAt })).toEqual({ status: "EXPIRED_CODE", failedAttempts: 2 });
      // Replaced while the first was live: the count carries over.
      const second = code({ tenantId, phoneNumber, userId: user.id }, { createdAt: NOW + MINUTE, expiresAt: NOW + 11 * MINUTE });
      await f.s.phoneCodes.issue(second);
      expect(await use(f.s, second, first.codeHash)).toEqual({ status: "INCORRECT_CODE", failedAttempts: 3 });
      expect(await use(f.s, second, "wrong")).toEqual({ status: "INCORRECT_CODE", failedAttempts: 4 });
      expect(await use(f.s, second, "wrong")).toEqual({ status: "RESTART" });
      expect(await use(f.s, second, second.codeHash)).toEqual({ status: "RESTART" });
      // Replaced after the last one expired: a fresh count.
      await f.s.phoneCodes.issue(code({ tenantId, phoneNumber, userId: user.id }, { createdAt: NOW, expiresAt: NOW + 2 * MINUTE }));
      const later = code({ tenantId, phoneNumber, userId: user.id }, { createdAt: NOW + 3 * MINUTE, expiresAt: NOW + 13 * MINUTE });
      await use(f.s, later, "wrong");
      await f.s.phoneCodes.issue(later);
      expect((await f.s.phoneCodes.get(tenantId, PURPOSE, phoneNumber))?.failedAttempts).toBe(0);
    });

    it("gives a code to exactly one of many concurrent uses", async () => {
      const { user, tenantId, phoneNumber } = await phoneUser();
      const c = code({ tenantId, phoneNumber, userId: user.id });
      await f.s.phoneCodes.issue(c);
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => use(f.either(i), c, c.codeHash, { secretHash: `hash-${i}`, markVerified: true })));
      expect(results.filter((r) => r.status === "OK")).toHaveLength(1);
      expect(results.filter((r) => r.status !== "OK").every((r) => r.status === "RESTART")).toBe(true);
      expect(await f.s.phoneVerification.isVerified(user.id, phoneNumber)).toBe(true);
    });

    it("scopes codes by tenant and purpose, spends a code whose login lost the number, and deletes with user and tenant", async () => {
      const { user, tenantId, phoneNumber } = await phoneUser();
      const c = code({ tenantId, phoneNumber, userId: user.id });
      await f.s.phoneCodes.issue(c);
      expect(await use(f.s, { ...c, tenantId: newTenant() }, c.codeHash)).toEqual({ status: "RESTART" });
      expect(await use(f.s, { ...c, purpose: "phone-verification" }, c.codeHash)).toEqual({ status: "RESTART" });
      await f.s.credentials.update("phonepassword", user.id, { identifier: { phoneNumber: newPhone() } });
      expect(await use(f.s, c, c.codeHash, { secretHash: "new-hash" })).toEqual({ status: "RESTART" });
      expect(await f.s.credentials.getSecretHash(user.id)).toBe("old-hash");

      const other = await phoneUser();
      await f.s.phoneCodes.issue(code({ tenantId: other.tenantId, phoneNumber: other.phoneNumber, userId: other.user.id }));
      await f.s.phoneVerification.markVerified(other.user.id, other.phoneNumber);
      await f.s.users.delete(other.user.id);
      expect(await f.s.phoneCodes.get(other.tenantId, PURPOSE, other.phoneNumber)).toBeUndefined();
      expect(await f.s.phoneVerification.isVerified(other.user.id, other.phoneNumber)).toBe(false);

      const third = await phoneUser();
      await f.s.tenants.upsert(third.tenantId, {}, NOW);
      await f.s.phoneCodes.issue(code({ tenantId: third.tenantId, phoneNumber: third.phoneNumber, userId: third.user.id }));
      await f.s.tenants.delete(third.tenantId);
      expect(await f.s.phoneCodes.get(third.tenantId, PURPOSE, third.phoneNumber)).toBeUndefined();
    });

    it("sweeps expired codes and deletes one by key", async () => {
      const { user, tenantId, phoneNumber } = await phoneUser();
      await f.s.phoneCodes.issue(code({ tenantId, phoneNumber, userId: user.id }, { expiresAt: NOW - 1 }));
      expect(await f.s.phoneCodes.deleteExpired(NOW)).toBeGreaterThanOrEqual(1);
      expect(await f.s.phoneCodes.get(tenantId, PURPOSE, phoneNumber)).toBeUndefined();
      await f.s.phoneCodes.issue(code({ tenantId, phoneNumber, userId: user.id }));
      expect(await f.s.phoneCodes.delete(tenantId, PURPOSE, phoneNumber)).toBe(true);
      expect(await f.s.phoneCodes.delete(tenantId, PURPOSE, phoneNumber)).toBe(false);
    });
  });
}
