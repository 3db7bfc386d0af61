/** Conformance: sessions, refresh-token rotation and confirmation (compare-and-swap), revocation and expiry. */
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

    const DAY = 24 * HOUR;
    /** Rotation inputs around NOW: idle expiry in two hours, absolute lifetime ten days. */
    const rotation = (sessionHandle: string, presentedHash2: string, childHash2: string, overrides: { now?: number; idleExpiresAt?: number; absoluteLifetimeMs?: number } = {}) => ({
      sessionHandle,
      presentedHash2,
      child: { hash2: childHash2, sealed: `sealed-${childHash2}` },
      now: NOW,
      idleExpiresAt: NOW + 2 * HOUR,
      absoluteLifetimeMs: 10 * DAY,
      ...overrides,
    });

    it("rotateRefreshToken pends a child under the confirmed token, confirms it on its first use, and never moves for a spent token", async () => {
      const record = session();
      const c0 = record.refreshTokenHash2;
      await f.s.sessions.create(record);

      expect(await f.s.sessions.rotateRefreshToken(rotation(record.sessionHandle, "unknown", "c1"))).toBeUndefined();
      expect(await f.s.sessions.get(record.sessionHandle)).toEqual(record);

      const pended = { ...record, pendingRefreshTokenHash2: "c1", sealedPendingRefreshToken: "sealed-c1", expiresAt: NOW + 2 * HOUR };
      expect(await f.s.sessions.rotateRefreshToken(rotation(record.sessionHandle, c0, "c1"))).toEqual(pended);
      expect(await f.s2.sessions.get(record.sessionHandle)).toEqual(pended);
      // The confirmed token again, with its child pending: nothing moves (the caller unseals the child).
      expect(await f.s.sessions.rotateRefreshToken(rotation(record.sessionHandle, c0, "c1-other"))).toBeUndefined();
      expect(await f.s.sessions.get(record.sessionHandle)).toEqual(pended);

      // First use of the child: it is confirmed and a grandchild is pending, in the same statement.
      const later = { now: NOW + HOUR, idleExpiresAt: NOW + 3 * HOUR };
      expect(await f.s2.sessions.rotateRefreshToken(rotation(record.sessionHandle, "c1", "c2", later))).toEqual({
        ...record,
        refreshTokenHash2: "c1",
        pendingRefreshTokenHash2: "c2",
        sealedPendingRefreshToken: "sealed-c2",
        expiresAt: NOW + 3 * HOUR,
      });
      // The spent parent and the confirmed child's stale pending state move nothing.
      expect(await f.s.sessions.rotateRefreshToken(rotation(record.sessionHandle, c0, "c9", later))).toBeUndefined();
      expect(await f.s.sessions.rotateRefreshToken(rotation(record.sessionHandle, "c1", "c9", later))).toBeUndefined();
      expect(await f.s.sessions.get(record.sessionHandle)).toMatchObject({ refreshTokenHash2: "c1", pendingRefreshTokenHash2: "c2" });
      expect(await f.s.sessions.rotateRefreshToken(rotation(id("session"), c0, "c1"))).toBeUndefined();
    });

    it("rotateRefreshToken caps the sliding expiry at createdAt + the absolute lifetime and refuses a session that is over", async () => {
      const record = session({ createdAt: NOW, expiresAt: NOW + HOUR });
      await f.s.sessions.create(record);
      const capped = await f.s.sessions.rotateRefreshToken(
        rotation(record.sessionHandle, record.refreshTokenHash2, "c1", { now: NOW + HOUR / 2, idleExpiresAt: NOW + 10 * HOUR, absoluteLifetimeMs: 2 * HOUR }),
      );
      expect(capped?.expiresAt).toBe(NOW + 2 * HOUR);
      // At createdAt + the absolute lifetime the session is over, however live its sliding expiry.
      expect(
        await f.s.sessions.rotateRefreshToken(rotation(record.sessionHandle, "c1", "c2", { now: NOW + 2 * HOUR, idleExpiresAt: NOW + 3 * HOUR, absoluteLifetimeMs: 2 * HOUR })),
      ).toBeUndefined();
      expect(await f.s.sessions.get(record.sessionHandle)).toMatchObject({ refreshTokenHash2: record.refreshTokenHash2, pendingRefreshTokenHash2: "c1" });

      const idle = session({ expiresAt: NOW });
      await f.s.sessions.create(idle);
      expect(await f.s.sessions.rotateRefreshToken(rotation(idle.sessionHandle, idle.refreshTokenHash2, "c1", { now: NOW + 1 }))).toBeUndefined();
      expect(await f.s.sessions.rotateRefreshToken(rotation(idle.sessionHandle, idle.refreshTokenHash2, "c1", { now: NOW }))).toBeDefined();
    });

    it("confirmRefreshToken is a compare-and-swap on the confirmed and the pending hash that also slides the expiry", async () => {
      const record = session();
      const c0 = record.refreshTokenHash2;
      await f.s.sessions.create(record);
      await f.s.sessions.rotateRefreshToken(rotation(record.sessionHandle, c0, "c1"));
      const confirm = (expectedHash2: string, expectedPendingHash2: string | null, newHash2: string, now = NOW) =>
        f.s.sessions.confirmRefreshToken({
          sessionHandle: record.sessionHandle,
          expectedHash2,
          expectedPendingHash2,
          newHash2,
          now,
          idleExpiresAt: now + 3 * HOUR,
          absoluteLifetimeMs: 10 * DAY,
        });

      expect(await confirm(c0, "other", "c1")).toBe(false);
      expect(await confirm("other", "c1", "c1")).toBe(false);
      expect(await confirm(c0, null, "c1")).toBe(false);
      expect(await f.s.sessions.get(record.sessionHandle)).toMatchObject({ refreshTokenHash2: c0, pendingRefreshTokenHash2: "c1" });
      expect(await confirm(c0, "c1", "c1")).toBe(true);
      expect(await f.s2.sessions.get(record.sessionHandle)).toEqual({
        ...record,
        refreshTokenHash2: "c1",
        pendingRefreshTokenHash2: null,
        sealedPendingRefreshToken: null,
        expiresAt: NOW + 3 * HOUR,
      });
      expect(await confirm(c0, "c1", "c1")).toBe(false);
      // With nothing pending, null matches.
      expect(await confirm("c1", null, "c2")).toBe(true);
      expect(await f.s.sessions.get(record.sessionHandle)).toMatchObject({ refreshTokenHash2: "c2", pendingRefreshTokenHash2: null });
      expect(await confirm("c2", null, "c3", NOW + 10 * DAY)).toBe(false);
      expect(
        await f.s.sessions.confirmRefreshToken({
          sessionHandle: id("session"),
          expectedHash2: "c2",
          expectedPendingHash2: null,
          newHash2: "x",
          now: NOW,
          idleExpiresAt: NOW,
          absoluteLifetimeMs: DAY,
        }),
      ).toBe(false);
    });

    it("lets exactly one of 10 concurrent rotations with the confirmed token pend its child, across two instances", async () => {
      const record = session();
      await f.s.sessions.create(record);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => either(i).sessions.rotateRefreshToken(rotation(record.sessionHandle, record.refreshTokenHash2, `child-${i}`))),
      );
      const winners = results.filter((result) => result !== undefined);
      expect(winners).toHaveLength(1);
      const winner = results.findIndex((result) => result !== undefined);
      expect(await f.s.sessions.get(record.sessionHandle)).toMatchObject({ refreshTokenHash2: record.refreshTokenHash2, pendingRefreshTokenHash2: `child-${winner}` });
    });

    it("lets exactly one of 10 concurrent first uses of the pending child confirm it, by refresh or by confirmation", async () => {
      const record = session();
      await f.s.sessions.create(record);
      await f.s.sessions.rotateRefreshToken(rotation(record.sessionHandle, record.refreshTokenHash2, "c1"));
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          i % 3 === 0
            ? either(i).sessions.confirmRefreshToken({
                sessionHandle: record.sessionHandle,
                expectedHash2: record.refreshTokenHash2,
                expectedPendingHash2: "c1",
                newHash2: "c1",
                now: NOW,
                idleExpiresAt: NOW + HOUR,
                absoluteLifetimeMs: DAY,
              })
            : either(i).sessions.rotateRefreshToken(rotation(record.sessionHandle, "c1", `grandchild-${i}`)),
        ),
      );
      const confirmations = results.filter((result) => result === true).length;
      const rotations = results.filter((result) => typeof result === "object").length;
      const after = await f.s.sessions.get(record.sessionHandle);
      expect(after?.refreshTokenHash2).toBe("c1");
      // Either a confirmation won (nothing pending, and then at most one rotation pended a grandchild
      // under the now-confirmed c1) or a rotation won first; never two rotations or two confirmations.
      expect(confirmations).toBeLessThanOrEqual(1);
      expect(rotations).toBeLessThanOrEqual(1);
      expect(confirmations + rotations).toBeGreaterThanOrEqual(1);
      if (rotations === 1) expect(after?.pendingRefreshTokenHash2).toMatch(/^grandchild-/);
      else expect(after?.pendingRefreshTokenHash2).toBeNull();
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
