/**
 * PostgreSQL through a `pg.Pool`: per-pool type parsing, optional schema isolation, and write
 * transactions that retry when the server aborts them to break a deadlock.
 */
import { CompiledQuery, Kysely, PostgresDialect, sql } from "kysely";
import type { DatabaseConnection } from "kysely";
import { loadDriver } from "../../core/load-driver.js";
import { errorCode, type SqlDialect } from "./dialect.js";
import type { Database } from "./schema.js";

export interface PostgresTarget {
  /** The URL handed to pg, without our own `schema` parameter. */
  connectionString: string;
  schema: string | undefined;
}

// Quoted below, but kept to plain identifiers so a typo cannot create a surprising schema name.
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Splits our `?schema=` parameter off a postgres:// URL; pg would reject it as unknown config. */
export function parsePostgresUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("Invalid PostgreSQL URL (expected postgres://user:password@host:port/database)");
  }
  const schema = parsed.searchParams.get("schema") ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid schema name in PostgreSQL URL: ${JSON.stringify(schema)} (use letters, digits and _)`);
  }
  parsed.searchParams.delete("schema");
  return { connectionString: parsed.toString(), schema };
}

/** Times (ms) and counts fit a double; pg returns int8 as text by default to be safe for all values. */
function parseInt8(value: string): number {
  return Number(value);
}

/** A Kysely over a new pool. Nothing connects until the first query. */
export function createPostgresKysely(url: string): Kysely<Database> {
  const { connectionString, schema } = parsePostgresUrl(url);
  const createPool = async () => {
    const pg = await loadDriver("pg");
    // Per-pool overrides: pg.types.setTypeParser would change every pool in the process,
    // including ones that belong to the application.
    const types = new pg.TypeOverrides();
    types.setTypeParser(pg.types.builtins.INT8, parseInt8);
    const pool = new pg.Pool({ connectionString, types });
    pool.on("error", () => {
      // An idle client whose backend dies emits 'error' on the pool; unhandled, that would kill
      // the process. The pool has already discarded the client and the next query reconnects.
    });
    return pool;
  };

  let schemaReady: Promise<void> | undefined;
  const onCreateConnection =
    schema === undefined
      ? undefined
      : async (connection: DatabaseConnection) => {
          schemaReady ??= ensureSchema(connection, schema).catch((error: unknown) => {
            schemaReady = undefined;
            throw error;
          });
          await schemaReady;
          await connection.executeQuery(CompiledQuery.raw(`set search_path to ${quoteIdentifier(schema)}`));
        };

  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: createPool, ...(onCreateConnection ? { onCreateConnection } : {}) }),
  });
}

async function ensureSchema(connection: DatabaseConnection, schema: string): Promise<void> {
  // Look first: CREATE SCHEMA IF NOT EXISTS demands CREATE privilege on the database even
  // when the schema is already there.
  const existing = await connection.executeQuery(
    CompiledQuery.raw("select 1 from pg_namespace where nspname = $1", [schema]),
  );
  if (existing.rows.length > 0) return;
  try {
    await connection.executeQuery(CompiledQuery.raw(`create schema if not exists ${quoteIdentifier(schema)}`));
  } catch (error) {
    // Two pools creating the schema at the same moment can both pass IF NOT EXISTS; the loser
    // hits the catalog's unique index. The schema exists either way.
    const code = errorCode(error);
    if (code !== "23505" && code !== "42P06") throw error;
  }
}

function quoteIdentifier(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

// Namespace for our advisory locks; the second key is the schema, so migrating two schemas of
// one database does not serialise needlessly. Any fixed int4 works; this one spells "PCLS".
const MIGRATION_LOCK_CLASS = 0x50434c53;

// deadlock_detected, serialization_failure: the server aborted the transaction; retrying is safe
// because the whole unit of work is inside it.
const RETRYABLE_CODES = new Set(["40P01", "40001"]);
const MAX_ATTEMPTS = 3;

export function createPostgresDialect(): SqlDialect {
  return {
    name: "postgres",
    columnTypes: { bigint: "bigint", text: "text", boolean: "boolean" },
    supportsRowLocks: true,

    toDbBoolean: (value) => value,

    isUniqueViolation: (error) => errorCode(error) === "23505",

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

    async lockForMigrations(trx) {
      // Taken before even CREATE TABLE IF NOT EXISTS, which is not safe against a concurrent creator.
      await sql`select pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK_CLASS)}, hashtext(coalesce(current_schema(), '')))`.execute(
        trx,
      );
    },
  };
}
