import type { AccountIdentifier, RecipeId, StoredCredential, StoredUser } from "../../records.js";
import type { CredentialStore } from "../../storage.js";
import { foldUserRows, loadUsers, selectUserRows } from "../load-users.js";
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { SqlContext } from "./sql-context.js";

/** The identifier as the two nullable columns that hold it (and carry the per-tenant UNIQUE constraints). */
function identifierColumns(identifier: AccountIdentifier): { email: string | null; phone_number: string | null } {
  return identifier.email !== undefined ? { email: identifier.email, phone_number: null } : { email: null, phone_number: identifier.phoneNumber };
}

/** The sign-in read: the login key (k) picks the user, whose rows come back with every membership (m) and the secret. */
function findByKey(column: "k.email" | "k.phone_number") {
  return (db: Kysely<Database>, tenantId: string, recipeId: string, identifier: string) =>
    selectUserRows(db).innerJoin("user_tenants as k", "k.user_id", "u.user_id").where("k.tenant_id", "=", tenantId).where("k.recipe_id", "=", recipeId).where(column, "=", identifier);
}

export class SqlCredentialStore implements CredentialStore {
  private readonly findByEmail;
  private readonly findByPhoneNumber;

  constructor(private readonly sql: SqlContext) {
    this.findByEmail = sql.prepare(findByKey("k.email"));
    this.findByPhoneNumber = sql.prepare(findByKey("k.phone_number"));
  }

  createUser(input: {
    userId: string;
    recipeId: RecipeId;
    tenantId: string;
    identifier: AccountIdentifier;
    secretHash?: string;
    timeJoined: number;
  }): Promise<{ status: "OK"; user: StoredUser } | { status: "IDENTIFIER_TAKEN" }> {
    const columns = identifierColumns(input.identifier);
    return this.sql.unlessConflict(
      () =>
        this.sql.write(async (trx) => {
          await trx
            .insertInto("users")
            .values({
              user_id: input.userId,
              recipe_id: input.recipeId,
              ...columns,
              password_hash: input.secretHash ?? null,
              time_joined: input.timeJoined,
            })
            .execute();
          // The UNIQUE (tenant, identifier, recipe) constraints are the arbiter between concurrent sign-ups.
          await trx
            .insertInto("user_tenants")
            .values({ user_id: input.userId, tenant_id: input.tenantId, recipe_id: input.recipeId, ...columns })
            .execute();
          const user = (await loadUsers(trx, [input.userId])).get(input.userId);
          if (!user) throw new Error("User vanished inside its own insert transaction");
          return { status: "OK" as const, user };
        }),
      // Also reached on a users primary-key clash, which random user ids make theoretical.
      { status: "IDENTIFIER_TAKEN" as const },
    );
  }

  async find(recipeId: RecipeId, tenantId: string, identifier: AccountIdentifier): Promise<StoredCredential | undefined> {
    // One statement, so sign-in reads the user exactly once.
    const { rows } =
      identifier.email !== undefined
        ? await this.findByEmail(this.sql.db, tenantId, recipeId, identifier.email)
        : await this.findByPhoneNumber(this.sql.db, tenantId, recipeId, identifier.phoneNumber);
    const [found] = foldUserRows(rows).values();
    return found === undefined ? undefined : { user: found.user, recipeUserId: found.user.id, secretHash: found.secretHash };
  }

  async getSecretHash(recipeUserId: string): Promise<string | undefined> {
    const row = await this.sql.db.selectFrom("users").select("password_hash").where("user_id", "=", recipeUserId).executeTakeFirst();
    return row?.password_hash ?? undefined;
  }

  swapSecretHash(recipeUserId: string, expectedHash: string, newHash: string): Promise<boolean> {
    return this.sql.writeStatement(async (db) => {
      const result = await db
        .updateTable("users")
        .set({ password_hash: newHash })
        .where("user_id", "=", recipeUserId)
        .where("password_hash", "=", expectedHash)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    });
  }

