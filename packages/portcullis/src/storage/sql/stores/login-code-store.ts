import type { DeleteQueryBuilder, DeleteResult, Kysely } from "kysely";
import type { AccountIdentifier, LoginCode, LoginCodeDevice, LoginCodeUse } from "../../records.js";
import type { LoginCodeStore } from "../../storage.js";
import { toNumber } from "../rows.js";
import type { Database } from "../schema.js";
import type { SqlContext } from "./sql-context.js";

type DeviceDelete = DeleteQueryBuilder<Database, "login_code_devices", DeleteResult>;

/** Keeps `IN (…)` lists well under SQLite's bound-parameter limit when a sweep deletes many devices. */
const IDS_PER_STATEMENT = 500;

function identifierWhere(identifier: AccountIdentifier): ["email" | "phone_number", string] {
  return identifier.email !== undefined ? ["email", identifier.email] : ["phone_number", identifier.phoneNumber];
}

function identifierOfRow(row: { email: string | null; phone_number: string | null }): AccountIdentifier {
  if (row.email !== null) return { email: row.email };
  if (row.phone_number !== null) return { phoneNumber: row.phone_number };
  throw new Error("login_code_devices row without email or phone number");
}

/**
 * Deletes the devices `narrow` selects, then their codes. Devices go first: an addCode holding a
 * device's row lock makes the device DELETE wait for its commit, so the codes DELETE that follows
 * sees the code it added and leaves no orphan behind.
 */
export async function deleteDevicesWhere(trx: Kysely<Database>, narrow: (query: DeviceDelete) => DeviceDelete): Promise<number> {
  const deleted = await narrow(trx.deleteFrom("login_code_devices")).returning("pre_auth_session_id").execute();
  const ids = deleted.map((row) => row.pre_auth_session_id);
  for (let start = 0; start < ids.length; start += IDS_PER_STATEMENT) {
    await trx.deleteFrom("login_codes").where("pre_auth_session_id", "in", ids.slice(start, start + IDS_PER_STATEMENT)).execute();
  }
  return ids.length;
}

/** Devices with their codes in one statement (a consistent snapshot even outside a transaction), oldest first. */
function selectDevices(db: Kysely<Database>) {
  return db
    .selectFrom("login_code_devices as d")
    .leftJoin("login_codes as c", "c.pre_auth_session_id", "d.pre_auth_session_id")
    .select([
      "d.pre_auth_session_id",
      "d.tenant_id",
      "d.email",
      "d.phone_number",
      "d.link_code_salt",
      "d.failed_attempts",
      "c.code_id",
      "c.link_code_hash",
      "c.created_at as code_created_at",
      "c.expires_at",
    ])
    .orderBy("d.created_at")
    .orderBy("d.pre_auth_session_id")
    .orderBy("c.created_at")
    .orderBy("c.code_id");
}

type DeviceRow = Awaited<ReturnType<ReturnType<typeof selectDevices>["execute"]>>[number];

/** Folds the joined rows (one per code, grouped by device) into devices, keeping their order. */
function devicesFromRows(rows: DeviceRow[]): LoginCodeDevice[] {
  const devices = new Map<string, LoginCodeDevice>();
  for (const row of rows) {
    let device = devices.get(row.pre_auth_session_id);
    if (device === undefined) {
      device = {
        tenantId: row.tenant_id,
        preAuthSessionId: row.pre_auth_session_id,
        identifier: identifierOfRow(row),
        linkCodeSalt: row.link_code_salt,
        failedAttempts: toNumber(row.failed_attempts),
        codes: [],
      };
      devices.set(row.pre_auth_session_id, device);
    }
    if (row.code_id !== null && row.link_code_hash !== null && row.code_created_at !== null && row.expires_at !== null) {
      device.codes.push({
        codeId: row.code_id,
        linkCodeHash: row.link_code_hash,
        createdAt: toNumber(row.code_created_at),
        expiresAt: toNumber(row.expires_at),
      });
    }
  }
  return [...devices.values()];
}

async function readDevices(query: ReturnType<typeof selectDevices>): Promise<LoginCodeDevice[]> {
  return devicesFromRows(await query.execute());
}

/** Devices and codes of passwordless sign-in; every lookup is scoped to the tenant. */
export class SqlLoginCodeStore implements LoginCodeStore {
  constructor(private readonly sql: SqlContext) {}

