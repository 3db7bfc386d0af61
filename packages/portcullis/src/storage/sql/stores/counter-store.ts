import type { CounterValue } from "../../records.js";
import type { CounterStore } from "../../storage.js";
import { toNumber } from "../rows.js";
import type { SqlContext } from "./sql-context.js";

export class SqlCounterStore implements CounterStore {
  constructor(private readonly sql: SqlContext) {}

  async increment(key: string, windowMs: number, now: number): Promise<CounterValue> {
    checkWindow(windowMs);
    // One upsert statement: the database serialises concurrent increments of a key on its row
    // (PostgreSQL's ON CONFLICT locks it; SQLite has one writer), so none is lost.
    const row = await this.sql.writeStatement((db) =>
      db
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
        .returning(["hits", "window_started_at"])
        .executeTakeFirstOrThrow(),
    );
    return { count: toNumber(row.hits), windowStartedAt: toNumber(row.window_started_at) };
  }

  async get(key: string, windowMs: number, now: number): Promise<CounterValue | undefined> {
    checkWindow(windowMs);
    const row = await this.sql.db.selectFrom("counters").select(["hits", "window_started_at"]).where("counter_key", "=", key).executeTakeFirst();
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
