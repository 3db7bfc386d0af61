/** Conformance: sessions, refresh-token compare-and-swap, revocation and expiry. */
import { describe, expect, it } from "vitest";
import { NOW, HOUR, id, newTenant, type ConformanceFixtures } from "./fixtures.js";

export function describeSessionConformance(f: ConformanceFixtures): void {
  const { session, either } = f;
  describe("sessions", () => {
    it("round-trips a session, including JSON payloads and the static-key flag", async () => {
      const a = session({ useStaticKey: true });
      const b = session({ useStaticKey: false, accessTokenPayload: {}, sessionData: {} });
      await f.s.sessions.create(a);
      await f.s.sessions.create(b);
      expect(await f.s2.sessions.get(a.sessionHandle)).toEqual(a);
      expect(await f.s2.sessions.get(b.sessionHandle)).toEqual(b);
      expect(await f.s.sessions.get(id("session"))).toBeUndefined();
    });

    it("swapRefreshTokenHash is a compare-and-swap that also slides the expiry", async () => {
      const record = session();
      await f.s.sessions.create(record);
      const move = (expectedHash2: string, newHash2: string) =>
        f.s.sessions.swapRefreshTokenHash({ sessionHandle: record.sessionHandle, expectedHash2, newHash2, newExpiresAt: NOW + 2 * HOUR });

      expect(await move("wrong", "h-next")).toBe(false);
      expect(await f.s.sessions.get(record.sessionHandle)).toEqual(record);
      expect(await move(record.refreshTokenHash2, "h-next")).toBe(true);
      expect(await f.s.sessions.get(record.sessionHandle)).toMatchObject({ refreshTokenHash2: "h-next", expiresAt: NOW + 2 * HOUR });
      expect(await move(record.refreshTokenHash2, "h-other")).toBe(false);
      expect(
        await f.s.sessions.swapRefreshTokenHash({ sessionHandle: id("session"), expectedHash2: "h-next", newHash2: "x", newExpiresAt: NOW }),
      ).toBe(false);
    });

    it("lets exactly one of 10 concurrent promotions from one expected hash win", async () => {
      const record = session();
      await f.s.sessions.create(record);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          either(i).sessions.swapRefreshTokenHash({
            sessionHandle: record.sessionHandle,
            expectedHash2: record.refreshTokenHash2,
            newHash2: `next-${i}`,
            newExpiresAt: NOW + i,
          }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(await f.s.sessions.get(record.sessionHandle)).toMatchObject({ refreshTokenHash2: `next-${winner}`, expiresAt: NOW + winner });
    });

    it("updates the access-token payload and the session data", async () => {
      const record = session();
      await f.s.sessions.create(record);
      expect(await f.s.sessions.updatePayload(record.sessionHandle, { claims: { a: [1, 2] } })).toBe(true);
      expect(await f.s2.sessions.updateData(record.sessionHandle, { cart: { items: 3 } })).toBe(true);
      expect(await f.s.sessions.get(record.sessionHandle)).toEqual({
        ...record,
        accessTokenPayload: { claims: { a: [1, 2] } },
        sessionData: { cart: { items: 3 } },
      });
      expect(await f.s.sessions.updatePayload(id("session"), {})).toBe(false);
      expect(await f.s.sessions.updateData(id("session"), {})).toBe(false);
    });

    it("revokeSessions returns only the handles that existed", async () => {
      const a = session();
      const b = session();
      await f.s.sessions.create(a);
      await f.s.sessions.create(b);
      const unknown = id("session");
      expect((await f.s.sessions.revoke([a.sessionHandle, unknown, b.sessionHandle])).sort()).toEqual(
        [a.sessionHandle, b.sessionHandle].sort(),
      );
      expect(await f.s.sessions.get(a.sessionHandle)).toBeUndefined();
      expect(await f.s.sessions.revoke([a.sessionHandle])).toEqual([]);
      expect(await f.s.sessions.revoke([])).toEqual([]);
    });

    it("lists a user's live sessions, per tenant or across tenants", async () => {
      const userId = id("user");
      const t1 = newTenant();
      const t2 = newTenant();
      const live1 = session({ userId, tenantId: t1, createdAt: NOW });
      const live2 = session({ userId, tenantId: t2, createdAt: NOW + 1 });
      const expired = session({ userId, tenantId: t1, expiresAt: NOW });
      const someoneElse = session({ tenantId: t1 });
      for (const record of [live1, live2, expired, someoneElse]) await f.s.sessions.create(record);

      expect(await f.s.sessions.listHandlesForUser(userId, undefined, NOW)).toEqual([live1.sessionHandle, live2.sessionHandle]);
      expect(await f.s.sessions.listHandlesForUser(userId, t1, NOW)).toEqual([live1.sessionHandle]);
      expect(await f.s.sessions.listHandlesForUser(userId, t2, NOW + HOUR)).toEqual([]);
    });

    it("revokes a user's sessions in one tenant, then in all", async () => {
      const userId = id("user");
      const t1 = newTenant();
      const t2 = newTenant();
      const a = session({ userId, tenantId: t1 });
      const b = session({ userId, tenantId: t1 });
      const c = session({ userId, tenantId: t2 });
      const other = session({ tenantId: t1 });
      for (const record of [a, b, c, other]) await f.s.sessions.create(record);

      expect((await f.s.sessions.revokeForUser(userId, t1)).sort()).toEqual([a.sessionHandle, b.sessionHandle].sort());
      expect(await f.s.sessions.listHandlesForUser(userId, undefined, NOW)).toEqual([c.sessionHandle]);
      await f.s.sessions.create({ ...a, sessionHandle: id("session") });
      expect(await f.s2.sessions.revokeForUser(userId, undefined)).toHaveLength(2);
      expect(await f.s.sessions.listHandlesForUser(userId, undefined, NOW)).toEqual([]);
      expect(await f.s.sessions.get(other.sessionHandle)).toEqual(other);
      expect(await f.s.sessions.revokeForUser(userId, undefined)).toEqual([]);
    });

    it("deleteExpiredSessions removes sessions whose expiry has passed", async () => {
      const far = NOW + 1000 * HOUR;
      const expiredA = session({ expiresAt: far - 2 });
      const expiredB = session({ expiresAt: far });
      const live = session({ expiresAt: far + 1 });
      for (const record of [expiredA, expiredB, live]) await f.s.sessions.create(record);

      expect(await f.s.sessions.deleteExpired(far)).toBeGreaterThanOrEqual(2);
      expect(await f.s.sessions.get(expiredA.sessionHandle)).toBeUndefined();
      expect(await f.s.sessions.get(expiredB.sessionHandle)).toBeUndefined();
      expect(await f.s.sessions.get(live.sessionHandle)).toEqual(live);
    });
  });
}