  update(
    recipeId: RecipeId,
    recipeUserId: string,
    change: { identifier?: AccountIdentifier; secretHash?: string },
  ): Promise<"OK" | "UNKNOWN_CREDENTIAL" | "IDENTIFIER_TAKEN"> {
    const { dialect } = this.sql;
    const identifier =
      change.identifier === undefined
        ? {}
        : change.identifier.email !== undefined
          ? { email: change.identifier.email }
          : { phone_number: change.identifier.phoneNumber };
    return this.sql.unlessConflict(
      () =>
        this.sql.write(async (trx) => {
          const user = await dialect
            .lockRows(trx.selectFrom("users").select("user_id").where("user_id", "=", recipeUserId).where("recipe_id", "=", recipeId))
            .executeTakeFirst();
          if (!user) return "UNKNOWN_CREDENTIAL" as const;
          if (change.identifier === undefined && change.secretHash === undefined) return "OK" as const;
          await trx
            .updateTable("users")
            .set({ ...identifier, password_hash: change.secretHash })
            .where("user_id", "=", recipeUserId)
            .execute();
          if (change.identifier !== undefined) {
            // The copy in user_tenants carries the per-tenant UNIQUE constraint; a clash here
            // rolls back the users update above as well.
            await trx.updateTable("user_tenants").set(identifier).where("user_id", "=", recipeUserId).execute();
          }
          return "OK" as const;
        }),
      "IDENTIFIER_TAKEN" as const,
    );
  }

  async associateWithTenant(
    recipeUserId: string,
    tenantId: string,
    options: { tenantMustExist: boolean },
  ): Promise<
    | { status: "OK"; wasAlreadyAssociated: boolean }
    | { status: "UNKNOWN_USER" }
    | { status: "UNKNOWN_TENANT" }
    | { status: "IDENTIFIER_TAKEN"; identifier: "email" | "phoneNumber" }
  > {
    const { dialect } = this.sql;
    let taken: "email" | "phoneNumber" = "email";
    try {
      return await this.sql.write(async (trx) => {
          if (options.tenantMustExist) {
            const tenant = await dialect.lockRows(trx.selectFrom("tenants").select("tenant_id").where("tenant_id", "=", tenantId)).executeTakeFirst();
            if (!tenant) return { status: "UNKNOWN_TENANT" as const };
          }
          const user = await dialect
            .lockRows(trx.selectFrom("users").select(["user_id", "recipe_id", "email", "phone_number"]).where("user_id", "=", recipeUserId))
            .executeTakeFirst();
          if (!user) return { status: "UNKNOWN_USER" as const };
          taken = user.email !== null ? "email" : "phoneNumber";
          const member = await trx.selectFrom("user_tenants").select("user_id").where("user_id", "=", recipeUserId).where("tenant_id", "=", tenantId).executeTakeFirst();
          if (member) return { status: "OK" as const, wasAlreadyAssociated: true };
          // Named precisely when the clash is already there; a concurrent one surfaces as the
          // UNIQUE violation below, which rolls everything back.
          for (const [column, identifier] of [
            ["email", "email"],
            ["phone_number", "phoneNumber"],
          ] as const) {
            const value = user[column];
            if (value === null) continue;
            const clash = await trx
              .selectFrom("user_tenants")
              .select("user_id")
              .where("tenant_id", "=", tenantId)
              .where("recipe_id", "=", user.recipe_id)
              .where(column, "=", value)
              .executeTakeFirst();
            if (clash) return { status: "IDENTIFIER_TAKEN" as const, identifier };
          }
          await trx
            .insertInto("user_tenants")
            .values({ user_id: recipeUserId, tenant_id: tenantId, recipe_id: user.recipe_id, email: user.email, phone_number: user.phone_number })
            .execute();
          return { status: "OK" as const, wasAlreadyAssociated: false };
      });
    } catch (error) {
      // A concurrent association of the same identifier won; everything here rolled back.
      if (dialect.isUniqueViolation(error)) return { status: "IDENTIFIER_TAKEN", identifier: taken };
      throw error;
    }
  }

  disassociateFromTenant(recipeUserId: string, tenantId: string): Promise<{ wasAssociated: boolean }> {
    return this.sql.write(async (trx) => {
      const removed = await trx.deleteFrom("user_tenants").where("user_id", "=", recipeUserId).where("tenant_id", "=", tenantId).executeTakeFirst();
      await trx
        .deleteFrom("sessions")
        .where("tenant_id", "=", tenantId)
        .where((eb) => eb.or([eb("user_id", "=", recipeUserId), eb("recipe_user_id", "=", recipeUserId)]))
        .execute();
      await trx.deleteFrom("tokens").where("tenant_id", "=", tenantId).where("user_id", "=", recipeUserId).execute();
      await trx.deleteFrom("user_roles").where("tenant_id", "=", tenantId).where("user_id", "=", recipeUserId).execute();
      return { wasAssociated: removed.numDeletedRows > 0n };
    });
  }
}
