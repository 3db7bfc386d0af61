/** Conformance: tenant records, and what deleting a tenant takes with it. */
import { describe, expect, it } from "vitest";
import { NOW, consumeReset, findLogin, id, newTenant, newEmail, type ConformanceFixtures } from "./fixtures.js";

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
      // A user only in the deleted tenant goes with it.
      expect(await f.s.users.get(inDoomed.id)).toBeUndefined();
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

    it("deleteTenant keeps a user who also belongs elsewhere, without what it had in the deleted tenant", async () => {
      const doomed = newTenant();
      const other = newTenant();
      await f.s.tenants.upsert(doomed, {}, NOW);
      await f.s.tenants.upsert(other, {}, NOW);
      const email = newEmail();
      const user = await createUser(other, email);
      expect(await f.s.credentials.associateWithTenant(user.id, doomed, { tenantMustExist: true })).toEqual({ status: "OK", wasAlreadyAssociated: false });
      const doomedSession = session({ userId: user.id, tenantId: doomed });
      const otherSession = session({ userId: user.id, tenantId: other });
      await f.s.sessions.create(doomedSession);
      await f.s.sessions.create(otherSession);
      await f.s.roles.createRoleOrAddPermissions("conformance-member", []);
      await f.s.roles.assignRole(doomed, user.id, "conformance-member");
      await f.s.roles.assignRole(other, user.id, "conformance-member");

      expect(await f.s2.tenants.delete(doomed)).toBe(true);

      expect((await f.s.users.get(user.id))?.tenantIds).toEqual([other]);
      expect(await f.s.sessions.get(doomedSession.sessionHandle)).toBeUndefined();
      expect(await f.s.sessions.get(otherSession.sessionHandle)).toEqual(otherSession);
      expect(await f.s.roles.rolesOfUser(doomed, user.id)).toEqual([]);
      expect(await f.s.roles.rolesOfUser(other, user.id)).toEqual(["conformance-member"]);
      expect((await findLogin(f.s, other, email))?.user.id).toBe(user.id);
    });
  });

  describe("tenant association", () => {
    it("associates a login method with a tenant once, and signs in there with the same secret", async () => {
      const home = newTenant();
      const extra = newTenant();
      await f.s.tenants.upsert(extra, {}, NOW);
      const email = newEmail();
      const user = await createUser(home, email, { passwordHash: "h-assoc" });
      expect(await f.s.credentials.associateWithTenant(user.id, extra, { tenantMustExist: true })).toEqual({ status: "OK", wasAlreadyAssociated: false });
      expect(await f.s2.credentials.associateWithTenant(user.id, extra, { tenantMustExist: true })).toEqual({ status: "OK", wasAlreadyAssociated: true });
      const found = await findLogin(f.s2, extra, email);
      expect(found?.user.id).toBe(user.id);
      expect(found?.secretHash).toBe("h-assoc");
      expect(found?.user.tenantIds.sort()).toEqual([home, extra].sort());
      expect(found?.user.loginMethods[0]?.tenantIds.sort()).toEqual([home, extra].sort());
    });

    it("answers UNKNOWN_USER, UNKNOWN_TENANT and IDENTIFIER_TAKEN, writing nothing", async () => {
      const tenant = newTenant();
      await f.s.tenants.upsert(tenant, {}, NOW);
      expect(await f.s.credentials.associateWithTenant(id("user"), tenant, { tenantMustExist: true })).toEqual({ status: "UNKNOWN_USER" });
      const email = newEmail();
      const user = await createUser(newTenant(), email);
      const missing = newTenant();
      expect(await f.s.credentials.associateWithTenant(user.id, missing, { tenantMustExist: true })).toEqual({ status: "UNKNOWN_TENANT" });
      // Without the check (the always-present default tenant), no tenant row is needed.
      expect(await f.s.credentials.associateWithTenant(user.id, missing, { tenantMustExist: false })).toEqual({ status: "OK", wasAlreadyAssociated: false });
      await createUser(tenant, email);
      expect(await f.s.credentials.associateWithTenant(user.id, tenant, { tenantMustExist: true })).toEqual({ status: "IDENTIFIER_TAKEN", identifier: "email" });
      expect((await f.s.users.get(user.id))?.tenantIds).not.toContain(tenant);

      const phoneUser = await f.s.credentials.createUser({ userId: id("user"), recipeId: "passwordless", tenantId: newTenant(), identifier: { phoneNumber: "+14155550100" }, timeJoined: NOW });
      const phoneTaken = await f.s.credentials.createUser({ userId: id("user"), recipeId: "passwordless", tenantId: tenant, identifier: { phoneNumber: "+14155550100" }, timeJoined: NOW });
      if (phoneUser.status !== "OK" || phoneTaken.status !== "OK") throw new Error("phone users not created");
      expect(await f.s.credentials.associateWithTenant(phoneUser.user.id, tenant, { tenantMustExist: true })).toEqual({ status: "IDENTIFIER_TAKEN", identifier: "phoneNumber" });
    });

    it("lets exactly one of concurrent associations of one email to a tenant win", async () => {
      const tenant = newTenant();
      await f.s.tenants.upsert(tenant, {}, NOW);
      const email = newEmail();
      const users = await Promise.all(Array.from({ length: 6 }, () => createUser(newTenant(), email)));
      const results = await Promise.all(users.map((user, i) => either(i).credentials.associateWithTenant(user.id, tenant, { tenantMustExist: true })));
      expect(results.filter((result) => result.status === "OK")).toHaveLength(1);
      expect(results.filter((result) => result.status === "IDENTIFIER_TAKEN")).toHaveLength(5);
      expect(await f.s.users.count({ tenantId: tenant, includeRecipeIds: undefined })).toBe(1);
    });

    it("disassociates with the sessions, tokens and roles the user had in that tenant only", async () => {
      const home = newTenant();
      const extra = newTenant();
      await f.s.tenants.upsert(extra, {}, NOW);
      const email = newEmail();
      const user = await createUser(home, email);
      await f.s.credentials.associateWithTenant(user.id, extra, { tenantMustExist: true });
      const extraSession = session({ userId: user.id, tenantId: extra });
      const homeSession = session({ userId: user.id, tenantId: home });
      await f.s.sessions.create(extraSession);
      await f.s.sessions.create(homeSession);
      const extraToken = resetToken(user.id, extra, { email });
      const homeToken = resetToken(user.id, home, { email });
      await f.s.tokens.create(extraToken);
      await f.s.tokens.create(homeToken);
      await f.s.roles.createRoleOrAddPermissions("conformance-assoc", []);
      await f.s.roles.assignRole(extra, user.id, "conformance-assoc");
      await f.s.roles.assignRole(home, user.id, "conformance-assoc");

      expect(await f.s2.credentials.disassociateFromTenant(user.id, extra)).toEqual({ wasAssociated: true });
      expect(await f.s2.credentials.disassociateFromTenant(user.id, extra)).toEqual({ wasAssociated: false });

      expect(await findLogin(f.s, extra, email)).toBeUndefined();
      expect((await f.s.users.get(user.id))?.tenantIds).toEqual([home]);
      expect(await f.s.sessions.get(extraSession.sessionHandle)).toBeUndefined();
      expect(await f.s.sessions.get(homeSession.sessionHandle)).toEqual(homeSession);
      expect(await f.s.roles.rolesOfUser(extra, user.id)).toEqual([]);
      expect(await f.s.roles.rolesOfUser(home, user.id)).toEqual(["conformance-assoc"]);
      expect(await consumeReset(f.s, { tokenHash: extraToken.tokenHash, tenantId: extra, now: NOW })).toEqual({ status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" });
      expect(await consumeReset(f.s, { tokenHash: homeToken.tokenHash, tenantId: home, now: NOW })).toMatchObject({ status: "OK" });
    });
  });
}
