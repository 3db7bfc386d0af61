/**
 * Builds StoredUser values from users + user_tenants + email_verifications. Without account
 * linking every user is one recipe user, so each StoredUser has exactly one login method.
 */
import { sql, type Kysely } from "kysely";
import type { StoredLoginMethod, StoredUser } from "../storage.js";
import { fromDbBoolean, toNumber, toRecipeId } from "./rows.js";
import type { Database } from "./schema.js";

/** Two queries per batch, whatever its size, so a page of users costs the same as one user. */
export async function loadUsers(db: Kysely<Database>, userIds: readonly string[]): Promise<Map<string, StoredUser>> {
  const users = new Map<string, StoredUser>();
  if (userIds.length === 0) return users;
  const ids = [...new Set(userIds)];

  const rows = await db
    .selectFrom("users as u")
    .select(["u.user_id", "u.recipe_id", "u.email", "u.phone_number", "u.time_joined"])
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
    .where("u.user_id", "in", ids)
    .execute();
  if (rows.length === 0) return users;

  const memberships = await db
    .selectFrom("user_tenants")
    .select(["user_id", "tenant_id"])
    .where("user_id", "in", rows.map((row) => row.user_id))
    .execute();
  const tenantsByUser = new Map<string, string[]>();
  for (const { user_id, tenant_id } of memberships) {
    const list = tenantsByUser.get(user_id);
    if (list) list.push(tenant_id);
    else tenantsByUser.set(user_id, [tenant_id]);
  }

  for (const row of rows) {
    // Sorted by code unit, not locale, so the order is the same on every machine.
    const tenantIds = (tenantsByUser.get(row.user_id) ?? []).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const timeJoined = toNumber(row.time_joined);
    const loginMethod: StoredLoginMethod = {
      recipeId: toRecipeId(row.recipe_id),
      recipeUserId: row.user_id,
      tenantIds: [...tenantIds],
      ...(row.email !== null ? { email: row.email } : {}),
      ...(row.phone_number !== null ? { phoneNumber: row.phone_number } : {}),
      verified: row.email !== null && fromDbBoolean(row.verified),
      timeJoined,
    };
    users.set(row.user_id, { id: row.user_id, timeJoined, tenantIds, loginMethods: [loginMethod] });
  }
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
