/** Conformance: tenant records, and what deleting a tenant takes with it. */
import { describe, expect, it } from "vitest";
import { NOW, consumeReset, findLogin, newTenant, newEmail, type ConformanceFixtures } from "./fixtures.js";

export function describeTenantConformance(f: ConformanceFixtures): void {
  const { createUser, session, resetToken, either } = f;
  describe("tenants", () => {
    it("creates, then updates the config while keeping createdAt", async () => {
      const tenantId = newTenant();
      const config = { firstFactors: ["emailpassword"], core: { nested: { n: 1.5, s: "x", b: false, z: null } } };
      expect(await f.s.tenants.upsert(tenantId, config, NOW)).toEqual({ createdNew: true });
      expect(await f.s.tenants.get(tenantId)).toEqual({ tenantId, config, createdAt: NOW });

      expect(await f.s2.tenants.upsert(tenantId, { other: [1] }, NOW + 5)).toEqual({ createdNew: false });
      expect(await f.s.tenants.get(tenantId)).toEqual({ tenantId, config: { other: [1] }, createdAt: NOW });
    });

    it("returns undefined for an unknown tenant and lists known ones", async () => {
      expect(await f.s.tenants.get(newTenant())).toBeUndefined();
      const a = newTenant();
      const b = newTenant();
      await f.s.tenants.upsert(a, {}, NOW);
      await f.s.tenants.upsert(b, { x: 1 }, NOW + 1);
      const listed = await f.s2.tenants.list();
      expect(listed).toContainEqual({ tenantId: a, config: {}, createdAt: NOW });
      expect(listed).toContainEqual({ tenantId: b, config: { x: 1 }, createdAt: NOW + 1 });
    });

    it("reports createdNew exactly once when instances create one tenant concurrently", async () => {
      const tenantId = newTenant();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => either(i).tenants.upsert(tenantId, { i }, NOW)),
      );
      expect(results.filter((result) => result.createdNew)).toHaveLength(1);
    });

    it("deleteTenant removes the tenant and what is scoped to it, nothing else", async () => {
      const doomed = newTenant();
      const kept = newTenant();
      await f.s.tenants.upsert(doomed, {}, NOW);
      await f.s.tenants.upsert(kept, {}, NOW);
      const email = newEmail();
      const inDoomed = await createUser(doomed, email);
      const inKept = await createUser(kept, email);
      const doomedSession = session({ userId: inDoomed.id, tenantId: doomed });
      const keptSession = session({ userId: inKept.id, tenantId: kept });
      await f.s.sessions.create(doomedSession);
      await f.s.sessions.create(keptSession);
      const doomedToken = resetToken(inDoomed.id, doomed, { email });
      const keptToken = resetToken(inKept.id, kept, { email });
      await f.s.tokens.create(doomedToken);
      await f.s.tokens.create(keptToken);

      expect(await f.s.tenants.delete(doomed)).toBe(true);
      expect(await f.s.tenants.delete(doomed)).toBe(false);

      expect(await f.s.tenants.get(doomed)).toBeUndefined();
      expect(await f.s.tenants.get(kept)).toBeDefined();
      expect((await f.s.users.get(inDoomed.id))?.tenantIds).toEqual([]);
      expect(await findLogin(f.s, doomed, email)).toBeUndefined();
      expect(await f.s.users.count({ tenantId: doomed, includeRecipeIds: undefined })).toBe(0);
      expect(await f.s.sessions.get(doomedSession.sessionHandle)).toBeUndefined();
      expect(
        await consumeReset(f.s, { tokenHash: doomedToken.tokenHash, tenantId: doomed, now: NOW }),
      ).toEqual({ status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" });

      expect((await findLogin(f.s, kept, email))?.user.id).toBe(inKept.id);
      expect(await f.s.sessions.get(keptSession.sessionHandle)).toEqual(keptSession);
      expect(await consumeReset(f.s, { tokenHash: keptToken.tokenHash, tenantId: kept, now: NOW })).toMatchObject({
        status: "OK",
      });
    });
  });
}
