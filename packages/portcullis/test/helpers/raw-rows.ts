import BetterSqlite3 from "better-sqlite3";
import pg from "pg";

/**
 * Every row of every Portcullis table, as one JSON text: what someone holding a copy of the
 * database would see. Tests search it for secrets that must never be stored in the clear.
 */
export async function dumpPortcullisRows(databaseUrl: string): Promise<string> {
  if (databaseUrl.startsWith("sqlite:")) {
    const db = new BetterSqlite3(databaseUrl.slice("sqlite:".length), { readonly: true });
    try {
      const tables = db.prepare("select name from sqlite_master where type = 'table' and name like 'portcullis_%'").all() as { name: string }[];
      return JSON.stringify(Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`select * from "${name}"`).all()])));
    } finally {
      db.close();
    }
  }
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") ?? "portcullis";
  url.searchParams.delete("schema");
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = $1", [schema]);
    const dump: Record<string, unknown[]> = {};
    for (const { table_name } of tables.rows) dump[table_name] = (await client.query(`select * from "${schema}"."${table_name}"`)).rows;
    return JSON.stringify(dump);
  } finally {
    await client.end();
  }
}
