/**
 * The Storage contract over SQL, written once for SQLite and PostgreSQL. Every write goes
 * through the dialect (on SQLite always a BEGIN IMMEDIATE transaction; on PostgreSQL a
 * transaction when it is more than one statement), and every race the contract mentions is
 * settled by the database: UNIQUE constraints for sign-up, compare-and-swap UPDATEs for password
 * upgrades and refresh rotation, DELETE ... RETURNING as the claim on a reset token.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from "kysely";
import type {
  ListUsersInput,
  OutboxMessage,
  SessionRecord,
  SigningKeyRecord,
  Storage,
  StoredUser,
  TenantRecord,
} from "../storage.js";
import type { SqlDialect } from "./dialect.js";
import { loadUsers, loadUsersInOrder } from "./load-users.js";
import { migrations } from "./migrations.js";
import { runMigrations } from "./migrator.js";
import { decodeUserCursor, encodeUserCursor } from "./pagination.js";
import { outboxFromRow, sessionFromRow, signingKeyFromRow, tenantFromRow, toNumber } from "./rows.js";
import type { Database } from "./schema.js";

const EMAILPASSWORD = "emailpassword";
const INVALID_TOKEN = { status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" } as const;

export interface SqlStorageOptions {
  db: Kysely<Database>;
  dialect: SqlDialect;
  /** False for a caller-supplied Kysely: its owner closes it, not us. */
  ownsDb: boolean;
}

export class SqlStorage implements Storage {
  readonly dialectName: SqlDialect["name"];
  private readonly db: Kysely<Database>;
  private readonly dialect: SqlDialect;
  private readonly ownsDb: boolean;
  private closed = false;

  constructor(options: SqlStorageOptions) {
    this.db = options.db;
    this.dialect = options.dialect;
    this.ownsDb = options.ownsDb;
    this.dialectName = options.dialect.name;
  }

