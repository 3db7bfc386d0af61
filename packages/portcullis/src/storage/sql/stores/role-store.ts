import type { Kysely } from "kysely";
import type { RoleStore } from "../../storage.js";
import type { Database } from "../schema.js";
import type { SqlContext } from "./sql-context.js";

/** Whether the role exists, read through `db` (the store's handle, or a transaction's). */
async function roleExistsIn(db: Kysely<Database>, role: string): Promise<boolean> {
  return (await db.selectFrom("roles").select("role").where("role", "=", role).executeTakeFirst()) !== undefined;
}

/** Roles, their permissions and per-tenant assignments; each method one transaction or statement. */
export class SqlRoleStore implements RoleStore {
  constructor(private readonly sql: SqlContext) {}

  createRoleOrAddPermissions(role: string, permissions: readonly string[]): Promise<{ createdNewRole: boolean }> {
    const unique = [...new Set(permissions)];
    return this.sql.write(async (trx) => {
      const inserted = await trx
        .insertInto("roles")
        .values({ role })
        .onConflict((oc) => oc.column("role").doNothing())
        .executeTakeFirst();
      if (unique.length > 0) {
        await trx
          .insertInto("role_permissions")
          .values(unique.map((permission) => ({ role, permission })))
          .onConflict((oc) => oc.columns(["role", "permission"]).doNothing())
          .execute();
      }
      return { createdNewRole: Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0 };
    });
  }

  roleExists(role: string): Promise<boolean> {
    return roleExistsIn(this.sql.db, role);
  }

  async getPermissions(role: string): Promise<string[] | undefined> {
    if (!(await this.roleExists(role))) return undefined;
    const rows = await this.sql.db.selectFrom("role_permissions").select("permission").where("role", "=", role).orderBy("permission").execute();
    return rows.map((row) => row.permission);
  }

  removePermissions(role: string, permissions: readonly string[]): Promise<boolean> {
    return this.sql.write(async (trx) => {
      if (!(await roleExistsIn(trx, role))) return false;
      if (permissions.length > 0) {
        await trx.deleteFrom("role_permissions").where("role", "=", role).where("permission", "in", [...permissions]).execute();
      }
      return true;
    });
  }

  async rolesWithPermission(permission: string): Promise<string[]> {
    const rows = await this.sql.db.selectFrom("role_permissions").select("role").where("permission", "=", permission).orderBy("role").execute();
    return rows.map((row) => row.role);
  }

  deleteRole(role: string): Promise<boolean> {
    return this.sql.write(async (trx) => {
      const deleted = await trx.deleteFrom("roles").where("role", "=", role).executeTakeFirst();
      await trx.deleteFrom("role_permissions").where("role", "=", role).execute();
      await trx.deleteFrom("user_roles").where("role", "=", role).execute();
      return deleted.numDeletedRows > 0n;
    });
  }

  async listRoles(): Promise<string[]> {
    const rows = await this.sql.db.selectFrom("roles").select("role").orderBy("role").execute();
    return rows.map((row) => row.role);
  }

  assignRole(tenantId: string, userId: string, role: string): Promise<{ status: "OK"; alreadyAssigned: boolean } | { status: "UNKNOWN_ROLE" }> {
    return this.sql.write(async (trx) => {
      if (!(await roleExistsIn(trx, role))) return { status: "UNKNOWN_ROLE" as const };
      const inserted = await trx
        .insertInto("user_roles")
        .values({ tenant_id: tenantId, user_id: userId, role })
        .onConflict((oc) => oc.columns(["tenant_id", "user_id", "role"]).doNothing())
        .executeTakeFirst();
      return { status: "OK" as const, alreadyAssigned: Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0 };
    });
  }

  unassignRole(tenantId: string, userId: string, role: string): Promise<{ status: "OK"; wasAssigned: boolean } | { status: "UNKNOWN_ROLE" }> {
    return this.sql.write(async (trx) => {
      if (!(await roleExistsIn(trx, role))) return { status: "UNKNOWN_ROLE" as const };
      const deleted = await trx
        .deleteFrom("user_roles")
        .where("tenant_id", "=", tenantId)
        .where("user_id", "=", userId)
        .where("role", "=", role)
        .executeTakeFirst();
      return { status: "OK" as const, wasAssigned: deleted.numDeletedRows > 0n };
    });
  }

  async rolesOfUser(tenantId: string, userId: string): Promise<string[]> {
    const rows = await this.sql.db
      .selectFrom("user_roles")
      .select("role")
      .where("tenant_id", "=", tenantId)
      .where("user_id", "=", userId)
      .orderBy("role")
      .execute();
    return rows.map((row) => row.role);
  }

  async permissionsOfUser(tenantId: string, userId: string): Promise<string[]> {
    const rows = await this.sql.db
      .selectFrom("user_roles")
      .innerJoin("role_permissions", "role_permissions.role", "user_roles.role")
      .select("role_permissions.permission")
      .distinct()
      .where("user_roles.tenant_id", "=", tenantId)
      .where("user_roles.user_id", "=", userId)
      .orderBy("role_permissions.permission")
      .execute();
    return rows.map((row) => row.permission);
  }

  // A read: no write lock. A role deleted between the two reads lists no users, which deleting it also does.
  async usersWithRole(tenantId: string, role: string): Promise<string[] | undefined> {
    if (!(await this.roleExists(role))) return undefined;
    const rows = await this.sql.db.selectFrom("user_roles").select("user_id").where("tenant_id", "=", tenantId).where("role", "=", role).orderBy("user_id").execute();
    return rows.map((row) => row.user_id);
  }
}
