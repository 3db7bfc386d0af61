import type BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase } from "kysely";

/** Distinct SQL strings the storage issues are a few dozen; the bound only guards against misuse. */
const STATEMENT_CACHE_LIMIT = 500;

/**
 * Kysely prepares every query anew, and on the sign-in and refresh paths preparing costs more
 * than running. better-sqlite3 statements are reusable (SQLite re-prepares them itself after a
 * schema change), so each distinct SQL string is prepared once per connection.
 */
export function withStatementCache(db: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      statements.clear();
      db.close();
    },
    prepare: (sql: string) => {
      let statement = statements.get(sql);
      // A statement still being iterated (a streamed query) cannot be run again: use a fresh one.
      if (statement?.busy === true) return db.prepare(sql);
      if (statement === undefined) {
        statement = db.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_LIMIT) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
