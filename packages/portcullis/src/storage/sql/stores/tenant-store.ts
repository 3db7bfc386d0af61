import type { TenantRecord } from "../../records.js";
import type { TenantStore } from "../../storage.js";
import { tenantFromRow } from "../rows.js";
import { deleteDevicesWhere } from "./login-code-store.js";
import type { SqlContext } from "./sql-context.js";

export class SqlTenantStore implements TenantStore {
  constructor(private readonly sql: SqlContext) {}

  upsert(tenantId: string, config: Record<string, unknown>, now: number): Promise<{ createdNew: boolean }> {
    const configJson = JSON.stringify(config);
    return this.sql.write(async (trx) => {
      // Insert-or-nothing first, so createdNew is decided by the database even when two
      // instances create the same tenant at once.
      const inserted = await trx
        .insertInto("tenants")
        .values({ tenant_id: tenantId, config_json: configJson, created_at: now })
        .onConflict((oc) => oc.column("tenant_id").doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return { createdNew: true };
      await trx.updateTable("tenants").set({ config_json: configJson }).where("tenant_id", "=", tenantId).execute();
      return { createdNew: false };
    });
  }

  async get(tenantId: string): Promise<TenantRecord | undefined> {
    const row = await this.sql.db.selectFrom("tenants").selectAll().where("tenant_id", "=", tenantId).executeTakeFirst();
    return row ? tenantFromRow(row) : undefined;
  }

  async list(): Promise<TenantRecord[]> {
    const rows = await this.sql.db.selectFrom("tenants").selectAll().orderBy("created_at").orderBy("tenant_id").execute();
    return rows.map(tenantFromRow);
  }

  delete(tenantId: string): Promise<boolean> {
    // Users stay (they may belong to other tenants); only what is scoped to this tenant goes.
    return this.sql.write(async (trx) => {
      const deleted = await trx.deleteFrom("tenants").where("tenant_id", "=", tenantId).executeTakeFirst();
      await trx.deleteFrom("user_tenants").where("tenant_id", "=", tenantId).execute();
      await trx.deleteFrom("sessions").where("tenant_id", "=", tenantId).execute();
      await trx.deleteFrom("tokens").where("tenant_id", "=", tenantId).execute();
      await trx.deleteFrom("user_roles").where("tenant_id", "=", tenantId).execute();
      await deleteDevicesWhere(trx, (query) => query.where("tenant_id", "=", tenantId));
      await trx.deleteFrom("invitations").where("tenant_id", "=", tenantId).execute();
      await trx.deleteFrom("phone_codes").where("tenant_id", "=", tenantId).execute();
      return deleted.numDeletedRows > 0n;
    });
  }
}
