import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqlStorage, createStorage, describeDatabase } from "../create-storage.js";
import { describeStorageConformance } from "../../testing/storage/index.js";
import { legacyDdl } from "../../../test/fixtures/legacy-layout.js";
import { InvalidPaginationTokenError } from "../storage-errors.js";
import { migrations } from "./migrations.js";
import { LOGICAL_TABLES } from "./namespace.js";
import type { SqlStorage } from "./sql-storage.js";

const PG_URL = process.env["PORTCULLIS_TEST_PG_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";
const IN_CI = process.env["CI"] === "true";

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pgAvailable = await postgresReachable();

function randomSchema(): string {
  return `t_${randomBytes(6).toString("hex")}`;
}

function withSchema(schema: string): string {
  return `${PG_URL}${PG_URL.includes("?") ? "&" : "?"}schema=${schema}`;
}

/** Opens an admin connection for dropping test schemas. */
async function dropSchemas(schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

// --- (a) SQLite file in a temp directory --------------------------------------------------

const sqliteDir = mkdtempSync(join(tmpdir(), "portcullis-sqlite-"));
afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }));

describeStorageConformance("SQLite file", async () =>
  createStorage(`sqlite:${join(sqliteDir, "nested", "conformance.db")}`),
);

// --- (b) PostgreSQL, one fresh schema per suite ------------------------------------------

const pgSchemas: string[] = [];
afterAll(() => dropSchemas(pgSchemas));

if (pgAvailable) {
  const schema = randomSchema();
  pgSchemas.push(schema);
  describeStorageConformance("PostgreSQL", async () => createStorage(withSchema(schema)));
} else if (IN_CI) {
  describe("PostgreSQL storage", () => {
    beforeAll(() => {
      throw new Error(`PostgreSQL is unreachable at ${describeDatabase(PG_URL)}, and CI=true requires it.`);
    });
    it("runs against PostgreSQL", () => {
      // Never reached: beforeAll fails the suite.
    });
  });
} else {
  console.warn(`\n*** PostgreSQL unreachable at ${describeDatabase(PG_URL)}: PostgreSQL storage tests SKIPPED ***\n`);
  describe.skip(`PostgreSQL storage (SKIPPED: unreachable at ${describeDatabase(PG_URL)})`, () => {
    it("runs against PostgreSQL", () => {
      // Skipped.
    });
  });
}

// --- SQL-specific behaviour ---------------------------------------------------------------

describe("migrator", () => {
  async function appliesOnce(open: () => SqlStorage, count: (storage: SqlStorage) => Promise<number>) {
    const instances = [open(), open(), open()] as const;
    try {
      const applied = await Promise.all(instances.map((storage) => storage.applyMigrations()));
      const all = migrations.map((migration) => migration.name);
      expect(applied.filter((names) => names.length > 0)).toEqual([all]);
      expect(applied.filter((names) => names.length === 0)).toHaveLength(2);
      const [first, second] = instances;
      expect(await count(first)).toBe(migrations.length);
      expect(await second.applyMigrations()).toEqual([]);
    } finally {
      for (const storage of instances) await storage.close();
    }
  }

  it("applies each migration exactly once when instances race on one SQLite file", async () => {
    const file = join(sqliteDir, "race.db");
    await appliesOnce(
      () => createSqlStorage(`sqlite:${file}`),
      async () => {
        const db = new BetterSqlite3(file, { readonly: true });
        try {
          return (db.prepare("select count(*) as n from portcullis_migrations").get() as { n: number }).n;
        } finally {
          db.close();
        }
      },
    );
  });

  it.skipIf(!pgAvailable)("applies each migration exactly once when instances race on one PostgreSQL schema", async () => {
    const schema = randomSchema();
    pgSchemas.push(schema);
    await appliesOnce(
      () => createSqlStorage(withSchema(schema)),
      async () => {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        try {
          const result = await client.query<{ n: string }>(`select count(*) as n from "${schema}".portcullis_migrations`);
          return Number(result.rows[0]?.n);
        } finally {
          await client.end();
        }
      },
    );
  });
});

describe("SQLite dialect", () => {
  it("creates the parent directory and sets the connection pragmas", async () => {
    const file = join(sqliteDir, "deep", "er", "pragmas.db");
    const storage = createSqlStorage(`sqlite:${file}`);
    try {
      await storage.migrate();
      expect(existsSync(file)).toBe(true);
      const db = new BetterSqlite3(file);
      try {
        expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      } finally {
        db.close();
      }
    } finally {
      await storage.close();
    }
  });

  it("applies busy_timeout, synchronous and foreign_keys on its own connection", async () => {
    const { openSqliteDatabase } = await import("./sqlite-dialect.js");
    const { SQLITE_BUSY_TIMEOUT_MS } = await import("./sqlite-faults.js");
    const db = await openSqliteDatabase(join(sqliteDir, "pragmas2.db"));
    try {
      // A few ms: SQLite's wait blocks the event loop; longer waits for a lock are async retries (test/faults/).
      expect(db.pragma("busy_timeout", { simple: true })).toBe(SQLITE_BUSY_TIMEOUT_MS);
      expect(SQLITE_BUSY_TIMEOUT_MS).toBeLessThanOrEqual(10);
      expect(db.pragma("synchronous", { simple: true })).toBe(1); // NORMAL
      expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    } finally {
      db.close();
    }
  });

  it("works in memory", async () => {
    const storage = createStorage("sqlite::memory:");
    await storage.migrate();
    expect(await storage.tenants.upsert("public", {}, 1)).toEqual({ createdNew: true });
    await storage.close();
  });
});

