/** Conformance: tenant records, and what deleting a tenant takes with it. */
import { describe, expect, it } from "vitest";
import { NOW, newTenant, newEmail, type ConformanceFixtures } from "./fixtures.js";

export function describeTenantConformance(f: ConformanceFixtures): void {
  const { createUser, session, resetToken, either } = f;
  describe("tenants", () => {
    it("creates, then updates the config while keeping createdAt", async () => {
      const tenantId = newTenant();
      const config = { firstFactors: ["emailpassword"], core: { nested: { n: 1.5, s: "x", b: false, z: null } } };
      expect(await f.s.upsertTenant(tenantId, config, NOW)).toEqual({ createdNew: true });
      expect(await f.s.getTenant(tenantId)).toEqual({ tenantId, config, createdAt: NOW });

      expect(await f.s2.upsertTenant(tenantId, { other: [1] }, NOW + 5)).toEqual({ createdNew: false });
      expect(await f.s.getTenant(tenantId)).toEqual({ tenantId, config: { other: [1] }, createdAt: NOW });
    });

    it("returns undefined for an unknown tenant and lists known ones", async () => {
      expect(await f.s.getTenant(newTenant())).toBeUndefined();
      const a = newTenant();
      const b = newTenant();
      await f.s.upsertTenant(a, {}, NOW);
      await f.s.upsertTenant(b, { x: 1 }, NOW + 1);
      const listed = await f.s2.listTenants();
      expect(listed).toContainEqual({ tenantId: a, config: {}, createdAt: NOW });
      expect(listed).toContainEqual({ tenantId: b, config: { x: 1 }, createdAt: NOW + 1 });
    });

    it("reports createdNew exactly once when instances create one tenant concurrently", async () => {
      const tenantId = newTenant();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => either(i).upsertTenant(tenantId, { i }, NOW)),
      );
      expect(results.filter((result) => result.createdNew)).toHaveLength(1);
    });

    it("deleteTenant removes the tenant and what is scoped to it, nothing else", async () => {
      const doomed = newTenant();
      const kept = newTenant();
      await f.s.upsertTenant(doomed, {}, NOW);
      await f.s.upsertTenant(kept, {}, NOW);
      const email = newEmail();
      const inDoomed = await createUser(doomed, email);
      const inKept = await createUser(kept, email);
      const doomedSession = session({ userId: inDoomed.id, tenantId: doomed });
      const keptSession = session({ userId: inKept.id, tenantId: kept });
      await f.s.createSession(doomedSession);
      await f.s.createSession(keptSession);
      const doomedToken = resetToken(inDoomed.id, doomed, { email });
      const keptToken = resetToken(inKept.id, kept, { email });
      await f.s.createPasswordResetToken(doomedToken);
      await f.s.createPasswordResetToken(keptToken);

      expect(await f.s.deleteTenant(doomed)).toBe(true);
      expect(await f.s.deleteTenant(doomed)).toBe(false);

      expect(await f.s.getTenant(doomed)).toBeUndefined();
      expect(await f.s.getTenant(kept)).toBeDefined();
      expect((await f.s.getUser(inDoomed.id))?.tenantIds).toEqual([]);
      expect(await f.s.findEmailPasswordLogin(doomed, email)).toBeUndefined();
      expect(await f.s.countUsers({ tenantId: doomed, includeRecipeIds: undefined })).toBe(0);
      expect(await f.s.getSession(doomedSession.sessionHandle)).toBeUndefined();
      expect(
        await f.s.consumePasswordResetToken({ tokenHash: doomedToken.tokenHash, tenantId: doomed, now: NOW }),
      ).toEqual({ status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" });

      expect((await f.s.findEmailPasswordLogin(kept, email))?.user.id).toBe(inKept.id);
      expect(await f.s.getSession(keptSession.sessionHandle)).toEqual(keptSession);
      expect(await f.s.consumePasswordResetToken({ tokenHash: keptToken.tokenHash, tenantId: kept, now: NOW })).toMatchObject({
        status: "OK",
      });
    });
  });
}
