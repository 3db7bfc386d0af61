/**
 * SQLite through better-sqlite3: opening the file, connection pragmas, and write transactions
 * that take the write lock up front, waiting for other processes' locks without blocking the
 * event loop (see sqlite-faults.ts).
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { errorCode, type SqlDialect } from "./dialect.js";
import { loadDriver } from "../../core/load-driver.js";
import { withProcessLock } from "./process-lock.js";
import { classifySqliteError, DEFAULT_SQLITE_LOCK_WAIT_MS, retryWhileLocked, SQLITE_BUSY_TIMEOUT_MS } from "./sqlite-faults.js";
import { withStatementCache } from "./statement-cache.js";
import type { Database } from "./schema.js";

export const SQLITE_MEMORY = ":memory:";

/** Opens (creating its directory if needed) and configures one SQLite database. */
export async function openSqliteDatabase(path: string): Promise<BetterSqlite3.Database> {
  const Driver = await loadDriver("better-sqlite3");
  if (path !== SQLITE_MEMORY) mkdirSync(dirname(path), { recursive: true });
  const db = new Driver(path);
  try {
    // busy_timeout first: switching to WAL needs a brief exclusive lock, and another process may
    // be doing the same at startup. It is tiny because the wait blocks the event loop; longer
    // waits are async retries (sqlite-faults.ts), and a failed open is retried by the next call.
    db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    db.pragma("journal_mode = WAL");
    // NORMAL in WAL mode survives process crashes; only a power loss can drop the last commits.
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** A Kysely over one SQLite file. The file is opened on first use, so construction cannot fail on I/O. */
export function createSqliteKysely(path: string): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: async () => withStatementCache(await openSqliteDatabase(path)) }),
  });
}

/**
 * The SQLite dialect for one storage instance. Writers of the same file within this process
 * are queued (see process-lock.ts); writers in other processes are arbitrated by SQLite, and a
 * call waits for their lock for at most `lockWaitMs` in all before failing with
 * StorageUnavailableError ("busy").
 */
export function createSqliteDialect(options: { lockWaitMs?: number } = {}): SqlDialect {
  const lockWaitMs = options.lockWaitMs ?? DEFAULT_SQLITE_LOCK_WAIT_MS;
  let lockKey: Promise<string> | undefined;

  // Ask SQLite which file it opened, so instances built from different spellings of one path
  // (or a caller-supplied Kysely) share a queue. In-memory databases are private to their connection.
  function resolveLockKey(db: Kysely<Database>): Promise<string> {
    lockKey ??= sql<{ file: string | null }>`select file from pragma_database_list where name = 'main'`
      .execute(db)
      .then(
        (result) => {
          const file = result.rows[0]?.file;
          return file ? `file:${file}` : `private:${randomUUID()}`;
        },
        (error: unknown) => {
          // Not cached: the file may become openable later (directory created, permissions fixed).
          lockKey = undefined;
          throw error;
        },
      );
    return lockKey;
  }

  return {
    name: "sqlite",
    columnTypes: { bigint: "bigint", text: "text", boolean: "integer" },
    lockRows: (query) => query,

    toDbBoolean: (value) => (value ? 1 : 0),

    isUniqueViolation(error) {
      const code = errorCode(error);
      return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
    },

    async runCall(fn) {
      try {
        // Writes retry inside their transaction; this retries reads, which meet a lock only in
        // rare cases (another process recovering the WAL, or holding an exclusive lock).
        return await retryWhileLocked(fn, lockWaitMs);
      } catch (error) {
        throw classifySqliteError(error);
      }
    },

    async withWriteTransaction(db, fn) {
      const startedAt = performance.now();
      const key = await resolveLockKey(db);
      // The connection is taken per attempt, so reads go on while a writer sleeps between tries.
      return withProcessLock(key, () =>
        retryWhileLocked(
          () =>
            db.connection().execute(async (conn) => {
              // Kysely's transaction() issues a deferred BEGIN, whose later read-to-write upgrade fails
              // with SQLITE_BUSY instead of waiting. IMMEDIATE takes the write lock now, or fails at once.
              await sql`begin immediate`.execute(conn);
              try {
                const result = await fn(conn);
                await sql`commit`.execute(conn);
                return result;
              } catch (error) {
                // Rolled back, so a lock error here leaves nothing done and the whole unit may be retried.
                await rollbackQuietly(conn);
                throw error;
              }
            }),
          lockWaitMs,
          startedAt,
        ),
      );
    },

    // One statement is atomic on its own (autocommit); it needs the in-process queue, not BEGIN/COMMIT.
    async withWriteStatement(db, fn) {
      const startedAt = performance.now();
      const key = await resolveLockKey(db);
      return withProcessLock(key, () => retryWhileLocked(() => db.connection().execute((conn) => fn(conn)), lockWaitMs, startedAt));
    },

    async lockForMigrations() {
      // Nothing to add: BEGIN IMMEDIATE already excludes every other writer of the file, in any process.
    },

    currentSchema: () => Promise.resolve(undefined),

    ensureSchema() {
      return Promise.reject(new Error("SQLite has no schemas; use a table prefix instead"));
    },

    async tableExists(trx, _schema, table) {
      const result = await sql`select 1 as one from sqlite_master where type = 'table' and name = ${table}`.execute(trx);
      return result.rows.length > 0;
    },

    async moveTable(trx, from, to) {
      await sql`alter table ${sql.id(from.name)} rename to ${sql.id(to.name)}`.execute(trx);
    },

    // SQLite cannot rename an index; recreating it is cheap next to keeping an old name around.
    async renameIndex(trx, index, from, to) {
      await sql`drop index ${sql.id(from)}`.execute(trx);
      await sql`create index ${sql.id(to)} on ${sql.id(index.table)} (${sql.join(index.columns.map((column) => sql.id(column)))})`.execute(trx);
    },

    renameConstraint: () => Promise.resolve(),
  };
}

async function rollbackQuietly(conn: Kysely<Database>): Promise<void> {
  try {
    await sql`rollback`.execute(conn);
  } catch {
    // SQLite may already have rolled back (e.g. after SQLITE_FULL); the original error matters more.
  }
}
