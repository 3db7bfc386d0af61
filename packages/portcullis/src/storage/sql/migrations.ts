/**
 * The schema history. A migration is never edited once released: databases in the field have
 * recorded its name as applied. Changes go in a new migration appended to the list.
 */
import { sql, type Kysely } from "kysely";
import type { DialectColumnTypes } from "./dialect.js";
import type { Database, RetiredTables } from "./schema.js";

export interface MigrationContext {
  types: DialectColumnTypes;
  /** The namespaced name of an index or constraint (tables are mapped by the Kysely instance itself). */
  name(logical: string): string;
}

export interface Migration {
  /** Recorded in the migrations bookkeeping table; sorts in application order. */
  name: string;
  /** `db` sees the namespace's tables under their logical names. */
  up(db: Kysely<Database>, context: MigrationContext): Promise<void>;
}

/** Indexes and named constraints of 0001, as a release before namespacing created them (unprefixed). */
export const INITIAL_INDEXES = [
  { name: "users_time_joined_idx", table: "users", columns: ["time_joined", "user_id"] },
  { name: "password_reset_tokens_user_idx", table: "password_reset_tokens", columns: ["user_id"] },
  { name: "sessions_user_idx", table: "sessions", columns: ["user_id"] },
  { name: "sessions_expires_idx", table: "sessions", columns: ["expires_at"] },
  { name: "outbox_created_idx", table: "outbox", columns: ["created_at"] },
] as const;

/** Named table constraints of 0001; PostgreSQL also names each column PRIMARY KEY `<table>_pkey`. */
export const INITIAL_CONSTRAINTS = [
  { name: "user_tenants_pk", table: "user_tenants" },
  { name: "user_tenants_email_uq", table: "user_tenants" },
  { name: "user_tenants_phone_uq", table: "user_tenants" },
  { name: "email_verifications_pk", table: "email_verifications" },
  ...["tenants", "users", "password_reset_tokens", "sessions", "signing_keys", "outbox"].map((table) => ({ name: `${table}_pkey`, table })),
] as const;

