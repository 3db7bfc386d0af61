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
  --database <url>  Database to use. Defaults to $DATABASE_URL, then sqlite:./data/portcullis.db.
                    Forms: sqlite:./relative.db, sqlite:/absolute.db, sqlite::memory:,
                           postgres://user:password@host:port/database
  -h, --help        Show this help.`;

type Parsed = { command: "help" } | { command: "migrate"; database: string | undefined } | { command: "error"; message: string };

function parseArgs(argv: readonly string[]): Parsed {
  if (argv.length === 0) return { command: "error", message: "No command given." };
  if (argv.includes("--help") || argv.includes("-h") || argv[0] === "help") return { command: "help" };
  const [command, ...rest] = argv;
  if (command !== "migrate") return { command: "error", message: `Unknown command: ${command ?? ""}` };
  let database: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? "";
    if (arg === "--database") {
      const value = rest[++i];
      if (value === undefined || value === "") return { command: "error", message: "--database needs a value." };
      database = value;
    } else if (arg.startsWith("--database=")) {
      database = arg.slice("--database=".length);
    } else {
      return { command: "error", message: `Unknown option: ${arg}` };
    }
  }
  return { command: "migrate", database };
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

  const options = { cwd: io.cwd };
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
