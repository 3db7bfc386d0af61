/** Conformance: listUsers paging (both orders, opaque cursor), filters, search and countUsers. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Storage, StoredUser } from "../storage.js";
import { NOW, newTenant, type ConformanceFixtures } from "./fixtures.js";

export function describeListUsersConformance(f: ConformanceFixtures): void {
  const { createUser } = f;
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
        const page = await storage.listUsers({
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
      const first = await f.s.listUsers({ tenantId, order: "ASC", limit: 6, paginationToken: undefined, includeRecipeIds: undefined, query: undefined });
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
      expect(await f.s.countUsers({ tenantId, includeRecipeIds: ["emailpassword"] })).toBe(6);
      expect(await f.s.countUsers({ tenantId, includeRecipeIds: ["passwordless"] })).toBe(0);
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
        f.s.listUsers({ tenantId, order: "ASC", limit: 10, paginationToken: undefined, includeRecipeIds: undefined, query });

      expect((await search({ email: `${marker.toUpperCase()}_x@EXAMPLE` })).users.map((user) => user.id)).toEqual([match.id]);
      expect((await search({ email: "example.com" })).users).toHaveLength(2);
      // LIKE wildcards in the query match only themselves.
      expect((await search({ email: "%" })).users).toEqual([]);
      expect((await search({ email: "_" })).users.map((user) => user.id)).toEqual([match.id]);
      expect((await search({ phone: "+1" })).users).toEqual([]);
    });

    it("rejects a malformed pagination token", async () => {
      await expect(
        f.s.listUsers({ tenantId: undefined, order: "ASC", limit: 1, paginationToken: "not a token!", includeRecipeIds: undefined, query: undefined }),
      ).rejects.toThrow();
    });

    it("counts per tenant and across tenants", async () => {
      const tenantId = newTenant();
      const before = await f.s.countUsers({ tenantId: undefined, includeRecipeIds: undefined });
      await seed(tenantId);
      expect(await f.s.countUsers({ tenantId, includeRecipeIds: undefined })).toBe(6);
      expect(await f.s2.countUsers({ tenantId: undefined, includeRecipeIds: undefined })).toBe(before + 6);
      expect(await f.s.countUsers({ tenantId: newTenant(), includeRecipeIds: undefined })).toBe(0);
    });
  });
}
