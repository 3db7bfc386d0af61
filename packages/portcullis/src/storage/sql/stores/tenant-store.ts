import type { TenantRecord } from "../../records.js";
import type { TenantStore } from "../../storage.js";
import { tenantFromRow } from "../rows.js";
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import { deleteDevicesWhere } from "./login-code-store.js";
import { deleteUsers } from "./user-store.js";
import type { SqlContext } from "./sql-context.js";

export class SqlTenantStore implements TenantStore {
  /** Every tenant-scoped request reads its tenant (engine.tenantSettings): compiled once. */
  private readonly selectTenant;

  constructor(private readonly sql: SqlContext) {
    this.selectTenant = sql.prepare((db, tenantId: string) => db.selectFrom("tenants").selectAll().where("tenant_id", "=", tenantId));
  }

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
    const [row] = (await this.selectTenant(this.sql.db, tenantId)).rows;
    return row ? tenantFromRow(row) : undefined;
  }

  async list(): Promise<TenantRecord[]> {
    const rows = await this.sql.db.selectFrom("tenants").selectAll().orderBy("created_at").orderBy("tenant_id").execute();
    return rows.map(tenantFromRow);
  }

  delete(tenantId: string): Promise<boolean> {
    const { dialect } = this.sql;
    return this.sql.write(async (trx) => {
      // The tenant row goes first: an association to this tenant in flight (which locks it) either
      // finished before, and its user is handled below, or finds the tenant gone.
      const deleted = await trx.deleteFrom("tenants").where("tenant_id", "=", tenantId).executeTakeFirst();
      // Users whose only tenant this is go entirely. Their rows are locked before the check is
      // repeated, so an association to another tenant racing with this either lands first (and
      // the user stays) or waits and finds the user gone.
      const candidates = await onlyInTenant(trx, tenantId);
      for (let start = 0; start < candidates.length; start += USER_BATCH) {
        const batch = candidates.slice(start, start + USER_BATCH);
        await dialect.lockRows(trx.selectFrom("users").select("user_id").where("user_id", "in", batch)).execute();
      }
      const orphans = await onlyInTenant(trx, tenantId);
      for (let start = 0; start < orphans.length; start += USER_BATCH) await deleteUsers(trx, orphans.slice(start, start + USER_BATCH));
      // Users who belong elsewhere too keep their account; what they had in this tenant goes.
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

/** Keeps IN lists well under both engines' parameter limits. */
const USER_BATCH = 500;

async function onlyInTenant(trx: Kysely<Database>, tenantId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom("user_tenants as m")
    .select("m.user_id")
    .where("m.tenant_id", "=", tenantId)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("user_tenants as o").select("o.user_id").whereRef("o.user_id", "=", "m.user_id").where("o.tenant_id", "<>", tenantId))),
    )
    .execute();
  return rows.map((row) => row.user_id);
}
