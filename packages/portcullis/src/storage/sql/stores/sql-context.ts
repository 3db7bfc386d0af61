/** What every SQL store shares: the namespaced Kysely and the dialect's ways of writing. */
import type { Kysely } from "kysely";
import type { SqlDialect } from "../dialect.js";
import type { Database } from "../schema.js";

export class SqlContext {
  constructor(
    /** Sees the namespace's tables under their logical names. */
    readonly db: Kysely<Database>,
    readonly dialect: SqlDialect,
  ) {}

  /** A write transaction (see SqlDialect.withWriteTransaction); `fn` must use the executor it gets. */
  write<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.dialect.withWriteTransaction(this.db, fn);
  }

  /** For writes that are a single statement; see SqlDialect.withWriteStatement. */
  writeStatement<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.dialect.withWriteStatement(this.db, fn);
  }

  /** Runs `fn`; a UNIQUE violation inside it (already rolled back) becomes `onConflict`. */
  async unlessConflict<T, C>(fn: () => Promise<T>, onConflict: C): Promise<T | C> {
    try {
      return await fn();
    } catch (error) {
      if (this.dialect.isUniqueViolation(error)) return onConflict;
      throw error;
    }
  }
}
