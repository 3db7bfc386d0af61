/**
 * Builds StoredUser values from users + user_tenants + email_verifications + phone_verifications
 * in ONE query: one
 * row per (user, tenant membership), folded here. Without account linking every user is one
 * recipe user, so each StoredUser has exactly one login method.
 */
import { sql, type Kysely } from "kysely";
import type { StoredLoginMethod, StoredUser } from "../records.js";
import { fromDbBoolean, toNumber, toRecipeId } from "./rows.js";
import type { Database } from "./schema.js";

/** The user columns and memberships, one row per tenant of the user; callers add their WHERE. */
export function selectUserRows(db: Kysely<Database>) {
  return db
    .selectFrom("users as u")
    .leftJoin("user_tenants as m", "m.user_id", "u.user_id")
    .select(["u.user_id", "u.recipe_id", "u.email", "u.phone_number", "u.time_joined", "u.password_hash", "m.tenant_id"])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom("email_verifications as v")
            .select(sql.lit(1).as("one"))
            .whereRef("v.recipe_user_id", "=", "u.user_id")
            .whereRef("v.email", "=", "u.email"),
        )
        .as("verified"),
    )
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom("phone_verifications as pv")
            .select(sql.lit(1).as("one"))
            .whereRef("pv.recipe_user_id", "=", "u.user_id")
            .whereRef("pv.phone_number", "=", "u.phone_number"),
        )
        .as("phone_verified"),
    );
}

export type UserRow = Awaited<ReturnType<ReturnType<typeof selectUserRows>["execute"]>>[number];

/** Folds the rows of selectUserRows into users (with their secret hash), in first-seen order. */
export function foldUserRows(rows: readonly UserRow[]): Map<string, { user: StoredUser; secretHash: string | undefined }> {
  const grouped = new Map<string, { row: UserRow; tenantIds: string[] }>();
  for (const row of rows) {
    let entry = grouped.get(row.user_id);
    if (entry === undefined) {
      entry = { row, tenantIds: [] };
      grouped.set(row.user_id, entry);
    }
    if (row.tenant_id !== null) entry.tenantIds.push(row.tenant_id);
  }
  const users = new Map<string, { user: StoredUser; secretHash: string | undefined }>();
  for (const [userId, { row, tenantIds }] of grouped) {
    // Sorted by code unit, not locale, so the order is the same on every machine.
    tenantIds.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const timeJoined = toNumber(row.time_joined);
    const loginMethod: StoredLoginMethod = {
      recipeId: toRecipeId(row.recipe_id),
      recipeUserId: userId,
      tenantIds: [...tenantIds],
      ...(row.email !== null ? { email: row.email } : {}),
      ...(row.phone_number !== null ? { phoneNumber: row.phone_number } : {}),
      // A login method signs in with an email or a phone number: `verified` is about that one.
      verified: row.email !== null ? fromDbBoolean(row.verified) : row.phone_number !== null && fromDbBoolean(row.phone_verified),
      timeJoined,
    };
    users.set(userId, {
      user: { id: userId, timeJoined, tenantIds, loginMethods: [loginMethod] },
      secretHash: row.password_hash ?? undefined,
    });
  }
  return users;
}

/** The users with these ids, in one query whatever the batch size. */
export async function loadUsers(db: Kysely<Database>, userIds: readonly string[]): Promise<Map<string, StoredUser>> {
  const users = new Map<string, StoredUser>();
  if (userIds.length === 0) return users;
  const rows = await selectUserRows(db).where("u.user_id", "in", [...new Set(userIds)]).execute();
  for (const [id, { user }] of foldUserRows(rows)) users.set(id, user);
  return users;
}

/** loadUsers, keeping the order of `userIds` and dropping ids that no longer exist. */
export async function loadUsersInOrder(db: Kysely<Database>, userIds: readonly string[]): Promise<StoredUser[]> {
  const users = await loadUsers(db, userIds);
  return userIds.flatMap((id) => {
    const user = users.get(id);
    return user ? [user] : [];
  });
}
