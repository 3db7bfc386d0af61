/**
 * Applies pending migrations. All of them run in ONE write transaction that first excludes
 * other migrators of the namespace (advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite), so
 * instances that boot together serialise: the first applies, the others find nothing pending.
 * The same transaction creates the schema and moves a pre-namespace layout into it (see
 * legacy-layout.ts). A failure rolls everything back; both engines have transactional DDL.
 */
import type { Kysely } from "kysely";
import { systemClock } from "../../core/runtime.js";
import type { SqlDialect } from "./dialect.js";
import { adoptLegacyTables } from "./legacy-layout.js";
import type { Migration } from "./migrations.js";
import { namespacedKysely, physicalName, type Namespace } from "./namespace.js";
import type { Database, MigrationsTable } from "./schema.js";

/**
 * `db` is the plain Kysely (no namespace applied). Returns the names applied by this call, in
 * order (empty when the database was up to date).
 */
export async function runMigrations(
  db: Kysely<Database>,
  dialect: SqlDialect,
  namespace: Namespace,
  migrations: readonly Migration[],
  now: () => number = systemClock.now,
): Promise<string[]> {
  return dialect.withWriteTransaction(db, async (trx) => {
    const raw = trx.withoutPlugins();
    await dialect.lockForMigrations(raw, namespace.schema ?? `prefix:${namespace.prefix}`);
    if (namespace.schema !== undefined) await dialect.ensureSchema(raw, namespace.schema);
    await adoptLegacyTables(raw, dialect, namespace);

    const scoped = namespacedKysely(trx, namespace);
    const book = scoped.withTables<MigrationsTable>();
    await book.schema
      .createTable("portcullis_migrations")
      .ifNotExists()
      .addColumn("name", "text", (c) => c.primaryKey())
      .addColumn("applied_at", dialect.columnTypes.bigint, (c) => c.notNull())
      .execute();

    const rows = await book.selectFrom("portcullis_migrations").select("name").execute();
    const applied = new Set(rows.map((row) => row.name));
    // Names this build does not know come from a newer release sharing the database during a
    // rolling deploy; they are left alone.
    const pending = migrations.filter((migration) => !applied.has(migration.name));
    const context = { types: dialect.columnTypes, name: (logical: string) => physicalName(namespace, logical) };
    for (const migration of pending) {
      await migration.up(scoped, context);
      await book.insertInto("portcullis_migrations").values({ name: migration.name, applied_at: now() }).execute();
    }
    return pending.map((migration) => migration.name);
  });
}
