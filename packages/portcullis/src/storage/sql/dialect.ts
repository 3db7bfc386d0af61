/**
 * The few things that differ between SQLite and PostgreSQL. Queries are written once in
 * stores/ against Kysely; everything engine-specific (transactions and retries, row locks,
 * the migration lock, the DDL that moves tables into a namespace) is behind this interface.
 */
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

export type DialectName = "sqlite" | "postgres";

/** Column types used by migrations, spelled the way each engine wants them. */
export interface DialectColumnTypes {
  bigint: "bigint";
  text: "text";
  boolean: "boolean" | "integer";
}

export interface SqlDialect {
  readonly name: DialectName;
  readonly columnTypes: DialectColumnTypes;

  toDbBoolean(value: boolean): boolean | number;

  /**
   * Makes a SELECT lock the rows it reads until the transaction ends (`FOR UPDATE` on
   * PostgreSQL). Unchanged on SQLite, whose write transactions already exclude every other writer.
   */
  lockRows<Q extends { forUpdate(): Q }>(query: Q): Q;

  /**
   * Runs one storage call (a port method, the migration, a ping): retries what is worth retrying
   * (on SQLite, a read that met another process's lock), and turns the driver's outage errors
   * (connection lost, database locked, full, read-only) into StorageUnavailableError. Other
   * errors pass through unchanged.
   */
  runCall<T>(fn: () => Promise<T>): Promise<T>;

  /** A UNIQUE or PRIMARY KEY violation: an expected outcome that the storage turns into a typed result. */
  isUniqueViolation(error: unknown): boolean;

  /**
   * Runs `fn` in one write transaction that holds the write lock from its first statement
   * (BEGIN IMMEDIATE on SQLite), committing on success and rolling back on throw. `fn` must run
   * every query on the executor it receives: on SQLite the outer `db` is busy until it returns.
   */
  withWriteTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>;

  /**
   * Runs a write that is ONE statement (atomic on its own). PostgreSQL autocommits it, saving
   * the BEGIN/COMMIT round trips on hot paths such as refresh; SQLite still needs the write
   * transaction, for the process queue and the up-front lock.
   */
  withWriteStatement<T>(db: Kysely<Database>, fn: (executor: Kysely<Database>) => Promise<T>): Promise<T>;

  /**
   * Serialises migrators of one namespace (`key`); called first inside the migration
   * transaction. A no-op on SQLite, where BEGIN IMMEDIATE already excludes every other writer.
   */
  lockForMigrations(trx: Kysely<Database>, key: string): Promise<void>;

  // The methods below take physical names and an executor without the namespace plugins.
  // `schema` undefined means the connection's current schema; SQLite has only that one.

  /** The connection's current schema (PostgreSQL); undefined on SQLite. */
  currentSchema(trx: Kysely<Database>): Promise<string | undefined>;
  /** Creates the schema if it is missing. Unsupported on SQLite (throws). */
  ensureSchema(trx: Kysely<Database>, schema: string): Promise<void>;
  tableExists(trx: Kysely<Database>, schema: string | undefined, table: string): Promise<boolean>;
  /** Moves and/or renames a table, keeping its rows, indexes and constraints. */
  moveTable(trx: Kysely<Database>, from: QualifiedName, to: QualifiedName): Promise<void>;
  renameIndex(trx: Kysely<Database>, index: { schema: string | undefined; table: string; columns: readonly string[] }, from: string, to: string): Promise<void>;
  /** Renames a named table constraint; SQLite keeps constraint names inside the table, so there it does nothing. */
  renameConstraint(trx: Kysely<Database>, schema: string | undefined, table: string, from: string, to: string): Promise<void>;
}

export interface QualifiedName {
  schema: string | undefined;
  name: string;
}

/** Reads a driver error's `code` without trusting its shape. */
export function errorCode(error: unknown): unknown {
  return typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
}
