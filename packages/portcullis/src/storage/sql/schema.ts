/**
 * Kysely table types for the Portcullis schema. Identifiers are snake_case and avoid words
 * reserved by either engine (PostgreSQL reserves `session_user`, for one).
 */
import type { ColumnType } from "kysely";

/**
 * A bigint column. Our own pools return JS numbers, but a caller-supplied PostgreSQL Kysely may
 * still return int8 as a string, so reads are typed honestly and converted by the row mappers.
 */
export type Int8 = ColumnType<number | string, number, number>;

/** PostgreSQL has a boolean type; SQLite stores 0/1 (better-sqlite3 cannot bind booleans). */
export type DbBoolean = ColumnType<boolean | number, boolean | number, boolean | number>;

export interface TenantsTable {
  tenant_id: string;
  /** JSON text: the multitenancy recipe's opaque config. */
  config_json: string;
  created_at: Int8;
}

/** One row per recipe user (without account linking the user id equals the recipe user id). */
export interface UsersTable {
  user_id: string;
  recipe_id: string;
  email: string | null;
  phone_number: string | null;
  password_hash: string | null;
  time_joined: Int8;
}

/**
 * Tenant membership, with the login identifiers copied in so the per-tenant uniqueness of
 * (recipe, email) and (recipe, phone) can be a plain UNIQUE constraint.
 */
export interface UserTenantsTable {
  user_id: string;
  tenant_id: string;
  recipe_id: string;
  email: string | null;
  phone_number: string | null;
}

export interface EmailVerificationsTable {
  recipe_user_id: string;
  email: string;
}

/** Verified phone numbers of recipe users (0008). */
export interface PhoneVerificationsTable {
  recipe_user_id: string;
  phone_number: string;
}

/** One-time SMS codes, one per (tenant, purpose, phone number), by salted hash (0008). */
export interface PhoneCodesTable {
  tenant_id: string;
  purpose: string;
  phone_number: string;
  user_id: string;
  code_hash: string;
  code_salt: string;
  failed_attempts: number;
  created_at: Int8;
  expires_at: Int8;
}

/** Single-use tokens and codes of every kind, stored by hash. */
export interface TokensTable {
  token_hash: string;
  kind: string;
  tenant_id: string;
  user_id: string | null;
  email: string | null;
  phone_number: string | null;
  expires_at: Int8;
  created_at: Int8;
}

/** Fixed-window counters (failure counts, rate limits). */
export interface CountersTable {
  counter_key: string;
  hits: Int8;
  window_started_at: Int8;
}

/** App-wide roles; a role with no permissions is a row here alone. */
export interface RolesTable {
  role: string;
}

export interface RolePermissionsTable {
  role: string;
  permission: string;
}

/** Which user holds which role in which tenant. */
export interface UserRolesTable {
  tenant_id: string;
  user_id: string;
  role: string;
}

/**
 * A passwordless sign-in attempt ("device"), keyed by the hash of the device id the client holds.
 * created_at is that of its first code, and orders a user's devices.
 */
export interface LoginCodeDevicesTable {
  pre_auth_session_id: string;
  tenant_id: string;
  email: string | null;
  phone_number: string | null;
  link_code_salt: string;
  failed_attempts: number;
  created_at: Int8;
}

/** The codes of a device, by the hash of their link code; UNIQUE per device. */
export interface LoginCodesTable {
  code_id: string;
  pre_auth_session_id: string;
  link_code_hash: string;
  created_at: Int8;
  expires_at: Int8;
}

/** Invitations to sign up; exactly one of email and phone_number is set. */
export interface InvitationsTable {
  invitation_id: string;
  tenant_id: string;
  email: string | null;
  phone_number: string | null;
  /** JSON text: an array of role names. */
  roles_json: string;
  created_at: Int8;
  expires_at: Int8;
  accepted_at: Int8 | null;
  accepted_by_user_id: string | null;
}

export interface SessionsTable {
  session_handle: string;
  user_id: string;
  recipe_user_id: string;
  tenant_id: string;
  refresh_token_hash2: string;
  /** Added by 0003. */
  pending_refresh_token_hash2: string | null;
  sealed_pending_refresh_token: string | null;
  /** JSON text. */
  access_token_payload: string;
  /** JSON text. */
  session_data: string;
  expires_at: Int8;
  created_at: Int8;
  use_static_key: DbBoolean;
}

export interface SigningKeysTable {
  kid: string;
  algorithm: string;
  private_key_pem: string;
  public_key_pem: string;
  created_at: Int8;
}

export interface OutboxTable {
  id: string;
  channel: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  created_at: Int8;
}

/**
 * Bookkeeping of the migrator; kept out of `Database` so storage queries cannot touch it.
 * A type alias, not an interface: Kysely's withTables() needs the implicit index signature.
 */
export type MigrationsTable = {
  portcullis_migrations: {
    name: string;
    applied_at: Int8;
  };
};

export interface Database {
  tenants: TenantsTable;
  users: UsersTable;
  user_tenants: UserTenantsTable;
  email_verifications: EmailVerificationsTable;
  tokens: TokensTable;
  sessions: SessionsTable;
  signing_keys: SigningKeysTable;
  outbox: OutboxTable;
  counters: CountersTable;
  roles: RolesTable;
  role_permissions: RolePermissionsTable;
  user_roles: UserRolesTable;
  login_code_devices: LoginCodeDevicesTable;
  login_codes: LoginCodesTable;
  invitations: InvitationsTable;
  phone_verifications: PhoneVerificationsTable;
  phone_codes: PhoneCodesTable;
}

/** Tables of earlier releases that migrations still read while moving their rows. */
export type RetiredTables = {
  password_reset_tokens: {
    token_hash: string;
    user_id: string;
    tenant_id: string;
    email: string;
    expires_at: Int8;
    created_at: Int8;
  };
};
