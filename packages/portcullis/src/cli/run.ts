/**
 * The `portcullis` command line, as a function of argv so it can be tested without spawning.
 * main.ts is only the executable wrapper.
 */
import { createSqlStorage, describeDatabase } from "../storage/create-storage.js";
import type { SqlStorage } from "../storage/sql/sql-storage.js";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  cwd: string;
}

const USAGE = `Usage: portcullis <command> [options]

Commands:
  migrate     Apply pending database migrations, then exit.

Options:
  --database <url>         Database to use. Defaults to $DATABASE_URL, then sqlite:./data/portcullis.db.
                           Forms: sqlite:./relative.db, sqlite:/absolute.db, sqlite::memory:,
                                  postgres://user:password@host:port/database
  --schema <name>          PostgreSQL schema of the tables (databaseOptions.schema); default portcullis.
  --table-prefix <prefix>  Table prefix (databaseOptions.tablePrefix); default portcullis_ on SQLite.
  -h, --help               Show this help.`;

interface MigrateOptions {
  database: string | undefined;
  schema: string | undefined;
  tablePrefix: string | undefined;
}

type Parsed = { command: "help" } | ({ command: "migrate" } & MigrateOptions) | { command: "error"; message: string };

const VALUE_OPTIONS = { "--database": "database", "--schema": "schema", "--table-prefix": "tablePrefix" } as const;

function valueOption(flag: string): keyof MigrateOptions | undefined {
  return Object.hasOwn(VALUE_OPTIONS, flag) ? VALUE_OPTIONS[flag as keyof typeof VALUE_OPTIONS] : undefined;
}

function parseArgs(argv: readonly string[]): Parsed {
  if (argv.length === 0) return { command: "error", message: "No command given." };
  if (argv.includes("--help") || argv.includes("-h") || argv[0] === "help") return { command: "help" };
  const [command, ...rest] = argv;
  if (command !== "migrate") return { command: "error", message: `Unknown command: ${command ?? ""}` };
  const options: MigrateOptions = { database: undefined, schema: undefined, tablePrefix: undefined };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? "";
    const equals = arg.indexOf("=");
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    const key = valueOption(flag);
    if (key === undefined) return { command: "error", message: `Unknown option: ${arg}` };
    const value = equals === -1 ? rest[++i] : arg.slice(equals + 1);
    // An empty prefix is a real choice (no prefix); an empty database or schema is a mistake.
    if (value === undefined || (value === "" && key !== "tablePrefix")) return { command: "error", message: `${flag} needs a value.` };
    options[key] = value;
  }
  return { command: "migrate", ...options };
}

/** Returns the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.command === "help") {
    io.out(USAGE);
    return 0;
  }
  if (parsed.command === "error") {
    io.err(`${parsed.message}\n\n${USAGE}`);
    return 1;
  }

  const options = {
    cwd: io.cwd,
    ...(parsed.schema !== undefined ? { schema: parsed.schema } : {}),
    ...(parsed.tablePrefix !== undefined ? { tablePrefix: parsed.tablePrefix } : {}),
  };
  // Described before opening so a failure can still say which database it was, without a password.
  const description = describeDatabase(parsed.database, options);
  let storage: SqlStorage;
  try {
    storage = createSqlStorage(parsed.database, options);
  } catch (error) {
    io.err(`portcullis migrate: ${messageOf(error)}`);
    return 1;
  }
  try {
    io.out(`Migrating ${description}`);
    const applied = await storage.applyMigrations();
    if (applied.length === 0) io.out("Database is up to date; no migrations applied.");
    else for (const name of applied) io.out(`Applied ${name}`);
    return 0;
  } catch (error) {
    io.err(`portcullis migrate failed on ${description}: ${messageOf(error)}`);
    return 1;
  } finally {
    await storage.close().catch(() => {
      // The exit code already reflects the outcome; a failing close adds nothing actionable.
    });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
