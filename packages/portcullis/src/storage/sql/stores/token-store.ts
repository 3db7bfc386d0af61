import type { Selectable } from "kysely";
import type { RecipeId, TokenRecord } from "../../records.js";
import type { TokenStore } from "../../storage.js";
import { toNumber } from "../rows.js";
import type { TokensTable } from "../schema.js";
import type { SqlContext } from "./sql-context.js";

function tokenFromRow(row: Selectable<TokensTable>): TokenRecord {
  return {
    kind: row.kind,
    tokenHash: row.token_hash,
    tenantId: row.tenant_id,
    userId: row.user_id ?? undefined,
    identifier: row.email !== null ? { email: row.email } : row.phone_number !== null ? { phoneNumber: row.phone_number } : undefined,
    expiresAt: toNumber(row.expires_at),
    createdAt: toNumber(row.created_at),
  };
}

export class SqlTokenStore implements TokenStore {
  constructor(private readonly sql: SqlContext) {}

  async create(token: TokenRecord): Promise<void> {
    await this.sql.writeStatement((db) =>
      db
        .insertInto("tokens")
        .values({
          token_hash: token.tokenHash,
          kind: token.kind,
          tenant_id: token.tenantId,
          user_id: token.userId ?? null,
          email: token.identifier?.email ?? null,
          phone_number: token.identifier?.phoneNumber ?? null,
          expires_at: token.expiresAt,
          created_at: token.createdAt,
        })
        .execute(),
    );
  }

  async find(kind: string, tokenHash: string, tenantId: string, now: number): Promise<TokenRecord | undefined> {
    const row = await this.sql.db
      .selectFrom("tokens")
      .selectAll()
      .where("token_hash", "=", tokenHash)
      .where("tenant_id", "=", tenantId)
      .where("kind", "=", kind)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    return row === undefined ? undefined : tokenFromRow(row);
  }

  consume(input: {
    kind: string;
    tokenHash: string;
    tenantId: string;
    now: number;
    andSetSecret?: { recipeId: RecipeId; secretHash: string };
    andMarkVerified?: boolean;
  }): Promise<TokenRecord | undefined> {
    const { dialect } = this.sql;
    return this.sql.write(async (trx) => {
      // Keyed by tenant and kind too: a token presented elsewhere is simply not found, and the
      // real owner's token survives.
      const found = await trx
        .selectFrom("tokens")
        .select("user_id")
        .where("token_hash", "=", input.tokenHash)
        .where("tenant_id", "=", input.tenantId)
        .where("kind", "=", input.kind)
        .executeTakeFirst();
      if (!found) return undefined;

      if (found.user_id !== null) {
        // Consumers of one user queue on the user row before touching any of the user's tokens;
        // without it, two different tokens of one user consumed at once would deadlock on PostgreSQL.
        await dialect.lockRows(trx.selectFrom("users").select("user_id").where("user_id", "=", found.user_id)).execute();
      }

      // The DELETE is the claim: of concurrent consumers only one gets the row back.
      const claimed = await trx
        .deleteFrom("tokens")
        .where("token_hash", "=", input.tokenHash)
        .where("tenant_id", "=", input.tenantId)
        .where("kind", "=", input.kind)
        .returningAll()
        .executeTakeFirst();
      if (!claimed) return undefined;
      const token = tokenFromRow(claimed);

      // Any use, even of an expired token, retires every outstanding token of its kind for the user.
      if (token.userId !== undefined) {
        await trx.deleteFrom("tokens").where("user_id", "=", token.userId).where("kind", "=", input.kind).execute();
      }
      if (token.expiresAt <= input.now) return undefined;

      if (input.andSetSecret !== undefined) {
        if (token.userId === undefined) return undefined;
        const updated = await trx
          .updateTable("users")
          .set({ password_hash: input.andSetSecret.secretHash })
          .where("user_id", "=", token.userId)
          .where("recipe_id", "=", input.andSetSecret.recipeId)
          .executeTakeFirst();
        if (updated.numUpdatedRows === 0n) return undefined;
      }
      if (input.andMarkVerified === true) {
        const email = token.identifier?.email;
        if (token.userId === undefined || email === undefined) return undefined;
        await trx
          .insertInto("email_verifications")
          .values({ recipe_user_id: token.userId, email })
          .onConflict((oc) => oc.columns(["recipe_user_id", "email"]).doNothing())
          .execute();
      }
      return token;
    });
  }

  async revokeForUser(userId: string, kind: string | undefined): Promise<number> {
    const result = await this.sql.writeStatement((db) => {
      let query = db.deleteFrom("tokens").where("user_id", "=", userId);
      if (kind !== undefined) query = query.where("kind", "=", kind);
      return query.executeTakeFirst();
    });
    return Number(result.numDeletedRows);
  }
}
