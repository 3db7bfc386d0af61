/** Which PostgreSQL and pg errors mean the database is out of reach rather than the query wrong. */
import { driverDetail, StorageUnavailableError, type StorageUnavailableReason } from "../storage-errors.js";
import { errorCode } from "./dialect.js";

// SQLSTATEs: admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting down),
// too_many_connections, disk_full, out_of_memory, read_only_sql_transaction (a hot standby).
const SQLSTATE_REASONS: Record<string, StorageUnavailableReason> = {
  "57P01": "unreachable",
  "57P02": "unreachable",
  "57P03": "unreachable",
  "53300": "busy",
  "53100": "full",
  "53200": "busy",
  "25006": "read-only",
};

// Socket errors from node:net / dns while connecting or mid-query.
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "EAI_AGAIN", "ENOTFOUND"]);

// pg reports a dead socket and a pool wait that timed out without a code; its messages are stable.
const PG_CONNECTION_MESSAGES = /Connection terminated|Connection ended|not queryable|timeout exceeded when trying to connect|connection timeout/i;

function postgresUnavailableReason(error: unknown): StorageUnavailableReason | undefined {
  const code = errorCode(error);
  if (typeof code === "string") {
    // Class 08: connection exception (connection_failure, …).
    if (code.startsWith("08")) return "unreachable";
    const reason = SQLSTATE_REASONS[code];
    if (reason !== undefined) return reason;
    if (NETWORK_CODES.has(code)) return "unreachable";
  }
  if (error instanceof Error && PG_CONNECTION_MESSAGES.test(error.message)) return "unreachable";
  return undefined;
}

/** The error as StorageUnavailableError when it is an outage, else unchanged. */
export function classifyPostgresError(error: unknown): unknown {
  if (StorageUnavailableError.is(error)) return error;
  const reason = postgresUnavailableReason(error);
  return reason === undefined ? error : new StorageUnavailableError(reason, { cause: error, detail: driverDetail(error) });
}