describe("createStorage", () => {
  it("resolves a relative sqlite: path against cwd", async () => {
    const cwd = mkdtempSync(join(sqliteDir, "cwd-"));
    const storage = createStorage("sqlite:./data/app.db", { cwd });
    await storage.migrate();
    await storage.close();
    expect(existsSync(join(cwd, "data", "app.db"))).toBe(true);
    expect(describeDatabase("sqlite:./data/app.db", { cwd })).toBe(`sqlite:${join(cwd, "data", "app.db")}`);
  });

  it("falls back to DATABASE_URL, then to ./data/portcullis.db", () => {
    const saved = process.env["DATABASE_URL"];
    try {
      process.env["DATABASE_URL"] = "sqlite:/srv/from-env.db";
      expect(describeDatabase(undefined)).toBe("sqlite:/srv/from-env.db");
      delete process.env["DATABASE_URL"];
      expect(describeDatabase(undefined, { cwd: "/srv/app" })).toBe("sqlite:/srv/app/data/portcullis.db");
    } finally {
      if (saved === undefined) delete process.env["DATABASE_URL"];
      else process.env["DATABASE_URL"] = saved;
    }
  });

  it("rejects an unknown scheme with the accepted forms, without echoing credentials", () => {
    expect(() => createStorage("mysql://root:hunter2@db/app")).toThrow(/mysql:.*sqlite:.*postgres:\/\//s);
    expect(() => createStorage("mysql://root:hunter2@db/app")).not.toThrow(/hunter2/);
    expect(() => createStorage("./relative.db")).toThrow(/Accepted forms/);
    expect(() => createStorage("sqlite:")).toThrow(/Accepted forms/);
  });

  it("describes PostgreSQL URLs without the password", () => {
    expect(describeDatabase("postgres://app:s3cret@db.internal:5432/auth?schema=t_1")).toBe(
      "postgres://app:***@db.internal:5432/auth?schema=t_1",
    );
    expect(describeDatabase("postgresql://app@db/auth?password=s3cret")).not.toContain("s3cret");
    expect(describeDatabase("postgres://app@db/auth")).toBe("postgres://app@db/auth");
  });

  it("rejects an invalid schema parameter", () => {
    expect(() => createStorage("postgres://app@db/auth?schema=a;drop")).toThrow(/schema/);
  });

  it("uses a caller-supplied SQLite Kysely and leaves it open on close()", async () => {
    const db = new Kysely<Record<string, never>>({ dialect: new SqliteDialect({ database: new BetterSqlite3(":memory:") }) });
    const storage = createStorage(db);
    await storage.migrate();
    await storage.tenants.upsert("public", { a: 1 }, 5);
    await storage.close();
    const rows = await sql<{ tenant_id: string }>`select tenant_id from portcullis_tenants`.execute(db);
    expect(rows.rows).toEqual([{ tenant_id: "public" }]);
    await db.destroy();
  });

  it("rejects a malformed pagination token with InvalidPaginationTokenError", async () => {
    const storage = createStorage("sqlite::memory:");
    await storage.migrate();
    await expect(
      storage.users.list({ tenantId: undefined, order: "ASC", limit: 1, paginationToken: "bm9wZQ", includeRecipeIds: undefined, query: undefined }),
    ).rejects.toBeInstanceOf(InvalidPaginationTokenError);
    await storage.close();
  });
});

describe.skipIf(!pgAvailable)("PostgreSQL dialect", () => {
  it("parses int8 per pool, leaving the global pg type parsers alone", async () => {
    const schema = randomSchema();
    pgSchemas.push(schema);
    const storage = createStorage(withSchema(schema));
    try {
      await storage.migrate();
      await storage.tenants.upsert("public", {}, 1_700_000_000_000);
      expect((await storage.tenants.get("public"))?.createdAt).toBe(1_700_000_000_000);
      expect(await storage.users.count({ tenantId: undefined, includeRecipeIds: undefined })).toBe(0);
      expect(pg.types.getTypeParser(pg.types.builtins.INT8)("42")).toBe("42");
    } finally {
      await storage.close();
    }
  });

  it("works on a caller-supplied Kysely whose pool returns int8 as text, and leaves it open", async () => {
    const schema = randomSchema();
    pgSchemas.push(schema);
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema "${schema}"`);
    await admin.end();
    const db = new Kysely<Record<string, never>>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: PG_URL, options: `-c search_path=${schema}` }) }),
    });
    const storage = createStorage(db);
    await storage.migrate();
    await storage.sessions.create({
      sessionHandle: "h",
      userId: "u",
      recipeUserId: "u",
      tenantId: "public",
      refreshTokenHash2: "r",
      pendingRefreshTokenHash2: null,
      sealedPendingRefreshToken: null,
      accessTokenPayload: {},
      sessionData: {},
      expiresAt: 20,
      createdAt: 10,
      useStaticKey: true,
    });
    expect(await storage.sessions.get("h")).toMatchObject({ expiresAt: 20, createdAt: 10, useStaticKey: true });
    expect(await storage.users.count({ tenantId: undefined, includeRecipeIds: undefined })).toBe(0);
    await storage.close();
    const rows = await sql<{ n: string }>`select count(*) as n from portcullis_sessions`.execute(db);
    expect(rows.rows[0]?.n).toBe("1");
    await db.destroy();
  });
});

describe("table namespace options", () => {
  it("keeps two prefixes in one SQLite file apart", async () => {
    const file = join(sqliteDir, "prefixes.db");
    const acme = createStorage(`sqlite:${file}`, { tablePrefix: "acme_" });
    const plain = createStorage(`sqlite:${file}`);
    try {
      await acme.migrate();
      await plain.migrate();
      await acme.tenants.upsert("only-acme", {}, 1);
      expect(await plain.tenants.get("only-acme")).toBeUndefined();
      const db = new BetterSqlite3(file, { readonly: true });
      try {
        const tables = (db.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((row) => row.name);
        expect(tables.filter((name) => name.startsWith("acme_"))).toContain("acme_users");
        expect(tables.filter((name) => !name.startsWith("acme_") && !name.startsWith("portcullis_"))).toEqual([]);
      } finally {
        db.close();
      }
    } finally {
      await acme.close();
      await plain.close();
    }
  });

  it("rejects an invalid prefix or schema name", () => {
    expect(() => createStorage("sqlite::memory:", { tablePrefix: "bad-prefix" })).toThrow(/tablePrefix/);
    expect(() => createStorage("postgres://app@db/auth", { schema: "a;drop" })).toThrow(/schema/);
  });

  it.skipIf(!pgAvailable)("puts PostgreSQL tables in databaseOptions.schema, and the URL's ?schema= wins over it", async () => {
    const [option, fromUrl] = [randomSchema(), randomSchema()];
    pgSchemas.push(option, fromUrl);
    const byOption = createStorage(PG_URL, { schema: option });
    const byUrl = createStorage(withSchema(fromUrl), { schema: option });
    try {
      await byOption.migrate();
      await byUrl.migrate();
      await byUrl.tenants.upsert("url-tenant", {}, 1);
      expect(await byOption.tenants.get("url-tenant")).toBeUndefined();
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      try {
        const count = async (schema: string) =>
          Number((await admin.query<{ n: string }>(`select count(*) as n from pg_tables where schemaname = $1`, [schema])).rows[0]?.n);
        // Every table we ever made, less the retired password_reset_tokens (0002 dropped it).
        const current = LOGICAL_TABLES.length - 1;
        expect(await count(option)).toBe(current);
        expect(await count(fromUrl)).toBe(current);
      } finally {
        await admin.end();
      }
    } finally {
      await byOption.close();
      await byUrl.close();
    }
  });

  it.skipIf(!pgAvailable)("renames an earlier layout in place, constraints included, for a caller's Kysely", async () => {
    const schema = randomSchema();
    pgSchemas.push(schema);
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      await admin.query(`create schema "${schema}"; set search_path to "${schema}"`);
      for (const statement of legacyDdl("postgres")) await admin.query(statement);
      await admin.query(`insert into tenants values ('kept', '{"a":1}', 5)`);
      const db = new Kysely<Record<string, never>>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: PG_URL, options: `-c search_path=${schema}` }) }),
      });
      const storage = createStorage(db);
      try {
        await storage.migrate();
        expect(await storage.tenants.get("kept")).toMatchObject({ config: { a: 1 }, createdAt: 5 });
      } finally {
        await storage.close();
        await db.destroy();
      }
      const names = async (sqlText: string) => (await admin.query<{ name: string }>(sqlText, [schema])).rows.map((row) => row.name);
      const unprefixed = (list: string[]) => list.filter((name) => !name.startsWith("portcullis_"));
      expect(unprefixed(await names(`select tablename as name from pg_tables where schemaname = $1`))).toEqual([]);
      expect(unprefixed(await names(`select indexname as name from pg_indexes where schemaname = $1`))).toEqual([]);
      const constraints = await names(`select conname as name from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname = $1`);
      expect(unprefixed(constraints)).toEqual([]);
      expect(constraints).toEqual(expect.arrayContaining(["portcullis_users_pkey", "portcullis_user_tenants_email_uq"]));
    } finally {
      await admin.end();
    }
  });
});
