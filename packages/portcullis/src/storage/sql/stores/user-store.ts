import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from "kysely";
import type { ListUsersInput, StoredUser } from "../../records.js";
import type { EmailVerificationStore, UserStore } from "../../storage.js";
import { loadUsers, loadUsersInOrder } from "../load-users.js";
import { decodeUserCursor, encodeUserCursor } from "../pagination.js";
import { toNumber } from "../rows.js";
import type { Database } from "../schema.js";
import type { SqlContext } from "./sql-context.js";

export class SqlUserStore implements UserStore {
  constructor(private readonly sql: SqlContext) {}

  async get(userId: string): Promise<StoredUser | undefined> {
    return (await loadUsers(this.sql.db, [userId])).get(userId);
  }

  async listByAccountInfo(tenantId: string, accountInfo: { email?: string; phoneNumber?: string }, doUnion: boolean): Promise<StoredUser[]> {
    const { email, phoneNumber } = accountInfo;
    if (email === undefined && phoneNumber === undefined) return [];
    const rows = await this.sql.db
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
      this.sql.db,
      rows.map((row) => row.user_id),
    );
  }

  async list(input: ListUsersInput): Promise<{ users: StoredUser[]; nextPaginationToken?: string }> {
    if (!Number.isInteger(input.limit) || input.limit < 1) throw new RangeError("listUsers: limit must be a positive integer");
    const cursor = input.paginationToken === undefined ? undefined : decodeUserCursor(input.paginationToken);
    const direction = input.order === "DESC" ? "desc" : "asc";
    const after = input.order === "DESC" ? "<" : ">";

    const rows = await this.sql.db
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
      this.sql.db,
      page.map((row) => row.user_id),
    );
    const last = page[page.length - 1];
    if (rows.length <= input.limit || last === undefined) return { users };
    return {
      users,
      nextPaginationToken: encodeUserCursor({ timeJoined: toNumber(last.time_joined), userId: last.user_id }),
    };
  }

  async count(input: { tenantId: string | undefined; includeRecipeIds: string[] | undefined }): Promise<number> {
    const row = await this.sql.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number | string | bigint>().as("count"))
      .where((eb) => eb.and(userFilters(eb, { ...input, query: undefined })))
      .executeTakeFirstOrThrow();
    return toNumber(row.count);
  }

  delete(userId: string): Promise<boolean> {
    return this.sql.write(async (trx) => (await deleteUsers(trx, [userId])) > 0);
  }
}

/**
 * Deletes users and everything hanging off them, inside the caller's transaction; returns how
 * many users rows went. Shared by user deletion and tenant deletion (users only in that tenant).
 */
export async function deleteUsers(trx: Kysely<Database>, userIds: readonly string[]): Promise<number> {
  if (userIds.length === 0) return 0;
  // The users rows go first: on PostgreSQL that locks them before the token rows, the same
  // order TokenStore.consume takes, so the two cannot deadlock.
  const deleted = await trx.deleteFrom("users").where("user_id", "in", userIds).executeTakeFirst();
  await trx.deleteFrom("user_tenants").where("user_id", "in", userIds).execute();
  await trx.deleteFrom("email_verifications").where("recipe_user_id", "in", userIds).execute();
  await trx.deleteFrom("phone_verifications").where("recipe_user_id", "in", userIds).execute();
  await trx.deleteFrom("phone_codes").where("user_id", "in", userIds).execute();
  await trx.deleteFrom("tokens").where("user_id", "in", userIds).execute();
  await trx.deleteFrom("user_roles").where("user_id", "in", userIds).execute();
  await trx
    .deleteFrom("sessions")
    .where((eb) => eb.or([eb("user_id", "in", userIds), eb("recipe_user_id", "in", userIds)]))
    .execute();
  return Number(deleted.numDeletedRows);
}

export class SqlEmailVerificationStore implements EmailVerificationStore {
  constructor(private readonly sql: SqlContext) {}

  async markVerified(recipeUserId: string, email: string): Promise<void> {
    await this.sql.writeStatement((db) =>
      db
        .insertInto("email_verifications")
        .values({ recipe_user_id: recipeUserId, email })
        .onConflict((oc) => oc.columns(["recipe_user_id", "email"]).doNothing())
        .execute(),
    );
  }

  async markUnverified(recipeUserId: string, email: string): Promise<boolean> {
    const result = await this.sql.writeStatement((db) =>
      db.deleteFrom("email_verifications").where("recipe_user_id", "=", recipeUserId).where("email", "=", email).executeTakeFirst(),
    );
    return result.numDeletedRows > 0n;
  }

  async isVerified(recipeUserId: string, email: string): Promise<boolean> {
    const row = await this.sql.db
      .selectFrom("email_verifications")
      .select("recipe_user_id")
      .where("recipe_user_id", "=", recipeUserId)
      .where("email", "=", email)
      .executeTakeFirst();
    return row !== undefined;
  }
}

/** Filters shared by list and count. */
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
