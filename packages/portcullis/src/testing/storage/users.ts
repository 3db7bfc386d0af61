/** Conformance: users (lookup, account info, listing, counting, deletion) and email-verification state. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Storage, StoredUser } from "../../storage/storage.js";
import { NOW, consumeReset, findLogin, id, newEmail, newTenant, type ConformanceFixtures } from "./fixtures.js";

export function describeUserConformance(f: ConformanceFixtures): void {
  const { createUser, session, resetToken } = f;
  describe("users", () => {
    it("listUsersByAccountInfo matches by email, phone, union or intersection, within the tenant", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      const user = await createUser(tenantId, email);
      expect(await f.s.users.listByAccountInfo(tenantId, { email }, false)).toEqual([user]);
      expect(await f.s.users.listByAccountInfo(tenantId, { email, phoneNumber: "+15550000000" }, true)).toEqual([user]);
      expect(await f.s.users.listByAccountInfo(tenantId, { email, phoneNumber: "+15550000000" }, false)).toEqual([]);
      expect(await f.s.users.listByAccountInfo(tenantId, { phoneNumber: "+15550000000" }, true)).toEqual([]);
      expect(await f.s.users.listByAccountInfo(tenantId, {}, true)).toEqual([]);
      expect(await f.s.users.listByAccountInfo(newTenant(), { email }, true)).toEqual([]);
    });

    it("reports verification per (recipe user, email) in getUser", async () => {
      const email = newEmail();
      const user = await createUser(newTenant(), email);
      await f.s.emailVerification.markVerified(user.id, newEmail());
      expect((await f.s.users.get(user.id))?.loginMethods[0]?.verified).toBe(false);
      await f.s.emailVerification.markVerified(user.id, email);
      expect((await f.s.users.get(user.id))?.loginMethods[0]?.verified).toBe(true);
    });
  });

  describe("email verification", () => {
    it("is per (recipe user, email) and marking twice is harmless", async () => {
      const userId = id("user");
      const email = newEmail();
      expect(await f.s.emailVerification.isVerified(userId, email)).toBe(false);
      await f.s.emailVerification.markVerified(userId, email);
      await f.s2.emailVerification.markVerified(userId, email);
      expect(await f.s.emailVerification.isVerified(userId, email)).toBe(true);
      expect(await f.s.emailVerification.isVerified(userId, newEmail())).toBe(false);
      expect(await f.s.emailVerification.isVerified(id("user"), email)).toBe(false);
    });

    it("markUnverified removes only that pair and reports whether it was verified", async () => {
      const userId = id("user");
      const email = newEmail();
      const other = newEmail();
      await f.s.emailVerification.markVerified(userId, email);
      await f.s.emailVerification.markVerified(userId, other);
      expect(await f.s.emailVerification.markUnverified(userId, email)).toBe(true);
      expect(await f.s2.emailVerification.markUnverified(userId, email)).toBe(false);
      expect(await f.s.emailVerification.isVerified(userId, email)).toBe(false);
      expect(await f.s.emailVerification.isVerified(userId, other)).toBe(true);
      await f.s.emailVerification.markVerified(userId, email);
      expect(await f.s.emailVerification.isVerified(userId, email)).toBe(true);
    });
  });

  describe("deleteUser", () => {
    it("removes the user and everything hanging off it", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      const user = await createUser(tenantId, email);
      const other = await createUser(tenantId);
      await f.s.emailVerification.markVerified(user.id, email);
      const userSession = session({ userId: user.id, tenantId });
      const otherSession = session({ userId: other.id, tenantId });
      await f.s.sessions.create(userSession);
      await f.s.sessions.create(otherSession);
      const token = resetToken(user.id, tenantId, { email });
      await f.s.tokens.create(token);

      expect(await f.s.users.delete(user.id)).toBe(true);
      expect(await f.s.users.delete(user.id)).toBe(false);

      expect(await f.s.users.get(user.id)).toBeUndefined();
      expect(await f.s.credentials.getSecretHash(user.id)).toBeUndefined();
      expect(await findLogin(f.s, tenantId, email)).toBeUndefined();
      expect(await f.s.emailVerification.isVerified(user.id, email)).toBe(false);
      expect(await f.s.sessions.get(userSession.sessionHandle)).toBeUndefined();
      expect(await consumeReset(f.s, { tokenHash: token.tokenHash, tenantId, now: NOW })).toEqual({
        status: "RESET_PASSWORD_INVALID_TOKEN_ERROR",
      });
      expect(await f.s.users.count({ tenantId, includeRecipeIds: undefined })).toBe(1);
      // Someone else's data is untouched, and the email is free again.
      expect(await f.s.sessions.get(otherSession.sessionHandle)).toEqual(otherSession);
      await createUser(tenantId, email);
    });
  });

  describe("listUsers and countUsers", () => {
    // Six users in a fresh tenant; two share a timeJoined so the user-id tie-break is exercised.
    async function seed(tenantId: string): Promise<string[]> {
      const ids: string[] = [];
      for (const [i, offset] of [5, 1, 3, 3, 9, 7].entries()) {
        const user = await createUser(tenantId, `${i}-${randomUUID()}@example.com`, { timeJoined: NOW + offset });
        ids.push(user.id);
      }
      return ids;
    }

    async function pageAll(
      storage: Storage,
      input: { tenantId: string | undefined; order: "ASC" | "DESC"; limit: number; includeRecipeIds?: string[] },
    ): Promise<{ users: StoredUser[]; pages: number }> {
      const users: StoredUser[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await storage.users.list({
          tenantId: input.tenantId,
          order: input.order,
          limit: input.limit,
          paginationToken: token,
          includeRecipeIds: input.includeRecipeIds,
          query: undefined,
        });
        expect(page.users.length).toBeLessThanOrEqual(input.limit);
        users.push(...page.users);
        token = page.nextPaginationToken;
        pages++;
      } while (token !== undefined);
      return { users, pages };
    }

    const byKey = (a: StoredUser, b: StoredUser) =>
      a.timeJoined - b.timeJoined || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

    it("pages through a tenant in both orders with an opaque token", async () => {
      const tenantId = newTenant();
      await seed(tenantId);
      const asc = await pageAll(f.s, { tenantId, order: "ASC", limit: 2 });
      expect(asc.users).toHaveLength(6);
      expect(asc.pages).toBe(3);
      const timesAsc = asc.users.map((user) => user.timeJoined);
      expect(timesAsc).toEqual([...timesAsc].sort((a, b) => a - b));

      const desc = await pageAll(f.s2, { tenantId, order: "DESC", limit: 4 });
      expect(desc.users.map((user) => user.id)).toEqual(asc.users.map((user) => user.id).reverse());
      expect(desc.pages).toBe(2);

      // Users sharing a timeJoined keep one consistent order across pages.
      expect(new Set(asc.users.map((user) => user.id)).size).toBe(6);
      const first = await f.s.users.list({ tenantId, order: "ASC", limit: 6, paginationToken: undefined, includeRecipeIds: undefined, query: undefined });
      expect(first.users.map((user) => user.id)).toEqual(asc.users.map((user) => user.id));
      expect(first.nextPaginationToken).toBeUndefined();
    });

    it("filters by includeRecipeIds", async () => {
      const tenantId = newTenant();
      const ids = await seed(tenantId);
      const included = await pageAll(f.s, { tenantId, order: "ASC", limit: 4, includeRecipeIds: ["emailpassword"] });
      expect(included.users.map((user) => user.id).sort()).toEqual([...ids].sort());
      const excluded = await pageAll(f.s, { tenantId, order: "DESC", limit: 4, includeRecipeIds: ["passwordless", "thirdparty"] });
      expect(excluded.users).toEqual([]);
      expect(await f.s.users.count({ tenantId, includeRecipeIds: ["emailpassword"] })).toBe(6);
      expect(await f.s.users.count({ tenantId, includeRecipeIds: ["passwordless"] })).toBe(0);
    });

    it("lists across every tenant when tenantId is undefined", async () => {
      const tenantA = newTenant();
      const tenantB = newTenant();
      const ids = [...(await seed(tenantA)), ...(await seed(tenantB))];
      for (const order of ["ASC", "DESC"] as const) {
        const all = await pageAll(f.s, { tenantId: undefined, order, limit: 7 });
        const ours = all.users.filter((user) => ids.includes(user.id));
        expect(ours).toHaveLength(12);
        const sorted = [...ours].sort(byKey);
        expect(ours).toEqual(order === "ASC" ? sorted : sorted.reverse());
        expect(new Set(all.users.map((user) => user.id)).size).toBe(all.users.length);
      }
    });

    it("searches email by case-insensitive substring, literally", async () => {
      const tenantId = newTenant();
      const marker = randomUUID().slice(0, 8);
      const match = await createUser(tenantId, `Some.${marker}_X@Example.com`);
      await createUser(tenantId, `other.${marker}@example.com`);
      const search = (query: Record<string, string>) =>
        f.s.users.list({ tenantId, order: "ASC", limit: 10, paginationToken: undefined, includeRecipeIds: undefined, query });

      expect((await search({ email: `${marker.toUpperCase()}_x@EXAMPLE` })).users.map((user) => user.id)).toEqual([match.id]);
      expect((await search({ email: "example.com" })).users).toHaveLength(2);
      // LIKE wildcards in the query match only themselves.
      expect((await search({ email: "%" })).users).toEqual([]);
      expect((await search({ email: "_" })).users.map((user) => user.id)).toEqual([match.id]);
      expect((await search({ phone: "+1" })).users).toEqual([]);
    });

    it("rejects a malformed pagination token", async () => {
      await expect(
        f.s.users.list({ tenantId: undefined, order: "ASC", limit: 1, paginationToken: "not a token!", includeRecipeIds: undefined, query: undefined }),
      ).rejects.toThrow();
    });

    it("counts per tenant and across tenants", async () => {
      const tenantId = newTenant();
      const before = await f.s.users.count({ tenantId: undefined, includeRecipeIds: undefined });
      await seed(tenantId);
      expect(await f.s.users.count({ tenantId, includeRecipeIds: undefined })).toBe(6);
      expect(await f.s2.users.count({ tenantId: undefined, includeRecipeIds: undefined })).toBe(before + 6);
      expect(await f.s.users.count({ tenantId: newTenant(), includeRecipeIds: undefined })).toBe(0);
    });
  });
}
