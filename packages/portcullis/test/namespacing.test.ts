/**
 * Portcullis's tables never collide with the application's: a dedicated PostgreSQL schema
 * (`portcullis`) or an SQLite table prefix (`portcullis_`). A database in the layout of the
 * releases before (unprefixed tables beside the app's) is moved into the namespace at start-up,
 * with its users and sessions intact, also when several instances start at once.
 * @see issue #5
 */
import { randomBytes, randomUUID } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { systemRandom } from "../src/core/runtime.js";
import { sha256Hex } from "../src/crypto/hash.js";
import { createPasswordHasher } from "../src/crypto/password/password-hasher.js";
import { preparePassword } from "../src/recipes/emailpassword/recipe-implementation.js";
import { newRefreshToken, refreshTokenHash2, serializeRefreshToken } from "../src/recipes/session/refresh-token.js";
import { createSqlStorage } from "../src/storage/create-storage.js";
import { POSTGRES_BASE_URL, postgresAvailable, sqliteFileDatabase } from "./helpers/databases.js";
import { legacyDdl, legacyRows, type LegacyDialect } from "./fixtures/legacy-layout.js";
import { credentials, startTestApp } from "./helpers/test-app.js";

/** A fresh database, with raw access to the application's own schema (`main` / `public`). */
interface Target {
  dialect: LegacyDialect;
  url: string;
  exec(text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Tables and indexes of the application's own schema. */
  appObjects(): Promise<string[]>;
  /** Tables of Portcullis's namespace. */
  ourTables(): Promise<string[]>;
  cleanup(): Promise<void>;
}

function sqliteTarget(): Target {
  const database = sqliteFileDatabase();
  const db = new BetterSqlite3(database.url.slice("sqlite:".length));
  const exec = async (text: string, values: unknown[] = []) => {
    const statement = db.prepare(text);
    return statement.reader ? (statement.all(...values) as Record<string, unknown>[]) : (statement.run(...values), []);
  };
  const names = async (where: string) =>
    (await exec(`select name from sqlite_master where ${where} and name not like 'sqlite_%' order by name`)).map((row) => String(row.name));
  return {
    dialect: "sqlite",
    url: database.url,
    exec,
    appObjects: () => names("name not like 'portcullis_%'"),
    ourTables: () => names("type = 'table' and name like 'portcullis_%'"),
    async cleanup() {
      db.close();
      await database.cleanup();
    },
  };
}

async function postgresTarget(): Promise<Target> {
  const name = `pcls_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_BASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_BASE_URL);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const exec = async (text: string, values: unknown[] = []) => (await client.query(text, values)).rows as Record<string, unknown>[];
  const names = async (schema: string) =>
    (
      await exec(
        `select tablename as name from pg_tables where schemaname = $1 union select indexname from pg_indexes where schemaname = $1 order by name`,
        [schema],
      )
    ).map((row) => String(row.name));
  return {
    dialect: "postgres",
    url: url.toString(),
    exec,
    appObjects: () => names("public"),
    ourTables: async () => (await exec(`select tablename from pg_tables where schemaname = 'portcullis' order by 1`)).map((row) => String(row.tablename)),
    async cleanup() {
      await client.end();
      const dropper = new pg.Client({ connectionString: POSTGRES_BASE_URL });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

const variants: [string, () => Promise<Target>][] = [["SQLite", async () => sqliteTarget()]];
if (await postgresAvailable()) variants.push(["PostgreSQL", postgresTarget]);

const OUR_TABLES = ["counters", "email_verifications", "invitations", "login_code_devices", "login_codes", "migrations", "outbox", "phone_codes", "phone_verifications", "role_permissions", "roles", "sessions", "signing_keys", "tenants", "tokens", "user_roles", "user_tenants", "users"];

describe.each(variants)("table namespace on %s", (_name, makeTarget) => {
  /** Our tables as each dialect names them by default. */
  const expectedTables = (target: Target) =>
    OUR_TABLES.map((table) => (target.dialect === "sqlite" || table === "migrations" ? `portcullis_${table}` : table)).sort();

  it("migrates beside an application's own users table and leaves it untouched", async () => {
    const target = await makeTarget();
    try {
      await target.exec(`create table users (id integer primary key, name text not null)`);
      await target.exec(`insert into users (id, name) values (1, 'app user')`);
      const appBefore = await target.appObjects();

      const app = await startTestApp({ database: target.url });
      try {
        expect((await app.client().post("/auth/signup", credentials("ns@example.com", "password123"))).body.status).toBe("OK");
        expect((await app.client().post("/auth/signin", credentials("ns@example.com", "password123"))).body.status).toBe("OK");
      } finally {
        await app.close();
      }

      expect(await target.exec(`select id, name from users`)).toEqual([{ id: 1, name: "app user" }]);
      expect(await target.appObjects()).toEqual(appBefore);
      expect(await target.ourTables()).toEqual(expectedTables(target));
    } finally {
      await target.cleanup();
    }
  });

  it("moves a database in the earlier layout into the namespace; its user signs in and its session still verifies", async () => {
    const target = await makeTarget();
    try {
      const now = Date.now();
      const email = "legacy@example.com";
      const userId = randomUUID();
      const refresh = newRefreshToken(randomUUID(), systemRandom, false);
      const resetToken = randomBytes(32).toString("base64url");
      for (const statement of legacyDdl(target.dialect)) await target.exec(statement);
      for (const row of legacyRows(target.dialect, {
        userId,
        email,
        passwordHash: await createPasswordHasher().hash(preparePassword("old-password1")),
        sessionHandle: refresh.sessionHandle,
        refreshTokenHash2: refreshTokenHash2(refresh),
        resetTokenHash: sha256Hex(resetToken),
        now,
      })) {
        await target.exec(row.text, row.values);
      }

      // Two instances start on it at the same moment: one moves the tables, the other finds them moved.
      const [a, b] = await Promise.all([startTestApp({ database: target.url }), startTestApp({ database: target.url })]);
      try {
        const signIn = await a.client().post("/auth/signin", credentials(email, "old-password1"));
        expect(signIn.body.status).toBe("OK");
        expect(signIn.body.user.id).toBe(userId);
        expect(signIn.body.user.loginMethods[0].verified).toBe(true);

        const refreshed = await b.client().post("/auth/session/refresh", {}, { authorization: `Bearer ${serializeRefreshToken(refresh)}` });
        expect(refreshed.status).toBe(200);
        const accessToken = refreshed.headers.get("st-access-token") as string;
        const verified = await a.client().get("/protected", { authorization: `Bearer ${accessToken}` });
        expect(verified.status).toBe(200);
        expect(verified.body).toMatchObject({ userId, handle: refresh.sessionHandle });
        expect((await a.auth.engine.storage.sessions.get(refresh.sessionHandle))?.sessionData).toEqual({ kept: true });
        expect((await b.auth.engine.storage.outbox.listNewest(10)).map((message) => message.id)).toContain("legacy-message");

        // The reset token of the old table now lives in the tokens table.
        const reset = await a
          .client()
          .post("/auth/user/password/reset", { formFields: [{ id: "password", value: "new-password1" }], token: resetToken, method: "token" });
        expect(reset.body.status).toBe("OK");
        expect((await b.client().post("/auth/signin", credentials(email, "new-password1"))).body.status).toBe("OK");
      } finally {
        await a.close();
        await b.close();
      }

      // Nothing of ours is left beside the application's tables, index names included.
      expect(await target.appObjects()).toEqual([]);
      expect(await target.ourTables()).toEqual(expectedTables(target));
      // Idempotent: a later start has nothing to move or apply.
      const again = createSqlStorage(target.url);
      try {
        expect(await again.applyMigrations()).toEqual([]);
      } finally {
        await again.close();
      }
      // The application may now create a users table of its own.
      await target.exec(`create table users (id integer primary key, name text)`);
    } finally {
      await target.cleanup();
    }
  });
});
