/**
 * The sign-in path reads the user row once: the credential lookup returns the user, its tenants
 * and the password hash in one statement, and session creation reads nothing back. Counted with
 * Kysely's log hook so a second read cannot creep in unnoticed (before issue #5 a sign-in took
 * four statements: three reads, two of them of the users row, and the insert).
 * @see issue #5
 */
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteFileDatabase } from "./helpers/databases.js";
import { credentials, startTestApp, type TestApp } from "./helpers/test-app.js";

describe("sign-in database round trips", () => {
  const database = sqliteFileDatabase();
  const queries: string[] = [];
  let counting = false;
  let db: Kysely<Record<string, never>>;
  let app: TestApp;

  beforeAll(async () => {
    db = new Kysely({
      dialect: new SqliteDialect({ database: new BetterSqlite3(database.url.slice("sqlite:".length)) }),
      log: (event) => {
        if (counting) queries.push(event.query.sql);
      },
    });
    // Limits off: this counts the sign-in's own statements; the next test counts what the throttle adds.
    app = await startTestApp({ database: db, limits: false });
  });

  afterAll(async () => {
    await app.close();
    await db.destroy();
    await database.cleanup();
  });

  it("costs one read of the user, one of the tenant's settings, and one session insert", async () => {
    const email = "count@example.com";
    expect((await app.client().post("/auth/signup", credentials(email, "password123"))).body.status).toBe("OK");
    // Warm: keys loaded and the periodic expired-session sweep done by the sign-up above.
    counting = true;
    const signIn = await app.client().post("/auth/signin", credentials(email, "password123"));
    counting = false;
    expect(signIn.body.status).toBe("OK");

    const reads = queries.filter((query) => /^select\b/i.test(query));
    const userReads = reads.filter((query) => /"portcullis_users"/.test(query));
    expect(userReads).toHaveLength(1);
    // The tenant's settings (token lifetimes, login methods) are read once per request, never
    // cached across requests, so a change made on any instance applies at once.
    expect(reads.filter((query) => /"portcullis_tenants"/.test(query))).toHaveLength(1);
    expect(reads).toHaveLength(2);
    expect(queries.filter((query) => /^insert into "portcullis_sessions"/i.test(query))).toHaveLength(1);
    expect(queries).toHaveLength(3);
  });

  it("adds only counter reads with the default limits: a clear account's sign-in writes nothing to counters", async () => {
    const withLimits = await startTestApp({ database: db });
    try {
      const email = "count-limits@example.com";
      expect((await withLimits.client().post("/auth/signup", credentials(email, "password123"))).body.status).toBe("OK");
      queries.length = 0;
      counting = true;
      const signIn = await withLimits.client().post("/auth/signin", credentials(email, "password123"));
      counting = false;
      expect(signIn.body.status).toBe("OK");
      const counterQueries = queries.filter((query) => /"portcullis_counters"/.test(query));
      // The account's failure count and the client IP's, both reads.
      expect(counterQueries).toHaveLength(2);
      expect(counterQueries.every((query) => /^select\b/i.test(query))).toBe(true);
      // The user, the tenant and the session insert, as without limits.
      expect(queries.filter((query) => !/"portcullis_counters"/.test(query))).toHaveLength(3);
    } finally {
      await withLimits.close();
    }
  });
});
