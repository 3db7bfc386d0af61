/** What every SQL store shares: the namespaced Kysely and the dialect's ways of writing. */
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from "kysely";
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

  /**
   * A hot statement built and compiled once. Kysely builds, runs the namespace plugin over, and
   * compiles every query anew, which on the sign-in path costs more than SQLite running it.
   * `build` is called once, with markers for its arguments; each call then runs the same SQL with
   * its own values in the markers' places. Only for queries whose shape never depends on the
   * values (no branching on them, no lists), and arguments must already be database values.
   */
  prepare<A extends unknown[], R>(build: (db: Kysely<Database>, ...args: A) => Compilable<R>): (executor: Kysely<Database>, ...args: A) => Promise<QueryResult<R>> {
    let compiled: { sql: string; parameters: readonly unknown[]; argumentAt: number[] } | undefined;
    return (executor, ...args) => {
      if (compiled === undefined) {
        const markers = args.map((_, index) => new ArgumentMarker(index));
        const query = build(this.db, ...(markers as A)).compile();
        const argumentAt = query.parameters.map((parameter) => (parameter instanceof ArgumentMarker ? parameter.index : -1));
        if (markers.some((marker) => !argumentAt.includes(marker.index))) throw new Error("prepare(): every argument must become a query parameter");
        compiled = { sql: query.sql, parameters: query.parameters, argumentAt };
      }
      const { sql, parameters, argumentAt } = compiled;
      return executor.executeQuery<R>(CompiledQuery.raw(sql, parameters.map((constant, i) => (argumentAt[i] === -1 ? constant : args[argumentAt[i] as number]))));
    };
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

/** Stands for the index-th argument of a prepared statement while it is compiled. */
class ArgumentMarker {
  constructor(readonly index: number) {}
}
