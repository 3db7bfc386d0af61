import type { Selectable } from "kysely";
import type { PhoneCodeRecord, PhoneCodeUse, RecipeId } from "../../records.js";
import type { PhoneCodeStore, PhoneVerificationStore } from "../../storage.js";
import { toNumber } from "../rows.js";
import type { PhoneCodesTable } from "../schema.js";
import type { SqlContext } from "./sql-context.js";

export class SqlPhoneVerificationStore implements PhoneVerificationStore {
  constructor(private readonly sql: SqlContext) {}

  async markVerified(recipeUserId: string, phoneNumber: string): Promise<void> {
    await this.sql.writeStatement((db) =>
      db
        .insertInto("phone_verifications")
        .values({ recipe_user_id: recipeUserId, phone_number: phoneNumber })
        .onConflict((oc) => oc.columns(["recipe_user_id", "phone_number"]).doNothing())
        .execute(),
    );
  }

  async isVerified(recipeUserId: string, phoneNumber: string): Promise<boolean> {
    const row = await this.sql.db
      .selectFrom("phone_verifications")
      .select("recipe_user_id")
      .where("recipe_user_id", "=", recipeUserId)
      .where("phone_number", "=", phoneNumber)
      .executeTakeFirst();
    return row !== undefined;
  }

  async unmarkVerified(recipeUserId: string, phoneNumber: string): Promise<boolean> {
    const result = await this.sql.writeStatement((db) =>
      db.deleteFrom("phone_verifications").where("recipe_user_id", "=", recipeUserId).where("phone_number", "=", phoneNumber).executeTakeFirst(),
    );
    return result.numDeletedRows > 0n;
  }
}

function codeFromRow(row: Selectable<PhoneCodesTable>): PhoneCodeRecord {
  return {
    tenantId: row.tenant_id,
    purpose: row.purpose,
    phoneNumber: row.phone_number,
    userId: row.user_id,
    codeHash: row.code_hash,
    codeSalt: row.code_salt,
    failedAttempts: toNumber(row.failed_attempts),
    createdAt: toNumber(row.created_at),
    expiresAt: toNumber(row.expires_at),
  };
}

export class SqlPhoneCodeStore implements PhoneCodeStore {
  constructor(private readonly sql: SqlContext) {}

  issue(code: Omit<PhoneCodeRecord, "failedAttempts">): Promise<void> {
    const values = {
      tenant_id: code.tenantId,
      purpose: code.purpose,
      phone_number: code.phoneNumber,
      user_id: code.userId,
      code_hash: code.codeHash,
      code_salt: code.codeSalt,
      created_at: code.createdAt,
      expires_at: code.expiresAt,
    };
    return this.sql.write(async (trx) => {
      // Insert-or-nothing first: a concurrent first issue waits for this one (PostgreSQL) or is
      // queued behind it (SQLite), so the key's row exists exactly once and is locked below.
      const inserted = await trx
        .insertInto("phone_codes")
        .values({ ...values, failed_attempts: 0 })
        .onConflict((oc) => oc.columns(["tenant_id", "purpose", "phone_number"]).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return;
      const previous = await this.sql.dialect.lockRows(keyed(trx.selectFrom("phone_codes").select(["failed_attempts", "expires_at"]), code)).executeTakeFirst();
      const carried = previous !== undefined && toNumber(previous.expires_at) > code.createdAt ? toNumber(previous.failed_attempts) : 0;
      await keyed(trx.updateTable("phone_codes").set({ ...values, failed_attempts: carried }), code).execute();
    });
  }

  async get(tenantId: string, purpose: string, phoneNumber: string): Promise<PhoneCodeRecord | undefined> {
    const row = await keyed(this.sql.db.selectFrom("phone_codes").selectAll(), { tenantId, purpose, phoneNumber }).executeTakeFirst();
    return row === undefined ? undefined : codeFromRow(row);
  }

  consume(input: {
    tenantId: string;
    purpose: string;
    phoneNumber: string;
    codeHash: string;
    now: number;
    maxFailedAttempts: number;
    andSetSecret?: { recipeId: RecipeId; secretHash: string };
    andMarkVerified?: boolean;
  }): Promise<PhoneCodeUse> {
    const restart: PhoneCodeUse = { status: "RESTART" };
    const { dialect } = this.sql;
    return this.sql.write(async (trx) => {
      const found = await keyed(trx.selectFrom("phone_codes").select("user_id"), input).executeTakeFirst();
      if (found === undefined) return restart;
      // The user row first, then the code: the order users.delete takes, so the two cannot
      // deadlock on PostgreSQL. A code's user can change only by a new issue; that is re-read below.
      await dialect.lockRows(trx.selectFrom("users").select("user_id").where("user_id", "=", found.user_id)).execute();
      const locked = await dialect.lockRows(keyed(trx.selectFrom("phone_codes").selectAll(), input)).executeTakeFirst();
      // Gone (a concurrent use won) while we waited for the lock.
      if (locked === undefined) return restart;
      const code = codeFromRow(locked);
      if (code.userId !== found.user_id) return restart;

      const matches = code.codeHash === input.codeHash;
      if (matches && code.expiresAt > input.now) {
        await keyed(trx.deleteFrom("phone_codes"), input).execute();
        if (input.andSetSecret !== undefined) {
          const updated = await trx
            .updateTable("users")
            .set({ password_hash: input.andSetSecret.secretHash })
            .where("user_id", "=", code.userId)
            .where("recipe_id", "=", input.andSetSecret.recipeId)
            .where("phone_number", "=", input.phoneNumber)
            .executeTakeFirst();
          if (updated.numUpdatedRows === 0n) return restart;
        }
        if (input.andMarkVerified === true) {
          await trx
            .insertInto("phone_verifications")
            .values({ recipe_user_id: code.userId, phone_number: input.phoneNumber })
            .onConflict((oc) => oc.columns(["recipe_user_id", "phone_number"]).doNothing())
            .execute();
        }
        return { status: "OK", code };
      }

      const failedAttempts = code.failedAttempts + 1;
      if (failedAttempts >= input.maxFailedAttempts) {
        await keyed(trx.deleteFrom("phone_codes"), input).execute();
        return restart;
      }
      await keyed(trx.updateTable("phone_codes").set({ failed_attempts: failedAttempts }), input).execute();
      return { status: matches ? "EXPIRED_CODE" : "INCORRECT_CODE", failedAttempts };
    });
  }

  async delete(tenantId: string, purpose: string, phoneNumber: string): Promise<boolean> {
    const result = await this.sql.writeStatement((db) => keyed(db.deleteFrom("phone_codes"), { tenantId, purpose, phoneNumber }).executeTakeFirst());
    return result.numDeletedRows > 0n;
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.sql.writeStatement((db) => db.deleteFrom("phone_codes").where("expires_at", "<=", now).executeTakeFirst());
    return Number(result.numDeletedRows);
  }
}

interface Keyable<Q> {
  where(column: "tenant_id" | "purpose" | "phone_number", operator: "=", value: string): Q;
}

/** Narrows a query on phone_codes to one key. */
function keyed<Q extends Keyable<Q>>(query: Q, key: { tenantId: string; purpose: string; phoneNumber: string }): Q {
  return query.where("tenant_id", "=", key.tenantId).where("purpose", "=", key.purpose).where("phone_number", "=", key.phoneNumber);
}
