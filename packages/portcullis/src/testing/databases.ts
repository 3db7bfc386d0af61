import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const POSTGRES_BASE_URL = process.env["PORTCULLIS_TEST_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  name: "sqlite" | "postgres";
  url: string;
  cleanup(): Promise<void>;
}

/** pg is an optional peer: only suites that use PostgreSQL load it. */
async function postgresClient() {
  const { default: pg } = await import("pg");
  return new pg.Client({ connectionString: POSTGRES_BASE_URL });
}

/** Whether PostgreSQL answers; under CI=true its absence is a failure, never a silent skip. */
export async function postgresAvailable(): Promise<boolean> {
  let client: Awaited<ReturnType<typeof postgresClient>> | undefined;
  try {
    client = await postgresClient();
    await client.connect();
    await client.query("select 1");
    return true;
  } catch (error) {
    if (process.env["CI"] === "true") throw new Error(`PostgreSQL is required under CI but not reachable at ${POSTGRES_BASE_URL}: ${String(error)}`);
    console.warn(`[tests] PostgreSQL not reachable at ${POSTGRES_BASE_URL}; skipping PostgreSQL variants`);
    return false;
  } finally {
    await client?.end().catch(() => undefined);
  }
}

export function sqliteFileDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), "portcullis-test-"));
  return { name: "sqlite", url: `sqlite:${join(dir, "auth.db")}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh schema per suite, dropped afterwards, so suites never see each other's rows. */
export function postgresDatabase(): TestDatabase {
  const schema = `t_${randomBytes(6).toString("hex")}`;
  return {
    name: "postgres",
    url: `${POSTGRES_BASE_URL}?schema=${schema}`,
    cleanup: async () => {
      const client = await postgresClient();
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

/** The database variants every HTTP suite runs on. */
export async function databaseVariants(): Promise<(() => TestDatabase)[]> {
  return (await postgresAvailable()) ? [sqliteFileDatabase, postgresDatabase] : [sqliteFileDatabase];
}
