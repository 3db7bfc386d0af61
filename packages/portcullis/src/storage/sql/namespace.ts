/**
 * Where Portcullis's tables live. Queries are written against logical names (`users`,
 * `sessions`); a Kysely plugin maps them to physical names (`portcullis_users`), and Kysely's
 * own WithSchemaPlugin qualifies them with the schema, so nothing else knows the namespace.
 */
import { IdentifierNode, OperationNodeTransformer, type Kysely, type KyselyPlugin, type TableNode } from "kysely";
import type { Database, MigrationsTable, RetiredTables } from "./schema.js";

export interface Namespace {
  /** PostgreSQL schema holding the tables; undefined means the connection's search_path (always on SQLite). */
  schema: string | undefined;
  /** Prepended to every table, index and constraint name. */
  prefix: string;
  /**
   * Where a release before namespacing put its tables (unprefixed): a schema, or undefined for
   * the connection's current schema. Start-up moves them from there into this namespace.
   */
  legacySchema: string | undefined;
}

export const DEFAULT_SCHEMA = "portcullis";
export const DEFAULT_TABLE_PREFIX = "portcullis_";

/** Plain identifiers only: they are quoted anyway, but a typo must not create a surprising name. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const TABLE_PREFIX = /^([A-Za-z_][A-Za-z0-9_]{0,29})?$/;

export function checkSchemaName(schema: string, where: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid schema name in ${where}: ${JSON.stringify(schema)} (use letters, digits and _)`);
  return schema;
}

export function checkTablePrefix(prefix: string): string {
  if (!TABLE_PREFIX.test(prefix)) {
    throw new Error(`Invalid databaseOptions.tablePrefix: ${JSON.stringify(prefix)} (letters, digits and _, at most 30, not starting with a digit)`);
  }
  return prefix;
}

type LogicalTable = keyof Database | keyof MigrationsTable | keyof RetiredTables;

/** Every table Portcullis has ever created, current or retired, by logical name. */
export const LOGICAL_TABLES: readonly LogicalTable[] = [
  "tenants",
  "users",
  "user_tenants",
  "email_verifications",
  "password_reset_tokens",
  "tokens",
  "sessions",
  "signing_keys",
  "outbox",
  "counters",
  "roles",
  "role_permissions",
  "user_roles",
  "login_code_devices",
  "login_codes",
  "invitations",
  "phone_verifications",
  "phone_codes",
  "portcullis_migrations",
];

/** The physical name of a table, index or constraint in this namespace. */
export function physicalName(namespace: Pick<Namespace, "prefix">, logical: string): string {
  // The bookkeeping table keeps a self-describing name even in an unprefixed dedicated schema.
  if (logical === "portcullis_migrations") return `${namespace.prefix === "" ? "portcullis_" : namespace.prefix}migrations`;
  return `${namespace.prefix}${logical}`;
}

class TableNameTransformer extends OperationNodeTransformer {
  constructor(private readonly names: ReadonlyMap<string, string>) {
    super();
  }

  protected override transformTable(node: TableNode): TableNode {
    const transformed = super.transformTable(node);
    // Only our own logical names are rewritten, so aliases (`users as u` → `u.user_id`) stay as written.
    const physical = this.names.get(transformed.table.identifier.name);
    if (physical === undefined) return transformed;
    return { ...transformed, table: { ...transformed.table, identifier: IdentifierNode.create(physical) } };
  }
}

class TableNamePlugin implements KyselyPlugin {
  private readonly transformer: TableNameTransformer;

  constructor(names: ReadonlyMap<string, string>) {
    this.transformer = new TableNameTransformer(names);
  }

  transformQuery: KyselyPlugin["transformQuery"] = (args) => this.transformer.transformNode(args.node, args.queryId);

  transformResult: KyselyPlugin["transformResult"] = (args) => Promise.resolve(args.result);
}

/** `db`, seeing the namespace's tables under their logical names. */
export function namespacedKysely(db: Kysely<Database>, namespace: Namespace): Kysely<Database> {
  const names = new Map<string, string>();
  for (const logical of LOGICAL_TABLES) {
    const physical = physicalName(namespace, logical);
    if (physical !== logical) names.set(logical, physical);
  }
  let scoped = names.size > 0 ? db.withPlugin(new TableNamePlugin(names)) : db;
  if (namespace.schema !== undefined) scoped = scoped.withSchema(namespace.schema);
  return scoped;
}
