/** Conversions between database rows and the records of the Storage contract. */
import type { Selectable } from "kysely";
import type { OutboxMessage, RecipeId, SessionRecord, SigningKeyRecord, TenantRecord } from "../records.js";
import type { OutboxTable, SessionsTable, SigningKeysTable, TenantsTable } from "./schema.js";

/** int8 arrives as a number from our pools, but as text from a caller's pool or from count(). */
export function toNumber(value: number | string | bigint): number {
  return typeof value === "number" ? value : Number(value);
}

/** PostgreSQL returns booleans; SQLite returns 0/1. */
export function fromDbBoolean(value: boolean | number): boolean {
  return value === true || value === 1;
}

/** JSON columns hold objects written by us; anything else means the row was tampered with. */
export function parseJsonObject(text: string, column: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`Column ${column} does not hold a JSON object`);
  }
  return value as Record<string, unknown>;
}

const RECIPE_IDS: ReadonlySet<string> = new Set<RecipeId>(["emailpassword", "passwordless", "thirdparty", "webauthn", "phonepassword"]);

export function toRecipeId(value: string): RecipeId {
  if (!RECIPE_IDS.has(value)) throw new Error(`Unknown recipe_id in users table: ${value}`);
  return value as RecipeId;
}

export function tenantFromRow(row: Selectable<TenantsTable>): TenantRecord {
  return {
    tenantId: row.tenant_id,
    config: parseJsonObject(row.config_json, "tenants.config_json"),
    createdAt: toNumber(row.created_at),
  };
}

export function sessionFromRow(row: Selectable<SessionsTable>): SessionRecord {
  return {
    sessionHandle: row.session_handle,
    userId: row.user_id,
    recipeUserId: row.recipe_user_id,
    tenantId: row.tenant_id,
    refreshTokenHash2: row.refresh_token_hash2,
    pendingRefreshTokenHash2: row.pending_refresh_token_hash2,
    sealedPendingRefreshToken: row.sealed_pending_refresh_token,
    accessTokenPayload: parseJsonObject(row.access_token_payload, "sessions.access_token_payload"),
    sessionData: parseJsonObject(row.session_data, "sessions.session_data"),
    expiresAt: toNumber(row.expires_at),
    createdAt: toNumber(row.created_at),
    useStaticKey: fromDbBoolean(row.use_static_key),
  };
}

export function signingKeyFromRow(row: Selectable<SigningKeysTable>): SigningKeyRecord {
  if (row.algorithm !== "RS256") throw new Error(`Unsupported signing key algorithm: ${row.algorithm}`);
  return {
    kid: row.kid,
    algorithm: row.algorithm,
    privateKeyPem: row.private_key_pem,
    publicKeyPem: row.public_key_pem,
    createdAt: toNumber(row.created_at),
  };
}

export function outboxFromRow(row: Selectable<OutboxTable>): OutboxMessage {
  if (row.channel !== "email" && row.channel !== "sms") throw new Error(`Unknown outbox channel: ${row.channel}`);
  return {
    id: row.id,
    channel: row.channel,
    recipient: row.recipient,
    subject: row.subject,
    textBody: row.text_body,
    htmlBody: row.html_body ?? undefined,
    createdAt: toNumber(row.created_at),
  };
}
