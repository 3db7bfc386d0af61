/**
 * The few things that differ between SQLite and PostgreSQL. Queries are written once in
 * sql-storage.ts against Kysely; everything engine-specific is behind this interface.
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
  /** Whether `SELECT ... FOR UPDATE` exists (SQLite serialises writers instead). */
  readonly supportsRowLocks: boolean;

  toDbBoolean(value: boolean): boolean | number;

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

  /** Serialises migrators of the same database; called first inside the migration transaction. */
  lockForMigrations(trx: Kysely<Database>): Promise<void>;
}

/** Reads a driver error's `code` without trusting its shape. */
export function errorCode(error: unknown): unknown {
  return typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
}
