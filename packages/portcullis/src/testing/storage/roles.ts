/** Conformance: app-wide roles with permissions, per-tenant assignments, atomic under concurrency. */
import { describe, expect, it } from "vitest";
import { id, newTenant, type ConformanceFixtures } from "./fixtures.js";

export function describeRoleConformance(f: ConformanceFixtures): void {
  const { either } = f;
  describe("roles", () => {
    it("creates a role once and adds only missing permissions", async () => {
      const role = id("role");
      expect(await f.s.roles.createRoleOrAddPermissions(role, ["read", "write", "read"])).toEqual({ createdNewRole: true });
      expect(await f.s2.roles.createRoleOrAddPermissions(role, ["write", "delete"])).toEqual({ createdNewRole: false });
      expect(await f.s.roles.getPermissions(role)).toEqual(["delete", "read", "write"]);
      expect(await f.s.roles.roleExists(role)).toBe(true);
      expect(await f.s.roles.listRoles()).toContain(role);
      expect(await f.s.roles.getPermissions(id("unknown"))).toBeUndefined();
    });

    it("reports createdNewRole exactly once when instances create one role concurrently", async () => {
      const role = id("role");
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => either(i).roles.createRoleOrAddPermissions(role, [`p${i}`])));
      expect(results.filter((r) => r.createdNewRole)).toHaveLength(1);
      expect(await f.s.roles.getPermissions(role)).toHaveLength(10);
    });

    it("removes permissions, finds roles by permission", async () => {
      const a = id("role");
      const b = id("role");
      const permission = id("perm");
      await f.s.roles.createRoleOrAddPermissions(a, [permission, "other"]);
      await f.s.roles.createRoleOrAddPermissions(b, [permission]);
      expect(await f.s.roles.rolesWithPermission(permission)).toEqual([a, b].sort());
      expect(await f.s.roles.removePermissions(a, [permission])).toBe(true);
      expect(await f.s.roles.getPermissions(a)).toEqual(["other"]);
      expect(await f.s.roles.rolesWithPermission(permission)).toEqual([b]);
      expect(await f.s.roles.removePermissions(id("unknown"), [permission])).toBe(false);
    });

    it("assigns roles per tenant, and only existing ones", async () => {
      const role = id("role");
      const tenantA = newTenant();
      const tenantB = newTenant();
      const userId = id("user");
      await f.s.roles.createRoleOrAddPermissions(role, ["read"]);
      expect(await f.s.roles.assignRole(tenantA, userId, id("unknown"))).toEqual({ status: "UNKNOWN_ROLE" });
      expect(await f.s.roles.assignRole(tenantA, userId, role)).toEqual({ status: "OK", alreadyAssigned: false });
      expect(await f.s2.roles.assignRole(tenantA, userId, role)).toEqual({ status: "OK", alreadyAssigned: true });
      expect(await f.s.roles.rolesOfUser(tenantA, userId)).toEqual([role]);
      expect(await f.s.roles.rolesOfUser(tenantB, userId)).toEqual([]);
      expect(await f.s.roles.permissionsOfUser(tenantA, userId)).toEqual(["read"]);
      expect(await f.s.roles.permissionsOfUser(tenantB, userId)).toEqual([]);
      expect(await f.s.roles.usersWithRole(tenantA, role)).toEqual([userId]);
      expect(await f.s.roles.usersWithRole(tenantB, role)).toEqual([]);
      expect(await f.s.roles.usersWithRole(tenantA, id("unknown"))).toBeUndefined();

      expect(await f.s.roles.unassignRole(tenantA, userId, id("unknown"))).toEqual({ status: "UNKNOWN_ROLE" });
      expect(await f.s.roles.unassignRole(tenantA, userId, role)).toEqual({ status: "OK", wasAssigned: true });
      expect(await f.s.roles.unassignRole(tenantA, userId, role)).toEqual({ status: "OK", wasAssigned: false });
      expect(await f.s.roles.rolesOfUser(tenantA, userId)).toEqual([]);
    });

    it("reports alreadyAssigned=false exactly once under concurrent assignment", async () => {
      const role = id("role");
      const tenantId = newTenant();
      const userId = id("user");
      await f.s.roles.createRoleOrAddPermissions(role, []);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => either(i).roles.assignRole(tenantId, userId, role)));
      expect(results.filter((r) => r.status === "OK" && !r.alreadyAssigned)).toHaveLength(1);
    });

    it("the union of permissions over a user's roles, without duplicates", async () => {
      const a = id("role");
      const b = id("role");
      const tenantId = newTenant();
      const userId = id("user");
      await f.s.roles.createRoleOrAddPermissions(a, ["read", "write"]);
      await f.s.roles.createRoleOrAddPermissions(b, ["read", "admin"]);
      await f.s.roles.assignRole(tenantId, userId, a);
      await f.s.roles.assignRole(tenantId, userId, b);
      expect(await f.s.roles.permissionsOfUser(tenantId, userId)).toEqual(["admin", "read", "write"]);
    });

    it("deleting a role takes its permissions and assignments", async () => {
      const role = id("role");
      const tenantId = newTenant();
      const userId = id("user");
      await f.s.roles.createRoleOrAddPermissions(role, ["read"]);
      await f.s.roles.assignRole(tenantId, userId, role);
      expect(await f.s.roles.deleteRole(role)).toBe(true);
      expect(await f.s.roles.deleteRole(role)).toBe(false);
      expect(await f.s.roles.roleExists(role)).toBe(false);
      expect(await f.s.roles.listRoles()).not.toContain(role);
      expect(await f.s.roles.rolesOfUser(tenantId, userId)).toEqual([]);
      expect(await f.s.roles.permissionsOfUser(tenantId, userId)).toEqual([]);
      // Re-created, it starts empty.
      await f.s.roles.createRoleOrAddPermissions(role, []);
      expect(await f.s.roles.getPermissions(role)).toEqual([]);
    });

    it("deleting a user or a tenant removes the user's assignments there", async () => {
      const role = id("role");
      const tenantId = newTenant();
      await f.s.tenants.upsert(tenantId, {}, 1);
      const user = await f.createUser(tenantId);
      const other = id("user");
      await f.s.roles.createRoleOrAddPermissions(role, []);
      await f.s.roles.assignRole(tenantId, user.id, role);
      await f.s.roles.assignRole(tenantId, other, role);
      expect(await f.s.users.delete(user.id)).toBe(true);
      expect(await f.s.roles.rolesOfUser(tenantId, user.id)).toEqual([]);
      expect(await f.s.tenants.delete(tenantId)).toBe(true);
      expect(await f.s.roles.rolesOfUser(tenantId, other)).toEqual([]);
    });
  });
}