async function initialSchema(database: Kysely<Database>, { types: t, name }: MigrationContext): Promise<void> {
  // This migration predates the tokens table; it created password_reset_tokens, which 0002 retires.
  const db = database.withTables<RetiredTables>();
  await db.schema
    .createTable("tenants")
    .addColumn("tenant_id", "text", (c) => c.primaryKey())
    .addColumn("config_json", "text", (c) => c.notNull())
    .addColumn("created_at", t.bigint, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("user_id", "text", (c) => c.primaryKey())
    .addColumn("recipe_id", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("phone_number", "text")
    .addColumn("password_hash", "text")
    .addColumn("time_joined", t.bigint, (c) => c.notNull())
    .execute();
  // listUsers pages by this key in both directions.
  await db.schema.createIndex(name("users_time_joined_idx")).on("users").columns(["time_joined", "user_id"]).execute();

  // The UNIQUE constraints put email/phone before recipe_id so that the same indexes also serve
  // lookups by (tenant, email) across recipes. Column order does not change what is unique.
  // NULLs are distinct in both engines, so users without an email or phone never collide.
  await db.schema
    .createTable("user_tenants")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("recipe_id", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("phone_number", "text")
    .addPrimaryKeyConstraint(name("user_tenants_pk"), ["user_id", "tenant_id"])
    .addUniqueConstraint(name("user_tenants_email_uq"), ["tenant_id", "email", "recipe_id"])
    .addUniqueConstraint(name("user_tenants_phone_uq"), ["tenant_id", "phone_number", "recipe_id"])
    .execute();

  await db.schema
    .createTable("email_verifications")
    .addColumn("recipe_user_id", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint(name("email_verifications_pk"), ["recipe_user_id", "email"])
    .execute();

  await db.schema
    .createTable("password_reset_tokens")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("expires_at", t.bigint, (c) => c.notNull())
    .addColumn("created_at", t.bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex(name("password_reset_tokens_user_idx")).on("password_reset_tokens").column("user_id").execute();

  await db.schema
    .createTable("sessions")
    .addColumn("session_handle", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("recipe_user_id", "text", (c) => c.notNull())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("refresh_token_hash2", "text", (c) => c.notNull())
    .addColumn("access_token_payload", "text", (c) => c.notNull())
    .addColumn("session_data", "text", (c) => c.notNull())
    .addColumn("expires_at", t.bigint, (c) => c.notNull())
    .addColumn("created_at", t.bigint, (c) => c.notNull())
    .addColumn("use_static_key", t.boolean, (c) => c.notNull())
    .execute();
  await db.schema.createIndex(name("sessions_user_idx")).on("sessions").column("user_id").execute();
  await db.schema.createIndex(name("sessions_expires_idx")).on("sessions").column("expires_at").execute();

  await db.schema
    .createTable("signing_keys")
    .addColumn("kid", "text", (c) => c.primaryKey())
    .addColumn("algorithm", "text", (c) => c.notNull())
    .addColumn("private_key_pem", "text", (c) => c.notNull())
    .addColumn("public_key_pem", "text", (c) => c.notNull())
    .addColumn("created_at", t.bigint, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("recipient", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("text_body", "text", (c) => c.notNull())
    .addColumn("html_body", "text")
    .addColumn("created_at", t.bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex(name("outbox_created_idx")).on("outbox").column("created_at").execute();
}

/** One table for single-use tokens of every kind (reset tokens move in), and the counters. */
async function tokensAndCounters(database: Kysely<Database>, { types: t, name }: MigrationContext): Promise<void> {
  const db = database.withTables<RetiredTables>();
  await db.schema
    .createTable("tokens")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text")
    .addColumn("email", "text")
    .addColumn("phone_number", "text")
    .addColumn("expires_at", t.bigint, (c) => c.notNull())
    .addColumn("created_at", t.bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex(name("tokens_user_idx")).on("tokens").columns(["user_id", "kind"]).execute();
  await db
    .insertInto("tokens")
    .columns(["token_hash", "kind", "tenant_id", "user_id", "email", "expires_at", "created_at"])
    .expression(
      db
        .selectFrom("password_reset_tokens")
        .select(["token_hash", sql.lit("password-reset").as("kind"), "tenant_id", "user_id", "email", "expires_at", "created_at"]),
    )
    .execute();
  await db.schema.dropTable("password_reset_tokens").execute();

  await db.schema
    .createTable("counters")
    .addColumn("counter_key", "text", (c) => c.primaryKey())
    .addColumn("hits", t.bigint, (c) => c.notNull())
    .addColumn("window_started_at", t.bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex(name("counters_window_idx")).on("counters").column("window_started_at").execute();
}

/**
 * A session's pending child refresh token (its hash, and the child sealed under its parent): children
 * are random now, not derived, so the server keeps the one it handed out. Existing sessions have none.
 */
async function pendingRefreshTokens(db: Kysely<Database>): Promise<void> {
  await db.schema.alterTable("sessions").addColumn("pending_refresh_token_hash2", "text").execute();
  await db.schema.alterTable("sessions").addColumn("sealed_pending_refresh_token", "text").execute();
}

/** User roles: app-wide roles with permissions, and per-tenant assignments. */
async function userRoles(db: Kysely<Database>, { name }: MigrationContext): Promise<void> {
  await db.schema
    .createTable("roles")
    .addColumn("role", "text", (c) => c.primaryKey())
    .execute();
  await db.schema
    .createTable("role_permissions")
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("permission", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint(name("role_permissions_pk"), ["role", "permission"])
    .execute();
  await db.schema.createIndex(name("role_permissions_permission_idx")).on("role_permissions").column("permission").execute();
  await db.schema
    .createTable("user_roles")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint(name("user_roles_pk"), ["tenant_id", "user_id", "role"])
    .execute();
  await db.schema.createIndex(name("user_roles_role_idx")).on("user_roles").columns(["tenant_id", "role"]).execute();
}

/** Passwordless sign-in attempts ("devices") and their one-time codes, stored by hash. */
async function loginCodes(db: Kysely<Database>, { types: t, name }: MigrationContext): Promise<void> {
  await db.schema
    .createTable("login_code_devices")
    .addColumn("pre_auth_session_id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("phone_number", "text")
    .addColumn("link_code_salt", "text", (c) => c.notNull())
    .addColumn("failed_attempts", "integer", (c) => c.notNull())
    .addColumn("created_at", t.bigint, (c) => c.notNull())
    .execute();
  // Listing and deleting by identifier (a successful sign-in clears the identifier's other
  // attempts); leading with tenant_id, either also serves deleting a tenant's devices.
  await db.schema.createIndex(name("login_code_devices_email_idx")).on("login_code_devices").columns(["tenant_id", "email"]).execute();
  await db.schema.createIndex(name("login_code_devices_phone_idx")).on("login_code_devices").columns(["tenant_id", "phone_number"]).execute();

  // The UNIQUE constraint leads with pre_auth_session_id, so it also serves every lookup of a
  // device's codes: no separate index on that column.
  await db.schema
    .createTable("login_codes")
    .addColumn("code_id", "text", (c) => c.primaryKey())
    .addColumn("pre_auth_session_id", "text", (c) => c.notNull())
    .addColumn("link_code_hash", "text", (c) => c.notNull())
    .addColumn("created_at", t.bigint, (c) => c.notNull())
    .addColumn("expires_at", t.bigint, (c) => c.notNull())
    .addUniqueConstraint(name("login_codes_link_code_uq"), ["pre_auth_session_id", "link_code_hash"])
    .execute();
}

/**
 * Invitations. The partial UNIQUE indexes make "one pending invitation per tenant and identifier"
 * a rule of the database, so two admins inviting the same person at once cannot leave two.
 */
async function invitations(db: Kysely<Database>, { types: t, name }: MigrationContext): Promise<void> {
  await db.schema
    .createTable("invitations")
    .addColumn("invitation_id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("phone_number", "text")
    .addColumn("roles_json", "text", (c) => c.notNull())
    .addColumn("created_at", t.bigint, (c) => c.notNull())
    .addColumn("expires_at", t.bigint, (c) => c.notNull())
    .addColumn("accepted_at", t.bigint)
    .addColumn("accepted_by_user_id", "text")
    .execute();
  for (const column of ["email", "phone_number"] as const) {
    await db.schema
      .createIndex(name(`invitations_pending_${column}_uq`))
      .on("invitations")
      .columns(["tenant_id", column])
      .unique()
      // Kysely types an index predicate's columns as the indexed ones; accepted_at is not.
      .where(sql.ref("accepted_at"), "is", null)
      .execute();
  }
  await db.schema.createIndex(name("invitations_tenant_created_idx")).on("invitations").columns(["tenant_id", "created_at"]).execute();
  await db.schema.createIndex(name("invitations_expires_idx")).on("invitations").column("expires_at").execute();
}

/**
 * Phone + password: verified phone numbers (kept apart from email_verifications, whose meaning
 * stays "this email"), and one-time SMS codes keyed by what the client sends back (tenant,
 * purpose, phone number). 0007 is another stream's; migrations apply in list order by name.
 */
async function phonePassword(db: Kysely<Database>, { types: t, name }: MigrationContext): Promise<void> {
  await db.schema
    .createTable("phone_verifications")
    .addColumn("recipe_user_id", "text", (c) => c.notNull())
    .addColumn("phone_number", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint(name("phone_verifications_pk"), ["recipe_user_id", "phone_number"])
    .execute();
  await db.schema
    .createTable("phone_codes")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("phone_number", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("code_salt", "text", (c) => c.notNull())
    .addColumn("failed_attempts", "integer", (c) => c.notNull())
    .addColumn("created_at", t.bigint, (c) => c.notNull())
    .addColumn("expires_at", t.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint(name("phone_codes_pk"), ["tenant_id", "purpose", "phone_number"])
    .execute();
  // Deleting a user takes its codes; the sweep deletes by expiry.
  await db.schema.createIndex(name("phone_codes_user_idx")).on("phone_codes").column("user_id").execute();
  await db.schema.createIndex(name("phone_codes_expires_idx")).on("phone_codes").column("expires_at").execute();
}

export const migrations: readonly Migration[] = [
  { name: "0001_initial", up: initialSchema },
  { name: "0002_tokens_and_counters", up: tokensAndCounters },
  { name: "0003_pending_refresh_tokens", up: pendingRefreshTokens },
  { name: "0004_user_roles", up: userRoles },
  { name: "0005_login_codes", up: loginCodes },
  { name: "0006_invitations", up: invitations },
  { name: "0008_phone_password", up: phonePassword },
];