  async createDevice(device: Omit<LoginCodeDevice, "codes" | "failedAttempts">, firstCode: LoginCode): Promise<void> {
    await this.sql.write(async (trx) => {
      await trx
        .insertInto("login_code_devices")
        .values({
          pre_auth_session_id: device.preAuthSessionId,
          tenant_id: device.tenantId,
          email: device.identifier.email ?? null,
          phone_number: device.identifier.phoneNumber ?? null,
          link_code_salt: device.linkCodeSalt,
          failed_attempts: 0,
          created_at: firstCode.createdAt,
        })
        .execute();
      await insertCode(trx, device.preAuthSessionId, firstCode).execute();
    });
  }

  addCode(tenantId: string, preAuthSessionId: string, code: LoginCode, now: number): Promise<"OK" | "UNKNOWN_DEVICE" | "CODE_TAKEN"> {
    return this.sql.write(async (trx) => {
      // Locked so that a consume or delete of the device cannot slip between this check and the insert.
      if (!(await lockDevice(this.sql, trx, tenantId, preAuthSessionId))) return "UNKNOWN_DEVICE";
      const live = await trx
        .selectFrom("login_codes")
        .select("code_id")
        .where("pre_auth_session_id", "=", preAuthSessionId)
        .where("expires_at", ">", now)
        .executeTakeFirst();
      if (live === undefined) return "UNKNOWN_DEVICE";
      // Only the (device, hash) conflict is an outcome; a clash of the random code id is a bug and throws.
      const inserted = await insertCode(trx, preAuthSessionId, code)
        .onConflict((oc) => oc.columns(["pre_auth_session_id", "link_code_hash"]).doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0 ? "OK" : "CODE_TAKEN";
    });
  }

  async getDevice(tenantId: string, preAuthSessionId: string): Promise<LoginCodeDevice | undefined> {
    const [device] = await readDevices(selectDevices(this.sql.db).where("d.pre_auth_session_id", "=", preAuthSessionId).where("d.tenant_id", "=", tenantId));
    return device;
  }

  async getDeviceByCodeId(tenantId: string, codeId: string): Promise<LoginCodeDevice | undefined> {
    const [device] = await readDevices(
      selectDevices(this.sql.db)
        .where("d.pre_auth_session_id", "=", (eb) => eb.selectFrom("login_codes").select("pre_auth_session_id").where("code_id", "=", codeId))
        .where("d.tenant_id", "=", tenantId),
    );
    return device;
  }

  listDevices(tenantId: string, identifier: AccountIdentifier): Promise<LoginCodeDevice[]> {
    const [column, value] = identifierWhere(identifier);
    return readDevices(selectDevices(this.sql.db).where("d.tenant_id", "=", tenantId).where(`d.${column}` as const, "=", value));
  }

  consumeCode(input: {
    tenantId: string;
    preAuthSessionId: string;
    linkCodeHash: string;
    now: number;
    countFailure: boolean;
    maxFailedAttempts: number;
  }): Promise<LoginCodeUse> {
    const restart: LoginCodeUse = { status: "RESTART" };
    return this.sql.write(async (trx) => {
      const found = await trx
        .selectFrom("login_code_devices")
        .select(["email", "phone_number"])
        .where("pre_auth_session_id", "=", input.preAuthSessionId)
        .where("tenant_id", "=", input.tenantId)
        .executeTakeFirst();
      if (found === undefined) return restart;
      // A success deletes every device of the identifier, so uses queue on all of them, locked in
      // one order: two devices of one email used at once then wait instead of deadlocking. A
      // device's identifier never changes, so reading it before the lock is safe.
      const [column, value] = identifierWhere(identifierOfRow(found));
      const locked = await this.sql.dialect
        .lockRows(
          trx
            .selectFrom("login_code_devices")
            .select(["pre_auth_session_id", "failed_attempts"])
            .where("tenant_id", "=", input.tenantId)
            .where(column, "=", value)
            .orderBy("pre_auth_session_id"),
        )
        .execute();
      const current = locked.find((row) => row.pre_auth_session_id === input.preAuthSessionId);
      // Gone (a concurrent use won) while we waited for the lock.
      if (current === undefined) return restart;

      const code = await trx
        .selectFrom("login_codes")
        .select("expires_at")
        .where("pre_auth_session_id", "=", input.preAuthSessionId)
        .where("link_code_hash", "=", input.linkCodeHash)
        .executeTakeFirst();
      const expired = code !== undefined && toNumber(code.expires_at) <= input.now;
      if (code !== undefined && !expired) {
        const [device] = await readDevices(selectDevices(trx).where("d.pre_auth_session_id", "=", input.preAuthSessionId));
        if (device === undefined) throw new Error("login_code_devices: a locked device disappeared");
        await deleteDevicesWhere(trx, (query) => query.where("tenant_id", "=", input.tenantId).where(column, "=", value));
        return { status: "OK", device };
      }
      // A link code is a 32-byte secret: guessing it is hopeless, so a wrong one is not counted.
      if (!input.countFailure) return restart;

      const failedAttempts = toNumber(current.failed_attempts) + 1;
      if (failedAttempts >= input.maxFailedAttempts) {
        await deleteDevicesWhere(trx, (query) => query.where("pre_auth_session_id", "=", input.preAuthSessionId));
        return restart;
      }
      await trx.updateTable("login_code_devices").set({ failed_attempts: failedAttempts }).where("pre_auth_session_id", "=", input.preAuthSessionId).execute();
      return { status: expired ? "EXPIRED_CODE" : "INCORRECT_CODE", failedAttempts };
    });
  }

  deleteCode(tenantId: string, codeId: string): Promise<boolean> {
    return this.sql.write(async (trx) => {
      const found = await trx.selectFrom("login_codes").select("pre_auth_session_id").where("code_id", "=", codeId).executeTakeFirst();
      if (found === undefined) return false;
      const preAuthSessionId = found.pre_auth_session_id;
      if (!(await lockDevice(this.sql, trx, tenantId, preAuthSessionId))) return false;
      const deleted = await trx.deleteFrom("login_codes").where("code_id", "=", codeId).where("pre_auth_session_id", "=", preAuthSessionId).executeTakeFirst();
      if (deleted.numDeletedRows === 0n) return false;
      const remaining = await trx.selectFrom("login_codes").select("code_id").where("pre_auth_session_id", "=", preAuthSessionId).executeTakeFirst();
      // A device without codes could never be used again.
      if (remaining === undefined) await trx.deleteFrom("login_code_devices").where("pre_auth_session_id", "=", preAuthSessionId).execute();
      return true;
    });
  }

  async deleteDevice(tenantId: string, preAuthSessionId: string): Promise<boolean> {
    const deleted = await this.sql.write((trx) =>
      deleteDevicesWhere(trx, (query) => query.where("pre_auth_session_id", "=", preAuthSessionId).where("tenant_id", "=", tenantId)),
    );
    return deleted > 0;
  }

  deleteDevicesOf(tenantId: string, identifier: AccountIdentifier): Promise<number> {
    const [column, value] = identifierWhere(identifier);
    return this.sql.write((trx) => deleteDevicesWhere(trx, (query) => query.where("tenant_id", "=", tenantId).where(column, "=", value)));
  }

  deleteExpired(now: number): Promise<number> {
    return this.sql.write((trx) =>
      deleteDevicesWhere(trx, (query) =>
        query.where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("login_codes")
                .select("code_id")
                .whereRef("login_codes.pre_auth_session_id", "=", "login_code_devices.pre_auth_session_id")
                .where("login_codes.expires_at", ">", now),
            ),
          ),
        ),
      ),
    );
  }
}

function insertCode(trx: Kysely<Database>, preAuthSessionId: string, code: LoginCode) {
  return trx.insertInto("login_codes").values({
    code_id: code.codeId,
    pre_auth_session_id: preAuthSessionId,
    link_code_hash: code.linkCodeHash,
    created_at: code.createdAt,
    expires_at: code.expiresAt,
  });
}

/** Locks the device row until the transaction ends (PostgreSQL; SQLite's write transaction already excludes); false when it is not in the tenant. */
async function lockDevice(sql: SqlContext, trx: Kysely<Database>, tenantId: string, preAuthSessionId: string): Promise<boolean> {
  const row = await sql.dialect
    .lockRows(trx.selectFrom("login_code_devices").select("pre_auth_session_id").where("pre_auth_session_id", "=", preAuthSessionId).where("tenant_id", "=", tenantId))
    .executeTakeFirst();
  return row !== undefined;
}
