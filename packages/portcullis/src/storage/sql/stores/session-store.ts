import type { SessionRecord } from "../../records.js";
import type { SessionStore } from "../../storage.js";
import { sessionFromRow } from "../rows.js";
import { sql, type Insertable, type Kysely } from "kysely";
import type { Database, SessionsTable } from "../schema.js";
import type { SqlContext } from "./sql-context.js";

/** The session columns, in insert order; values already in database form. */
type SessionInsertValues = [
  handle: string,
  userId: string,
  recipeUserId: string,
  tenantId: string,
  refreshTokenHash2: string,
  pendingHash2: string | null,
  sealedPending: string | null,
  accessTokenPayload: string,
  sessionData: string,
  expiresAt: number,
  createdAt: number,
  useStaticKey: Insertable<SessionsTable>["use_static_key"],
];

function sessionRow([handle, userId, recipeUserId, tenantId, hash2, pendingHash2, sealedPending, payload, data, expiresAt, createdAt, useStaticKey]: SessionInsertValues): Insertable<SessionsTable> {
  return {
    session_handle: handle,
    user_id: userId,
    recipe_user_id: recipeUserId,
    tenant_id: tenantId,
    refresh_token_hash2: hash2,
    pending_refresh_token_hash2: pendingHash2,
    sealed_pending_refresh_token: sealedPending,
    access_token_payload: payload,
    session_data: data,
    expires_at: expiresAt,
    created_at: createdAt,
    use_static_key: useStaticKey,
  };
}

/** The session insert of every sign-in, compiled once (see SqlContext.prepare). */
const insertSession = (db: Kysely<Database>, row: Insertable<SessionsTable>) => db.insertInto("sessions").values(row);

/** min(idle expiry, created_at + absolute lifetime), in SQL both dialects share. */
const cappedExpiry = (idleExpiresAt: number, absoluteLifetimeMs: number) =>
  sql<number>`case when created_at + ${absoluteLifetimeMs} < ${idleExpiresAt} then created_at + ${absoluteLifetimeMs} else ${idleExpiresAt} end`;

/**
 * The refresh of every client, compiled once: the presented token is the pending child (first use)
 * or the confirmed token with nothing pending; either way it ends up confirmed with a new child
 * pending. One statement, so two instances can never both move one session on.
 */
const rotateSession = (
  db: Kysely<Database>,
  handle: string,
  presented: string,
  childHash2: string,
  sealedChild: string,
  now: number,
  idleExpiresAt: number,
  absoluteLifetimeMs: number,
  createdAfter: number,
) =>
  db
    .updateTable("sessions")
    .set({
      refresh_token_hash2: presented,
      pending_refresh_token_hash2: childHash2,
      sealed_pending_refresh_token: sealedChild,
      expires_at: cappedExpiry(idleExpiresAt, absoluteLifetimeMs),
    })
    .where("session_handle", "=", handle)
    .where((eb) =>
      eb.or([
        eb("pending_refresh_token_hash2", "=", presented),
        eb.and([eb("refresh_token_hash2", "=", presented), eb("pending_refresh_token_hash2", "is", null)]),
      ]),
    )
    .where("expires_at", ">=", now)
    .where("created_at", ">", createdAfter)
    .returningAll();

export class SqlSessionStore implements SessionStore {
  private readonly insert;
  private readonly rotate;

  constructor(private readonly sql: SqlContext) {
    this.insert = sql.prepare((db, ...values: SessionInsertValues) => insertSession(db, sessionRow(values)));
    this.rotate = sql.prepare(rotateSession);
  }

  async create(session: SessionRecord): Promise<void> {
    const values: SessionInsertValues = [
      session.sessionHandle,
      session.userId,
      session.recipeUserId,
      session.tenantId,
      session.refreshTokenHash2,
      session.pendingRefreshTokenHash2,
      session.sealedPendingRefreshToken,
      JSON.stringify(session.accessTokenPayload),
      JSON.stringify(session.sessionData),
      session.expiresAt,
      session.createdAt,
      this.sql.dialect.toDbBoolean(session.useStaticKey),
    ];
    await this.sql.writeStatement((db) => this.insert(db, ...values));
  }

