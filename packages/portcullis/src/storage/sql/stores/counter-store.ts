import type { CounterValue } from "../../records.js";
import type { CounterStore } from "../../storage.js";
import { toNumber } from "../rows.js";
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { SqlContext } from "./sql-context.js";

/**
 * One upsert statement: the database serialises concurrent increments of a key on its row
 * (PostgreSQL's ON CONFLICT locks it; SQLite has one writer), so none is lost.
 */
function incrementStatement(db: Kysely<Database>, key: string, windowMs: number, now: number) {
  return db
    .insertInto("counters")
    .values({ counter_key: key, hits: 1, window_started_at: now })
    .onConflict((oc) =>
      oc.column("counter_key").doUpdateSet((eb) => {
        const closed = eb(eb("counters.window_started_at", "+", windowMs), "<=", now);
        return {
          hits: eb.case().when(closed).then(1).else(eb("counters.hits", "+", 1)).end(),
          window_started_at: eb.case().when(closed).then(now).else(eb.ref("counters.window_started_at")).end(),
        };
      }),
    )
    .returning(["hits", "window_started_at"]);
}

const getStatement = (db: Kysely<Database>, key: string) => db.selectFrom("counters").select(["hits", "window_started_at"]).where("counter_key", "=", key);

/** The limits read and bump counters on every sign-in, so both statements are compiled once (SqlContext.prepare). */
export class SqlCounterStore implements CounterStore {
  private readonly incrementPrepared;
  private readonly getPrepared;

  constructor(private readonly sql: SqlContext) {
    this.incrementPrepared = sql.prepare(incrementStatement);
    this.getPrepared = sql.prepare(getStatement);
  }

  async increment(key: string, windowMs: number, now: number): Promise<CounterValue> {
    checkWindow(windowMs);
    const { rows } = await this.sql.writeStatement((db) => this.incrementPrepared(db, key, windowMs, now));
    const row = rows[0];
    if (row === undefined) throw new Error("counters: the upsert returned no row");
    return { count: toNumber(row.hits), windowStartedAt: toNumber(row.window_started_at) };
  }

  async get(key: string, windowMs: number, now: number): Promise<CounterValue | undefined> {
    checkWindow(windowMs);
    const [row] = (await this.getPrepared(this.sql.db, key)).rows;
    if (row === undefined) return undefined;
    const windowStartedAt = toNumber(row.window_started_at);
    return windowStartedAt + windowMs <= now ? undefined : { count: toNumber(row.hits), windowStartedAt };
  }

  async reset(key: string): Promise<void> {
    await this.sql.writeStatement((db) => db.deleteFrom("counters").where("counter_key", "=", key).execute());
  }

  async deleteStartedBefore(startedBefore: number): Promise<number> {
    const result = await this.sql.writeStatement((db) => db.deleteFrom("counters").where("window_started_at", "<", startedBefore).executeTakeFirst());
    return Number(result.numDeletedRows);
  }
}

function checkWindow(windowMs: number): void {
  if (!Number.isSafeInteger(windowMs) || windowMs < 1) throw new RangeError("counters: windowMs must be a positive integer");
}
