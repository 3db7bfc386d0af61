import type { SessionRecord } from "../../records.js";
import type { SessionStore } from "../../storage.js";
import { sessionFromRow } from "../rows.js";
import type { SqlContext } from "./sql-context.js";

export class SqlSessionStore implements SessionStore {
  constructor(private readonly sql: SqlContext) {}

  async create(session: SessionRecord): Promise<void> {
    const { dialect } = this.sql;
    await this.sql.writeStatement((db) =>
      db
        .insertInto("sessions")
        .values({
          session_handle: session.sessionHandle,
          user_id: session.userId,
          recipe_user_id: session.recipeUserId,
          tenant_id: session.tenantId,
          refresh_token_hash2: session.refreshTokenHash2,
          access_token_payload: JSON.stringify(session.accessTokenPayload),
          session_data: JSON.stringify(session.sessionData),
          expires_at: session.expiresAt,
          created_at: session.createdAt,
          use_static_key: dialect.toDbBoolean(session.useStaticKey),
        })
        .execute(),
    );
  }

  async get(sessionHandle: string): Promise<SessionRecord | undefined> {
    const row = await this.sql.db.selectFrom("sessions").selectAll().where("session_handle", "=", sessionHandle).executeTakeFirst();
    return row ? sessionFromRow(row) : undefined;
  }

  swapRefreshTokenHash(input: { sessionHandle: string; expectedHash2: string; newHash2: string; newExpiresAt: number }): Promise<boolean> {
    return this.sql.writeStatement(async (db) => {
      // A single compare-and-swap: a read followed by a write would let two refreshes both win.
      const result = await db
        .updateTable("sessions")
        .set({ refresh_token_hash2: input.newHash2, expires_at: input.newExpiresAt })
        .where("session_handle", "=", input.sessionHandle)
        .where("refresh_token_hash2", "=", input.expectedHash2)
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