  async get(sessionHandle: string): Promise<SessionRecord | undefined> {
    const row = await this.sql.db.selectFrom("sessions").selectAll().where("session_handle", "=", sessionHandle).executeTakeFirst();
    return row ? sessionFromRow(row) : undefined;
  }

  async rotateRefreshToken(input: Parameters<SessionStore["rotateRefreshToken"]>[0]): Promise<SessionRecord | undefined> {
    const result = await this.sql.writeStatement((db) =>
      this.rotate(
        db,
        input.sessionHandle,
        input.presentedHash2,
        input.child.hash2,
        input.child.sealed,
        input.now,
        input.idleExpiresAt,
        input.absoluteLifetimeMs,
        input.now - input.absoluteLifetimeMs,
      ),
    );
    const row = result.rows[0];
    return row === undefined ? undefined : sessionFromRow(row);
  }

  confirmRefreshToken(input: Parameters<SessionStore["confirmRefreshToken"]>[0]): Promise<boolean> {
    return this.sql.writeStatement(async (db) => {
      // A single compare-and-swap: a read followed by a write would let two requests both win.
      const result = await db
        .updateTable("sessions")
        .set({
          refresh_token_hash2: input.newHash2,
          pending_refresh_token_hash2: null,
          sealed_pending_refresh_token: null,
          expires_at: cappedExpiry(input.idleExpiresAt, input.absoluteLifetimeMs),
        })
        .where("session_handle", "=", input.sessionHandle)
        .where("refresh_token_hash2", "=", input.expectedHash2)
        .where("pending_refresh_token_hash2", input.expectedPendingHash2 === null ? "is" : "=", input.expectedPendingHash2)
        .where("expires_at", ">=", input.now)
        .where("created_at", ">", input.now - input.absoluteLifetimeMs)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    });
  }

  updatePayload(sessionHandle: string, accessTokenPayload: Record<string, unknown>): Promise<boolean> {
    return this.updateColumn(sessionHandle, { access_token_payload: JSON.stringify(accessTokenPayload) });
  }

  updateData(sessionHandle: string, sessionData: Record<string, unknown>): Promise<boolean> {
    return this.updateColumn(sessionHandle, { session_data: JSON.stringify(sessionData) });
  }

  private updateColumn(sessionHandle: string, set: { access_token_payload: string } | { session_data: string }): Promise<boolean> {
    return this.sql.writeStatement(async (db) => {
      const result = await db.updateTable("sessions").set(set).where("session_handle", "=", sessionHandle).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    });
  }

  async revoke(sessionHandles: string[]): Promise<string[]> {
    if (sessionHandles.length === 0) return [];
    const rows = await this.sql.writeStatement((db) =>
      db.deleteFrom("sessions").where("session_handle", "in", sessionHandles).returning("session_handle").execute(),
    );
    return rows.map((row) => row.session_handle);
  }

  async revokeForUser(userId: string, tenantId: string | undefined): Promise<string[]> {
    const rows = await this.sql.writeStatement((db) => {
      let query = db.deleteFrom("sessions").where("user_id", "=", userId);
      if (tenantId !== undefined) query = query.where("tenant_id", "=", tenantId);
      return query.returning("session_handle").execute();
    });
    return rows.map((row) => row.session_handle);
  }

  async listHandlesForUser(userId: string, tenantId: string | undefined, now: number): Promise<string[]> {
    let query = this.sql.db.selectFrom("sessions").select("session_handle").where("user_id", "=", userId).where("expires_at", ">", now);
    if (tenantId !== undefined) query = query.where("tenant_id", "=", tenantId);
    const rows = await query.orderBy("created_at").orderBy("session_handle").execute();
    return rows.map((row) => row.session_handle);
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.sql.writeStatement((db) => db.deleteFrom("sessions").where("expires_at", "<=", now).executeTakeFirst());
    return Number(result.numDeletedRows);
  }
}
