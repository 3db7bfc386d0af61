import type { ExpressionBuilder, Selectable } from "kysely";
import type { AccountIdentifier, InvitationRecord } from "../../records.js";
import type { InvitationStore } from "../../storage.js";
import { toNumber } from "../rows.js";
import type { Database, InvitationsTable } from "../schema.js";
import type { SqlContext } from "./sql-context.js";

function invitationFromRow(row: Selectable<InvitationsTable>): InvitationRecord {
  const roles: unknown = JSON.parse(row.roles_json);
  if (!Array.isArray(roles) || roles.some((role) => typeof role !== "string")) throw new Error("Column invitations.roles_json does not hold a list of role names");
  const identifier: AccountIdentifier | undefined = row.email !== null ? { email: row.email } : row.phone_number !== null ? { phoneNumber: row.phone_number } : undefined;
  if (identifier === undefined) throw new Error(`Invitation ${row.invitation_id} has neither an email nor a phone number`);
  return {
    invitationId: row.invitation_id,
    tenantId: row.tenant_id,
    identifier,
    roles: roles as string[],
    createdAt: toNumber(row.created_at),
    expiresAt: toNumber(row.expires_at),
    acceptedAt: row.accepted_at === null ? null : toNumber(row.accepted_at),
    acceptedByUserId: row.accepted_by_user_id,
  };
}

/** The rows of one tenant and identifier (whichever of email or phone number it is). */
function ofIdentifier(tenantId: string, identifier: AccountIdentifier) {
  return (eb: ExpressionBuilder<Database, "invitations">) =>
    eb.and([
      eb("tenant_id", "=", tenantId),
      identifier.email !== undefined ? eb("email", "=", identifier.email) : eb("phone_number", "=", identifier.phoneNumber),
    ]);
}

/** Invitations; the pending-per-identifier rule is enforced by partial UNIQUE indexes (migration 0006). */
export class SqlInvitationStore implements InvitationStore {
  constructor(private readonly sql: SqlContext) {}

  async create(invitation: InvitationRecord): Promise<void> {
    const identifierColumn = invitation.identifier.email !== undefined ? "email" : "phone_number";
    // One upsert on the partial UNIQUE index of pending invitations: a pending one of the same
    // identifier is overwritten in place, so concurrent creates serialise on that index entry and
    // the last one wins, on both engines, without a retry loop.
    await this.sql.writeStatement((db) =>
      db
        .insertInto("invitations")
        .values({
          invitation_id: invitation.invitationId,
          tenant_id: invitation.tenantId,
          email: invitation.identifier.email ?? null,
          phone_number: invitation.identifier.phoneNumber ?? null,
          roles_json: JSON.stringify(invitation.roles),
          created_at: invitation.createdAt,
          expires_at: invitation.expiresAt,
          accepted_at: invitation.acceptedAt,
          accepted_by_user_id: invitation.acceptedByUserId,
        })
        .onConflict((oc) =>
          oc
            .columns(["tenant_id", identifierColumn])
            .where("accepted_at", "is", null)
            .doUpdateSet((eb) => ({
              invitation_id: eb.ref("excluded.invitation_id"),
              roles_json: eb.ref("excluded.roles_json"),
              created_at: eb.ref("excluded.created_at"),
              expires_at: eb.ref("excluded.expires_at"),
              accepted_at: eb.ref("excluded.accepted_at"),
              accepted_by_user_id: eb.ref("excluded.accepted_by_user_id"),
            })),
        )
        .execute(),
    );
  }

  async get(tenantId: string, invitationId: string): Promise<InvitationRecord | undefined> {
    const row = await this.sql.db
      .selectFrom("invitations")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("invitation_id", "=", invitationId)
      .executeTakeFirst();
    return row ? invitationFromRow(row) : undefined;
  }

  async findLive(tenantId: string, identifier: AccountIdentifier, now: number): Promise<InvitationRecord | undefined> {
    const row = await this.sql.db
      .selectFrom("invitations")
      .selectAll()
      .where(ofIdentifier(tenantId, identifier))
      .where("accepted_at", "is", null)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    return row ? invitationFromRow(row) : undefined;
  }

  async list(tenantId: string, options: { includeAccepted?: boolean; includeExpired?: boolean }, now: number): Promise<InvitationRecord[]> {
    const rows = await this.sql.db
      .selectFrom("invitations")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where((eb) =>
        eb.or([
          eb.and([eb("accepted_at", "is", null), eb("expires_at", ">", now)]),
          ...(options.includeAccepted === true ? [eb("accepted_at", "is not", null)] : []),
          ...(options.includeExpired === true ? [eb.and([eb("accepted_at", "is", null), eb("expires_at", "<=", now)])] : []),
        ]),
      )
      .orderBy("created_at", "desc")
      .orderBy("invitation_id")
      .execute();
    return rows.map(invitationFromRow);
  }

  async revoke(tenantId: string, invitationId: string): Promise<boolean> {
    const result = await this.sql.writeStatement((db) =>
      db.deleteFrom("invitations").where("tenant_id", "=", tenantId).where("invitation_id", "=", invitationId).executeTakeFirst(),
    );
    return result.numDeletedRows > 0n;
  }

  async accept(tenantId: string, identifier: AccountIdentifier, userId: string, now: number): Promise<InvitationRecord | undefined> {
    // One UPDATE is the claim: PostgreSQL re-checks `accepted_at is null` on the row a concurrent
    // accept just committed, and SQLite runs writers one at a time, so only one caller gets a row.
    const row = await this.sql.writeStatement((db) =>
      db
        .updateTable("invitations")
        .set({ accepted_at: now, accepted_by_user_id: userId })
        .where(ofIdentifier(tenantId, identifier))
        .where("accepted_at", "is", null)
        .where("expires_at", ">", now)
        .returningAll()
        .executeTakeFirst(),
    );
    return row ? invitationFromRow(row) : undefined;
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.sql.writeStatement((db) =>
      db.deleteFrom("invitations").where("accepted_at", "is", null).where("expires_at", "<=", now).executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }
}
