/**
 * PostgreSQL through a `pg.Pool`: per-pool type parsing, write transactions that retry when the
 * server aborts them to break a deadlock, and the DDL that moves tables into a namespace.
 */
import { Kysely, PostgresDialect, sql } from "kysely";
import { loadDriver } from "../../core/load-driver.js";
import { errorCode, type QualifiedName, type SqlDialect } from "./dialect.js";
import { checkSchemaName } from "./namespace.js";
import { classifyPostgresError } from "./postgres-faults.js";
import type { Database } from "./schema.js";

export interface PostgresTarget {
  /** The URL handed to pg, without our own `schema` parameter. */
  connectionString: string;
  schema: string | undefined;
}

/** Splits our `?schema=` parameter off a postgres:// URL; pg would reject it as unknown config. */
export function parsePostgresUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("Invalid PostgreSQL URL (expected postgres://user:password@host:port/database)");
  }
  const raw = parsed.searchParams.get("schema");
  const schema = raw === null ? undefined : checkSchemaName(raw, "PostgreSQL URL");
  parsed.searchParams.delete("schema");
  return { connectionString: parsed.toString(), schema };
}

/** Times (ms) and counts fit a double; pg returns int8 as text by default to be safe for all values. */
function parseInt8(value: string): number {
  return Number(value);
}

const CONNECTION_TIMEOUT_MS = 5_000;

/** A Kysely over a new pool. Nothing connects until the first query. */
export function createPostgresKysely(url: string): Kysely<Database> {
  const { connectionString } = parsePostgresUrl(url);
  const createPool = async () => {
    const pg = await loadDriver("pg");
    // Per-pool overrides: pg.types.setTypeParser would change every pool in the process,
    // including ones that belong to the application.
    const types = new pg.TypeOverrides();
    types.setTypeParser(pg.types.builtins.INT8, parseInt8);
    const pool = new pg.Pool({
      connectionString,
      types,
      // Names our connections in pg_stat_activity; a URL's ?application_name= takes precedence.
      application_name: "portcullis",
      // Without it a request waits forever for a connection to a host that drops packets.
      connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
      keepAlive: true,
    });
    pool.on("error", () => {
      // An idle client whose backend dies emits 'error' on the pool; unhandled, that would kill
      // the process. The pool has already discarded the client and the next query reconnects.
    });
    pool.on("connect", (client) => {
      client.on("error", () => {
        // A CHECKED-OUT client whose backend dies emits 'error' on itself (the pool listens only
        // while it is idle): unhandled, that kills the process. Its query fails with the same
        // error, which the storage answers as unavailable, and the pool discards the client.
      });
    });
    return pool;
  };

  // The schema (ours, or the URL's ?schema=) is applied per query by the storage's namespace,
  // not through search_path, so the connection's own schema stays visible for finding the
  // tables of a release before namespacing.
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPool }) });
}

// Namespace for our advisory locks; the second key is the storage namespace, so migrating two
// schemas of one database does not serialise needlessly. Any fixed int4 works; this one spells "PCLS".
const MIGRATION_LOCK_CLASS = 0x50434c53;

// deadlock_detected, serialization_failure: the server aborted the transaction; retrying is safe
// because the whole unit of work is inside it.
const RETRYABLE_CODES = new Set(["40P01", "40001"]);
const MAX_ATTEMPTS = 3;

export function createPostgresDialect(): SqlDialect {
  return {
    name: "postgres",
    columnTypes: { bigint: "bigint", text: "text", boolean: "boolean" },
    lockRows: (query) => query.forUpdate(),

    toDbBoolean: (value) => value,

    isUniqueViolation: (error) => errorCode(error) === "23505",

    // No retry: after a lost connection nobody knows whether a COMMIT got through.
    async runCall(fn) {
      try {
        return await fn();
      } catch (error) {
        throw classifyPostgresError(error);
      }
    },

    async withWriteTransaction(db, fn) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().execute(fn);
        } catch (error) {
          const code = errorCode(error);
          if (attempt >= MAX_ATTEMPTS || typeof code !== "string" || !RETRYABLE_CODES.has(code)) throw error;
        }
      }
    },

    withWriteStatement: (db, fn) => fn(db),

    async lockForMigrations(trx, key) {
      // Taken before even CREATE TABLE IF NOT EXISTS, which is not safe against a concurrent creator.
      await sql`select pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK_CLASS)}, hashtext(${key}))`.execute(trx);
    },

    async currentSchema(trx) {
      const result = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(trx);
      const schema = result.rows[0]?.schema;
      if (schema === null || schema === undefined) throw new Error("The PostgreSQL connection has no current schema (check search_path)");
      return schema;
    },

    async ensureSchema(trx, schema) {
      // Look first: CREATE SCHEMA IF NOT EXISTS demands CREATE privilege on the database even
      // when the schema is already there.
      const existing = await sql`select 1 as one from pg_namespace where nspname = ${schema}`.execute(trx);
      if (existing.rows.length === 0) await sql`create schema if not exists ${sql.id(schema)}`.execute(trx);
    },

    async tableExists(trx, schema, table) {
      const result = await sql`select 1 as one from pg_tables where schemaname = coalesce(${schema ?? null}, current_schema()) and tablename = ${table}`.execute(trx);
      return result.rows.length > 0;
    },

    async moveTable(trx, from, to) {
      let current = from;
      if (to.schema !== undefined && to.schema !== from.schema) {
        await sql`alter table ${qualified(from)} set schema ${sql.id(to.schema)}`.execute(trx);
        current = { schema: to.schema, name: from.name };
      }
      if (to.name !== from.name) await sql`alter table ${qualified(current)} rename to ${sql.id(to.name)}`.execute(trx);
    },

    async renameIndex(trx, index, from, to) {
      await sql`alter index ${qualified({ schema: index.schema, name: from })} rename to ${sql.id(to)}`.execute(trx);
    },

    async renameConstraint(trx, schema, table, from, to) {
      await sql`alter table ${qualified({ schema, name: table })} rename constraint ${sql.id(from)} to ${sql.id(to)}`.execute(trx);
    },
  };
}

function qualified(name: QualifiedName) {
  return name.schema === undefined ? sql.id(name.name) : sql.id(name.schema, name.name);
}
