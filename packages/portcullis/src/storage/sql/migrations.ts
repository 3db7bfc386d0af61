/**
 * The schema history. A migration is never edited once released: databases in the field have
 * recorded its name as applied. Changes go in a new migration appended to the list.
 */
import type { Kysely } from "kysely";
import type { DialectColumnTypes } from "./dialect.js";
import type { Database } from "./schema.js";

export interface Migration {
  /** Recorded in portcullis_migrations; sorts in application order. */
  name: string;
  up(db: Kysely<Database>, types: DialectColumnTypes): Promise<void>;
}

async function initialSchema(db: Kysely<Database>, t: DialectColumnTypes): Promise<void> {
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
  await db.schema.createIndex("users_time_joined_idx").on("users").columns(["time_joined", "user_id"]).execute();

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
    .addPrimaryKeyConstraint("user_tenants_pk", ["user_id", "tenant_id"])
    .addUniqueConstraint("user_tenants_email_uq", ["tenant_id", "email", "recipe_id"])
    .addUniqueConstraint("user_tenants_phone_uq", ["tenant_id", "phone_number", "recipe_id"])
    .execute();

  await db.schema
    .createTable("email_verifications")
    .addColumn("recipe_user_id", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("email_verifications_pk", ["recipe_user_id", "email"])
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
  await db.schema.createIndex("password_reset_tokens_user_idx").on("password_reset_tokens").column("user_id").execute();

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
  await db.schema.createIndex("sessions_user_idx").on("sessions").column("user_id").execute();
  await db.schema.createIndex("sessions_expires_idx").on("sessions").column("expires_at").execute();

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
  await db.schema.createIndex("outbox_created_idx").on("outbox").column("created_at").execute();
}

export const migrations: readonly Migration[] = [{ name: "0001_initial", up: initialSchema }];
