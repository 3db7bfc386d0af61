/**
 * The database, mail and Redis drivers are optional peer dependencies: an app installs only the ones it
 * uses (a PostgreSQL deployment never compiles better-sqlite3). Each is loaded on first use.
 */
import type BetterSqlite3 from "better-sqlite3";
import type Nodemailer from "nodemailer";
import type Pg from "pg";
import type * as Redis from "redis";

interface Drivers {
  "better-sqlite3": typeof BetterSqlite3;
  pg: typeof Pg;
  nodemailer: typeof Nodemailer;
  redis: typeof Redis;
}

export type DriverName = keyof Drivers;

const NEEDED_FOR: Record<DriverName, string> = {
  "better-sqlite3": "sqlite: databases",
  pg: "postgres:// databases",
  nodemailer: "SMTPService",
  redis: "limits.store.redis (abuse-limit counters in Redis)",
};

/**
 * A dynamic import() works in both builds: native in the ESM one, compiled to require() in the
 * CommonJS one. Either way it resolves from this file, i.e. from the app's node_modules.
 * All four drivers are CommonJS, so `default` is their module.exports in both builds.
 * A bundler that bundles Portcullis itself (Next.js does for a workspace package, whatever
 * serverExternalPackages says) is told to leave the import to Node, which then resolves it from
 * the bundle's directory; otherwise it fails the import as "too dynamic".
 */
export async function loadDriver<Name extends DriverName>(name: Name): Promise<Drivers[Name]> {
  let loaded: { default?: unknown };
  try {
    loaded = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ name)) as { default?: unknown };
  } catch (error) {
    if (isMissing(error, name)) {
      throw new Error(`Portcullis needs the "${name}" package for ${NEEDED_FOR[name]}: npm install ${name}`, { cause: error });
    }
    throw error;
  }
  return (loaded.default ?? loaded) as Drivers[Name];
}

/** The driver itself is absent, as opposed to a broken install of it (then the original error is clearer). */
function isMissing(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : "";
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && message.includes(`'${name}'`);
}
