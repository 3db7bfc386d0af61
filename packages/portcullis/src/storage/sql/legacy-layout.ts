/**
 * Releases before namespacing created their tables unprefixed (`users`, `sessions`, …) in the
 * connection's own schema, next to the application's tables. At start-up such a database is
 * moved into the namespace (renamed on SQLite, `SET SCHEMA` on PostgreSQL), rows and all,
 * inside the migration transaction: all or nothing, and serialised with other instances.
 */
import { sql, type Kysely } from "kysely";
import type { QualifiedName, SqlDialect } from "./dialect.js";
import { INITIAL_CONSTRAINTS, INITIAL_INDEXES } from "./migrations.js";
import { physicalName, type Namespace } from "./namespace.js";
import type { Database } from "./schema.js";

/** The tables the last release before namespacing had: exactly those of 0001_initial. */
const LEGACY_TABLES = [
  "tenants",
  "users",
  "user_tenants",
  "email_verifications",
  "password_reset_tokens",
  "sessions",
  "signing_keys",
  "outbox",
] as const;
const LEGACY_BOOKKEEPING = "portcullis_migrations";

/**
 * Moves a legacy layout into `namespace`. Does nothing (and returns false) unless the legacy
 * place holds our bookkeeping table with 0001_initial recorded AND the namespace has no tables
 * yet, so an application's own `users` table is never mistaken for ours, and a second run is a
 * no-op. `trx` must be the raw executor (no namespace plugins) of the migration transaction.
 */
export async function adoptLegacyTables(trx: Kysely<Database>, dialect: SqlDialect, namespace: Namespace): Promise<boolean> {
  const current = await dialect.currentSchema(trx);
  const fromSchema = namespace.legacySchema ?? current;
  const toSchema = namespace.schema ?? current;
  const target = (logical: string): QualifiedName => ({ schema: toSchema, name: physicalName(namespace, logical) });
  const legacy = (name: string): QualifiedName => ({ schema: fromSchema, name });
  const same = (a: QualifiedName, b: QualifiedName) => a.schema === b.schema && a.name === b.name;

  if (same(legacy("tenants"), target("tenants"))) return false;
  if (await dialect.tableExists(trx, toSchema, target("tenants").name)) return false;
  if (!(await dialect.tableExists(trx, fromSchema, LEGACY_BOOKKEEPING))) return false;
  const book = legacy(LEGACY_BOOKKEEPING);
  const recorded = await sql<{ name: string }>`select name from ${qualifiedId(book)} where name = ${"0001_initial"}`.execute(trx);
  if (recorded.rows.length === 0) return false;

  for (const table of LEGACY_TABLES) {
    if (!(await dialect.tableExists(trx, fromSchema, table))) {
      throw new Error(`Cannot move the Portcullis tables into their namespace: table ${table} of the earlier layout is missing`);
    }
    await dialect.moveTable(trx, legacy(table), target(table));
  }
  if (!same(book, target(LEGACY_BOOKKEEPING))) await dialect.moveTable(trx, book, target(LEGACY_BOOKKEEPING));

  // Index and constraint names follow the prefix too, so none of ours can clash with the application's.
  for (const index of INITIAL_INDEXES) {
    const to = physicalName(namespace, index.name);
    if (to !== index.name) {
      await dialect.renameIndex(trx, { schema: toSchema, table: target(index.table).name, columns: index.columns }, index.name, to);
    }
  }
  for (const constraint of INITIAL_CONSTRAINTS) {
    const to = physicalName(namespace, constraint.name);
    if (to !== constraint.name) await dialect.renameConstraint(trx, toSchema, target(constraint.table).name, constraint.name, to);
  }
  return true;
}

function qualifiedId(name: QualifiedName) {
  return name.schema === undefined ? sql.id(name.name) : sql.id(name.schema, name.name);
}
