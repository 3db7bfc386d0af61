/**
 * Turns the `database` setting into a Storage: a URL string, a ready Kysely instance, or nothing
 * (then DATABASE_URL, then an SQLite file under ./data).
 */
import { isAbsolute, resolve } from "node:path";
import { PostgresAdapter, SqliteAdapter, type Kysely } from "kysely";
import { checkSchemaName, checkTablePrefix, DEFAULT_SCHEMA, DEFAULT_TABLE_PREFIX, type Namespace } from "./sql/namespace.js";
import { createPostgresDialect, createPostgresKysely, parsePostgresUrl, type PostgresTarget } from "./sql/postgres-dialect.js";
import type { Database } from "./sql/schema.js";
import { SqlStorage } from "./sql/sql-storage.js";
import { SQLITE_MEMORY, createSqliteDialect, createSqliteKysely } from "./sql/sqlite-dialect.js";
import type { Storage } from "./storage.js";

export const DEFAULT_DATABASE_URL = "sqlite:./data/portcullis.db";

/** Where Portcullis's tables go; `databaseOptions` in the configuration. */
export interface DatabaseOptions {
  /**
   * PostgreSQL schema for the tables. Default: `portcullis` (created if missing) when Portcullis
   * opens the database from a URL, whose `?schema=` parameter takes precedence; with a Kysely
   * instance, the instance's own search_path unless this is set. Ignored on SQLite.
   */
  schema?: string;
  /**
   * Prefix of every table, index and constraint name. Default: `portcullis_` on SQLite and with
   * a Kysely instance; none in a PostgreSQL schema of our own.
   */
  tablePrefix?: string;
}

export interface CreateStorageOptions extends DatabaseOptions {
  /** Base for relative sqlite: paths; defaults to process.cwd(). */
  cwd?: string;
}

const ACCEPTED_FORMS =
  "sqlite:./relative/path.db, sqlite:/absolute/path.db, sqlite::memory:, postgres://user:password@host:port/database (or postgresql://), or a Kysely instance";

type DatabaseTarget = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

/** DATABASE_URL when the setting is absent, then the default file. */
export function effectiveDatabaseUrl(database: string | undefined): string {
  if (database !== undefined) return database;
  const fromEnv = process.env["DATABASE_URL"];
  return fromEnv !== undefined && fromEnv !== "" ? fromEnv : DEFAULT_DATABASE_URL;
}

/** Only the scheme is echoed in errors: the rest of an unknown URL may hold a password. */
function unsupported(url: string): Error {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(url)?.[0];
  const what = scheme ? `database URL with scheme "${scheme}"` : "database setting";
  return new Error(`Unsupported ${what}. Accepted forms: ${ACCEPTED_FORMS}.`);
}

export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseTarget {
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length);
    // sqlite://… is ambiguous between conventions (host part or not); refuse rather than guess.
    if (path === "" || path.startsWith("//")) throw unsupported(url);
    if (path === SQLITE_MEMORY) return { kind: "sqlite", path };
    return { kind: "sqlite", path: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    parsePostgresUrl(url); // validates early, with a password-free message
    return { kind: "postgres", url };
  }
  throw unsupported(url);
}

function isKysely<DB>(value: unknown): value is Kysely<DB> {
  // Duck-typed: instanceof fails when the caller's kysely is a different copy of the package.
  return typeof value === "object" && value !== null && typeof (value as { getExecutor?: unknown }).getExecutor === "function";
}

function dialectOfKysely<DB>(db: Kysely<DB>): "sqlite" | "postgres" {
  const adapter = db.getExecutor().adapter;
  const name = adapter.constructor.name;
  if (adapter instanceof SqliteAdapter || name === "SqliteAdapter") return "sqlite";
  if (adapter instanceof PostgresAdapter || name === "PostgresAdapter") return "postgres";
  throw new Error(`Unsupported Kysely dialect (adapter ${name}); Portcullis supports SQLite and PostgreSQL.`);
}

/** createStorage, typed as the concrete class (the CLI needs applyMigrations()). */
export function createSqlStorage<DB>(database: string | Kysely<DB> | undefined, options: CreateStorageOptions = {}): SqlStorage {
  if (isKysely<DB>(database)) {
    const kind = dialectOfKysely(database);
    // The tables are ours whatever the caller's DB type says; the caller owns and closes the instance.
    const db = database as unknown as Kysely<Database>;
    const dialect = kind === "sqlite" ? createSqliteDialect() : createPostgresDialect();
    return new SqlStorage({ db, dialect, namespace: namespaceFor(kind, options), ownsDb: false });
  }
  const target = parseDatabaseUrl(effectiveDatabaseUrl(database), options.cwd);
  if (target.kind === "sqlite") {
    return new SqlStorage({ db: createSqliteKysely(target.path), dialect: createSqliteDialect(), namespace: namespaceFor("sqlite", options), ownsDb: true });
  }
  const namespace = namespaceFor("postgres", options, parsePostgresUrl(target.url));
  return new SqlStorage({ db: createPostgresKysely(target.url), dialect: createPostgresDialect(), namespace, ownsDb: true });
}

/**
 * Where the tables go (defaults in DatabaseOptions). `url` is given when Portcullis opens the
 * PostgreSQL pool itself, and only then does it default to a schema of its own.
 */
function namespaceFor(kind: "sqlite" | "postgres", options: DatabaseOptions, url?: PostgresTarget): Namespace {
  const withPrefix = (fallback: string) => checkTablePrefix(options.tablePrefix ?? fallback);
  if (kind === "sqlite") return { schema: undefined, prefix: withPrefix(DEFAULT_TABLE_PREFIX), legacySchema: undefined };
  const schemaOption = options.schema === undefined ? undefined : checkSchemaName(options.schema, "databaseOptions.schema");
  if (url === undefined) return { schema: schemaOption, prefix: withPrefix(DEFAULT_TABLE_PREFIX), legacySchema: undefined };
  // The URL's ?schema= wins over the option; a release before namespacing also put its tables there.
  return { schema: url.schema ?? schemaOption ?? DEFAULT_SCHEMA, prefix: withPrefix(""), legacySchema: url.schema };
}

export function createStorage<DB>(database: string | Kysely<DB> | undefined, options?: CreateStorageOptions): Storage {
  return createSqlStorage(database, options);
}

/** A description of the database for logs: resolved paths, and never a password. */
export function describeDatabase<DB>(database: string | Kysely<DB> | undefined, options: CreateStorageOptions = {}): string {
  if (isKysely<DB>(database)) {
    try {
      return `Kysely instance (${dialectOfKysely(database)})`;
    } catch {
      return "Kysely instance (unsupported dialect)";
    }
  }
  const url = effectiveDatabaseUrl(database);
  let target: DatabaseTarget;
  try {
    target = parseDatabaseUrl(url, options.cwd);
  } catch (error) {
    return error instanceof Error ? error.message : "invalid database setting";
  }
  if (target.kind === "sqlite") return `sqlite:${target.path}`;
  return redactPostgresUrl(target.url);
}

function redactPostgresUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== "") parsed.password = "***";
  // libpq-style URLs may also carry the password as a query parameter.
  if (parsed.searchParams.has("password")) parsed.searchParams.set("password", "***");
  return parsed.toString();
}
