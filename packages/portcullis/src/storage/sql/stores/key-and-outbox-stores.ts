import type { OutboxMessage, SigningKeyRecord } from "../../records.js";
import type { OutboxStore, SigningKeyStore } from "../../storage.js";
import { outboxFromRow, signingKeyFromRow } from "../rows.js";
import type { SqlContext } from "./sql-context.js";

export class SqlSigningKeyStore implements SigningKeyStore {
  constructor(private readonly sql: SqlContext) {}

  async list(): Promise<SigningKeyRecord[]> {
    const rows = await this.sql.db
      .selectFrom("signing_keys")
      .selectAll()
      .where("algorithm", "=", "RS256")
      .orderBy("created_at", "desc")
      .orderBy("kid")
      .execute();
    return rows.map(signingKeyFromRow);
  }

  async insertIfAbsent(key: SigningKeyRecord): Promise<void> {
    await this.sql.writeStatement((db) =>
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

  async deleteCreatedBefore(createdBefore: number): Promise<number> {
    const result = await this.sql.writeStatement((db) => db.deleteFrom("signing_keys").where("created_at", "<", createdBefore).executeTakeFirst());
    return Number(result.numDeletedRows);
  }
}

export class SqlOutboxStore implements OutboxStore {
  constructor(private readonly sql: SqlContext) {}

  async insert(message: OutboxMessage): Promise<void> {
    await this.sql.writeStatement((db) =>
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

  async listNewest(limit: number): Promise<OutboxMessage[]> {
    const rows = await this.sql.db.selectFrom("outbox").selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute();
    return rows.map(outboxFromRow);
  }

  deleteCreatedBefore(createdBefore: number): Promise<number> {
    return this.sql.writeStatement(async (db) => {
      const result = await db.deleteFrom("outbox").where("created_at", "<", createdBefore).executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }
}