  private write<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.dialect.withWriteTransaction(this.db, fn);
  }

  /** For writes that are a single statement; see SqlDialect.withWriteStatement. */
  private writeStatement<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.dialect.withWriteStatement(this.db, fn);
  }

  /** Runs `fn`; a UNIQUE violation inside it (already rolled back) becomes `onConflict`. */
  private async unlessConflict<T, C>(fn: () => Promise<T>, onConflict: C): Promise<T | C> {
    try {
      return await fn();
    } catch (error) {
      if (this.dialect.isUniqueViolation(error)) return onConflict;
      throw error;
    }
  }

  // --- lifecycle -------------------------------------------------------------------------

  async migrate(): Promise<void> {
    await this.applyMigrations();
  }

  /** Like migrate(), but says which migrations this call applied (for the CLI). */
  applyMigrations(): Promise<string[]> {
    return runMigrations(this.db, this.dialect, migrations);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsDb) await this.db.destroy();
  }

  // --- tenants ---------------------------------------------------------------------------

  upsertTenant(tenantId: string, config: Record<string, unknown>, now: number): Promise<{ createdNew: boolean }> {
    const configJson = JSON.stringify(config);
    return this.write(async (trx) => {
      // Insert-or-nothing first, so createdNew is decided by the database even when two
      // instances create the same tenant at once.
      const inserted = await trx
        .insertInto("tenants")
        .values({ tenant_id: tenantId, config_json: configJson, created_at: now })
        .onConflict((oc) => oc.column("tenant_id").doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return { createdNew: true };
      await trx.updateTable("tenants").set({ config_json: configJson }).where("tenant_id", "=", tenantId).execute();
      return { createdNew: false };
    });
  }

  async getTenant(tenantId: string): Promise<TenantRecord | undefined> {
    const row = await this.db.selectFrom("tenants").selectAll().where("tenant_id", "=", tenantId).executeTakeFirst();
    return row ? tenantFromRow(row) : undefined;
  }

  async listTenants(): Promise<TenantRecord[]> {
    const rows = await this.db.selectFrom("tenants").selectAll().orderBy("created_at").orderBy("tenant_id").execute();
    return rows.map(tenantFromRow);
  }

  deleteTenant(tenantId: string): Promise<boolean> {
    // Users stay (they may belong to other tenants); only what is scoped to this tenant goes.
    return this.write(async (trx) => {
      const deleted = await trx.deleteFrom("tenants").where("tenant_id", "=", tenantId).executeTakeFirst();
      await trx.deleteFrom("user_tenants").where("tenant_id", "=", tenantId).execute();
      await trx.deleteFrom("sessions").where("tenant_id", "=", tenantId).execute();
      await trx.deleteFrom("password_reset_tokens").where("tenant_id", "=", tenantId).execute();
      return deleted.numDeletedRows > 0n;
    });
  }

  // --- users -----------------------------------------------------------------------------

  createEmailPasswordUser(input: {
    userId: string;
    tenantId: string;
    email: string;
    passwordHash: string;
    timeJoined: number;
  }): Promise<{ status: "OK"; user: StoredUser } | { status: "EMAIL_ALREADY_EXISTS_ERROR" }> {
    return this.unlessConflict(
      () =>
        this.write(async (trx) => {
          await trx
            .insertInto("users")
            .values({
              user_id: input.userId,
              recipe_id: EMAILPASSWORD,
              email: input.email,
              phone_number: null,
              password_hash: input.passwordHash,
              time_joined: input.timeJoined,
            })
            .execute();
          // The UNIQUE (tenant, email, recipe) constraint is the arbiter between concurrent sign-ups.
          await trx
            .insertInto("user_tenants")
            .values({
              user_id: input.userId,
              tenant_id: input.tenantId,
              recipe_id: EMAILPASSWORD,
              email: input.email,
              phone_number: null,
            })
            .execute();
          const user = (await loadUsers(trx, [input.userId])).get(input.userId);
          if (!user) throw new Error("User vanished inside its own insert transaction");
          return { status: "OK" as const, user };
        }),
      // Also reached on a users primary-key clash, which random user ids make theoretical.
      { status: "EMAIL_ALREADY_EXISTS_ERROR" as const },
    );
  }

  async findEmailPasswordLogin(
    tenantId: string,
    email: string,
  ): Promise<{ user: StoredUser; recipeUserId: string; passwordHash: string } | undefined> {
    const row = await this.db
      .selectFrom("user_tenants")
      .innerJoin("users", "users.user_id", "user_tenants.user_id")
      .select(["users.user_id", "users.password_hash"])
      .where("user_tenants.tenant_id", "=", tenantId)
      .where("user_tenants.email", "=", email)
      .where("user_tenants.recipe_id", "=", EMAILPASSWORD)
      .executeTakeFirst();
    if (!row || row.password_hash === null) return undefined;
    const user = (await loadUsers(this.db, [row.user_id])).get(row.user_id);
    return user ? { user, recipeUserId: row.user_id, passwordHash: row.password_hash } : undefined;
  }

  async getPasswordHash(recipeUserId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom("users")
      .select("password_hash")
      .where("user_id", "=", recipeUserId)
      .executeTakeFirst();
    return row?.password_hash ?? undefined;
  }

  replacePasswordHash(recipeUserId: string, expectedHash: string, newHash: string): Promise<boolean> {
    return this.writeStatement(async (db) => {
      const result = await db
        .updateTable("users")
        .set({ password_hash: newHash })
        .where("user_id", "=", recipeUserId)
        .where("password_hash", "=", expectedHash)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    });
  }

  updateEmailPasswordLogin(
    recipeUserId: string,
    update: { email?: string; passwordHash?: string },
  ): Promise<"OK" | "UNKNOWN_USER_ID_ERROR" | "EMAIL_ALREADY_EXISTS_ERROR"> {
    return this.unlessConflict(
      () =>
        this.write(async (trx) => {
          const user = await trx
            .selectFrom("users")
            .select("user_id")
            .where("user_id", "=", recipeUserId)
            .where("recipe_id", "=", EMAILPASSWORD)
            .$if(this.dialect.supportsRowLocks, (qb) => qb.forUpdate())
            .executeTakeFirst();
          if (!user) return "UNKNOWN_USER_ID_ERROR" as const;
          if (update.email === undefined && update.passwordHash === undefined) return "OK" as const;
          await trx
            .updateTable("users")
            .set({ email: update.email, password_hash: update.passwordHash })
            .where("user_id", "=", recipeUserId)
            .execute();
          if (update.email !== undefined) {
            // The copy in user_tenants carries the per-tenant UNIQUE constraint; a clash here
            // rolls back the users update above as well.
            await trx.updateTable("user_tenants").set({ email: update.email }).where("user_id", "=", recipeUserId).execute();
          }
          return "OK" as const;
        }),
      "EMAIL_ALREADY_EXISTS_ERROR" as const,
    );
  }

  async getUser(userId: string): Promise<StoredUser | undefined> {
    return (await loadUsers(this.db, [userId])).get(userId);
  }

  async listUsersByAccountInfo(
    tenantId: string,
    accountInfo: { email?: string; phoneNumber?: string },
    doUnion: boolean,
  ): Promise<StoredUser[]> {
    const { email, phoneNumber } = accountInfo;
    if (email === undefined && phoneNumber === undefined) return [];
    const rows = await this.db
      .selectFrom("user_tenants")
      .innerJoin("users", "users.user_id", "user_tenants.user_id")
      .select(["users.user_id", "users.time_joined"])
      .where("user_tenants.tenant_id", "=", tenantId)
      .where((eb) => {
        const matches: Expression<SqlBool>[] = [];
        if (email !== undefined) matches.push(eb("user_tenants.email", "=", email));
        if (phoneNumber !== undefined) matches.push(eb("user_tenants.phone_number", "=", phoneNumber));
        return doUnion ? eb.or(matches) : eb.and(matches);
      })
      .orderBy("users.time_joined")
      .orderBy("users.user_id")
      .execute();
    return loadUsersInOrder(
      this.db,
      rows.map((row) => row.user_id),
    );
  }

  async listUsers(input: ListUsersInput): Promise<{ users: StoredUser[]; nextPaginationToken?: string }> {
    if (!Number.isInteger(input.limit) || input.limit < 1) throw new RangeError("listUsers: limit must be a positive integer");
    const cursor = input.paginationToken === undefined ? undefined : decodeUserCursor(input.paginationToken);
    const direction = input.order === "DESC" ? "desc" : "asc";
    const after = input.order === "DESC" ? "<" : ">";

    const rows = await this.db
      .selectFrom("users")
      .select(["users.user_id", "users.time_joined"])
      .where((eb) => {
        const conditions = userFilters(eb, input);
        if (cursor) {
          conditions.push(
            eb.or([
              eb("users.time_joined", after, cursor.timeJoined),
              eb.and([eb("users.time_joined", "=", cursor.timeJoined), eb("users.user_id", after, cursor.userId)]),
            ]),
          );
        }
        return eb.and(conditions);
      })
      .orderBy("users.time_joined", direction)
      .orderBy("users.user_id", direction)
      // One extra row tells whether another page exists without a second query.
      .limit(input.limit + 1)
      .execute();

    const page = rows.slice(0, input.limit);
    const users = await loadUsersInOrder(
      this.db,
      page.map((row) => row.user_id),
    );
    const last = page[page.length - 1];
    if (rows.length <= input.limit || last === undefined) return { users };
    return {
      users,
      nextPaginationToken: encodeUserCursor({ timeJoined: toNumber(last.time_joined), userId: last.user_id }),
    };
  }

  async countUsers(input: { tenantId: string | undefined; includeRecipeIds: string[] | undefined }): Promise<number> {
    const row = await this.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number | string | bigint>().as("count"))
      .where((eb) => eb.and(userFilters(eb, { ...input, query: undefined })))
      .executeTakeFirstOrThrow();
    return toNumber(row.count);
  }

  deleteUser(userId: string): Promise<boolean> {
    return this.write(async (trx) => {
      // The users row goes first: on PostgreSQL that locks it before the token rows, the same
      // order consumePasswordResetToken takes, so the two cannot deadlock.
      const deleted = await trx.deleteFrom("users").where("user_id", "=", userId).executeTakeFirst();
      await trx.deleteFrom("user_tenants").where("user_id", "=", userId).execute();
      await trx.deleteFrom("email_verifications").where("recipe_user_id", "=", userId).execute();
      await trx.deleteFrom("password_reset_tokens").where("user_id", "=", userId).execute();
      await trx
        .deleteFrom("sessions")
        .where((eb) => eb.or([eb("user_id", "=", userId), eb("recipe_user_id", "=", userId)]))
        .execute();
      return deleted.numDeletedRows > 0n;
    });
  }

  // --- email verification state ----------------------------------------------------------

  async markEmailVerified(recipeUserId: string, email: string): Promise<void> {
    await this.writeStatement((db) =>
      db
        .insertInto("email_verifications")
        .values({ recipe_user_id: recipeUserId, email })
        .onConflict((oc) => oc.columns(["recipe_user_id", "email"]).doNothing())
        .execute(),
    );
  }

  async isEmailVerified(recipeUserId: string, email: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("email_verifications")
      .select("recipe_user_id")
      .where("recipe_user_id", "=", recipeUserId)
      .where("email", "=", email)
      .executeTakeFirst();
    return row !== undefined;
  }

  // --- password reset tokens -------------------------------------------------------------

  async createPasswordResetToken(input: {
    tokenHash: string;
    userId: string;
    tenantId: string;
    email: string;
    expiresAt: number;
    createdAt: number;
  }): Promise<void> {
    await this.writeStatement((db) =>
      db
        .insertInto("password_reset_tokens")
        .values({
          token_hash: input.tokenHash,
          user_id: input.userId,
          tenant_id: input.tenantId,
          email: input.email,
          expires_at: input.expiresAt,
          created_at: input.createdAt,
        })
        .execute(),
    );
  }

  consumePasswordResetToken(input: {
    tokenHash: string;
    tenantId: string;
    now: number;
    newPasswordHash?: string;
  }): Promise<{ status: "OK"; userId: string; email: string } | { status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" }> {
    return this.write(async (trx) => {
      // Keyed by tenant too: a token presented to another tenant is simply not found, and the
      // real owner's token survives.
      const found = await trx
        .selectFrom("password_reset_tokens")
        .select("user_id")
        .where("token_hash", "=", input.tokenHash)
        .where("tenant_id", "=", input.tenantId)
        .executeTakeFirst();
      if (!found) return INVALID_TOKEN;

      if (this.dialect.supportsRowLocks) {
        // Consumers of one user queue on the user row before touching any of the user's tokens;
        // without it, two different tokens of one user consumed at once would deadlock.
        await trx.selectFrom("users").select("user_id").where("user_id", "=", found.user_id).forUpdate().execute();
      }

      // The DELETE is the claim: of concurrent consumers only one gets the row back.
      const claimed = await trx
        .deleteFrom("password_reset_tokens")
        .where("token_hash", "=", input.tokenHash)
        .where("tenant_id", "=", input.tenantId)
        .returning(["user_id", "email", "expires_at"])
        .executeTakeFirst();
      if (!claimed) return INVALID_TOKEN;

      // Any use, even of an expired token, retires every outstanding token of the user.
      await trx.deleteFrom("password_reset_tokens").where("user_id", "=", claimed.user_id).execute();
      if (toNumber(claimed.expires_at) <= input.now) return INVALID_TOKEN;

      if (input.newPasswordHash !== undefined) {
        const updated = await trx
          .updateTable("users")
          .set({ password_hash: input.newPasswordHash })
          .where("user_id", "=", claimed.user_id)
          .where("recipe_id", "=", EMAILPASSWORD)
          .executeTakeFirst();
        if (updated.numUpdatedRows === 0n) return INVALID_TOKEN;
      }
      return { status: "OK" as const, userId: claimed.user_id, email: claimed.email };
    });
  }

  // --- sessions --------------------------------------------------------------------------

  async createSession(session: SessionRecord): Promise<void> {
    await this.writeStatement((db) =>
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
          use_static_key: this.dialect.toDbBoolean(session.useStaticKey),
        })
        .execute(),
    );
  }

  /** Returns the session even if it has expired; the caller compares expiresAt with its clock. */
  async getSession(sessionHandle: string): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom("sessions")
      .selectAll()
      .where("session_handle", "=", sessionHandle)
      .executeTakeFirst();
    return row ? sessionFromRow(row) : undefined;
  }

  promoteRefreshToken(input: {
    sessionHandle: string;
    expectedHash2: string;
    newHash2: string;
    newExpiresAt: number;
  }): Promise<boolean> {
    return this.writeStatement(async (db) => {
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

  updateSessionPayload(sessionHandle: string, accessTokenPayload: Record<string, unknown>): Promise<boolean> {
    const payloadJson = JSON.stringify(accessTokenPayload);
    return this.writeStatement(async (db) => {
      const result = await db
        .updateTable("sessions")
        .set({ access_token_payload: payloadJson })
        .where("session_handle", "=", sessionHandle)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    });
  }

  updateSessionData(sessionHandle: string, sessionData: Record<string, unknown>): Promise<boolean> {
    const dataJson = JSON.stringify(sessionData);
    return this.writeStatement(async (db) => {
      const result = await db
        .updateTable("sessions")
        .set({ session_data: dataJson })
        .where("session_handle", "=", sessionHandle)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    });
  }

  async revokeSessions(sessionHandles: string[]): Promise<string[]> {
    if (sessionHandles.length === 0) return [];
    const rows = await this.writeStatement((db) =>
      db.deleteFrom("sessions").where("session_handle", "in", sessionHandles).returning("session_handle").execute(),
    );
    return rows.map((row) => row.session_handle);
  }

  /** A session is live while now < expiresAt. */
  async listSessionHandlesForUser(userId: string, tenantId: string | undefined, now: number): Promise<string[]> {
    let query = this.db
      .selectFrom("sessions")
      .select("session_handle")
      .where("user_id", "=", userId)
      .where("expires_at", ">", now);
    if (tenantId !== undefined) query = query.where("tenant_id", "=", tenantId);
    const rows = await query.orderBy("created_at").orderBy("session_handle").execute();
    return rows.map((row) => row.session_handle);
  }

  async revokeSessionsForUser(userId: string, tenantId: string | undefined): Promise<string[]> {
    const rows = await this.writeStatement((db) => {
      let query = db.deleteFrom("sessions").where("user_id", "=", userId);
      if (tenantId !== undefined) query = query.where("tenant_id", "=", tenantId);
      return query.returning("session_handle").execute();
    });
    return rows.map((row) => row.session_handle);
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    const result = await this.writeStatement((db) => db.deleteFrom("sessions").where("expires_at", "<=", now).executeTakeFirst());
    return Number(result.numDeletedRows);
  }

  // --- signing keys ----------------------------------------------------------------------

  /** Newest first. Keys of algorithms this build does not know (from a newer release) are skipped. */
  async listSigningKeys(): Promise<SigningKeyRecord[]> {
    const rows = await this.db
      .selectFrom("signing_keys")
      .selectAll()
      .where("algorithm", "=", "RS256")
      .orderBy("created_at", "desc")
      .orderBy("kid")
      .execute();
    return rows.map(signingKeyFromRow);
  }

  async insertSigningKeyIfAbsent(key: SigningKeyRecord): Promise<void> {
    await this.writeStatement((db) =>
      db
        .insertInto("signing_keys")
        .values({
          kid: key.kid,
          algorithm: key.algorithm,
          private_key_pem: key.privateKeyPem,
          public_key_pem: key.publicKeyPem,
          created_at: key.createdAt,
        })
        .onConflict((oc) => oc.column("kid").doNothing())
        .execute(),
    );
  }

  async deleteSigningKeysCreatedBefore(createdBefore: number): Promise<number> {
    const result = await this.writeStatement((db) =>
      db.deleteFrom("signing_keys").where("created_at", "<", createdBefore).executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }

  // --- development outbox ----------------------------------------------------------------

  async insertOutboxMessage(message: OutboxMessage): Promise<void> {
    await this.writeStatement((db) =>
      db
        .insertInto("outbox")
        .values({
          id: message.id,
          channel: message.channel,
          recipient: message.recipient,
          subject: message.subject,
          text_body: message.textBody,
          html_body: message.htmlBody ?? null,
          created_at: message.createdAt,
        })
        .execute(),
    );
  }

  async listOutboxMessages(limit: number): Promise<OutboxMessage[]> {
    const rows = await this.db
      .selectFrom("outbox")
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(limit)
      .execute();
    return rows.map(outboxFromRow);
  }
}

/** Filters shared by listUsers and countUsers. */
function userFilters(
  eb: ExpressionBuilder<Database, "users">,
  input: Pick<ListUsersInput, "tenantId" | "includeRecipeIds" | "query">,
): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (input.tenantId !== undefined) {
    conditions.push(
      eb.exists(
        eb
          .selectFrom("user_tenants")
          .select(sql.lit(1).as("one"))
          .whereRef("user_tenants.user_id", "=", "users.user_id")
          .where("user_tenants.tenant_id", "=", input.tenantId),
      ),
    );
  }
  // An empty list is read as "no filter", like an absent one.
  if (input.includeRecipeIds !== undefined && input.includeRecipeIds.length > 0) {
    conditions.push(eb("users.recipe_id", "in", input.includeRecipeIds));
  }
  for (const [tag, value] of Object.entries(input.query ?? {})) {
    if (tag === "email") {
      // lower() on both sides: PostgreSQL's LIKE is case-sensitive, SQLite's only for non-ASCII.
      const pattern = `%${escapeLike(value.toLowerCase())}%`;
      conditions.push(sql<SqlBool>`lower(${eb.ref("users.email")}) like ${pattern} escape '\\'`);
    } else if (tag === "phone") {
      conditions.push(sql<SqlBool>`${eb.ref("users.phone_number")} like ${`${escapeLike(value)}%`} escape '\\'`);
    } else if (tag === "provider") {
      // No third-party logins are stored yet, so nothing matches a provider search.
      conditions.push(sql<SqlBool>`1 = 0`);
    }
    // Other tags are not search criteria of this API and are ignored.
  }
  return conditions;
}

/** Makes user input match literally inside a LIKE pattern. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}
