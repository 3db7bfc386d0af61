import { describe, expect, it } from "vitest";
import { StorageUnavailableError } from "../storage-errors.js";
import { classifyPostgresError } from "./postgres-faults.js";
import { classifySqliteError } from "./sqlite-faults.js";

const withCode = (code: string, message = "driver says no") => Object.assign(new Error(message), { code });
const reasonOf = (error: unknown) => (StorageUnavailableError.is(error) ? error.reason : "passed through");

describe("driver errors that mean an outage", () => {
  it("PostgreSQL: lost connections, shutdowns, refused sockets and pool timeouts; not query errors", () => {
    expect(reasonOf(classifyPostgresError(withCode("57P01", "terminating connection due to administrator command")))).toBe("unreachable");
    expect(reasonOf(classifyPostgresError(withCode("08006")))).toBe("unreachable");
    expect(reasonOf(classifyPostgresError(withCode("ECONNREFUSED")))).toBe("unreachable");
    expect(reasonOf(classifyPostgresError(new Error("Connection terminated unexpectedly")))).toBe("unreachable");
    expect(reasonOf(classifyPostgresError(new Error("timeout exceeded when trying to connect")))).toBe("unreachable");
    expect(reasonOf(classifyPostgresError(withCode("53100")))).toBe("full");
    expect(reasonOf(classifyPostgresError(withCode("25006")))).toBe("read-only");
    for (const code of ["23505", "42P01", "28P01", "40P01"]) expect(reasonOf(classifyPostgresError(withCode(code)))).toBe("passed through");
  });

  it("SQLite: locks, full disk, read-only and I/O errors; not constraint or syntax errors", () => {
    expect(reasonOf(classifySqliteError(withCode("SQLITE_BUSY")))).toBe("busy");
    expect(reasonOf(classifySqliteError(withCode("SQLITE_BUSY_SNAPSHOT")))).toBe("busy");
    expect(reasonOf(classifySqliteError(withCode("SQLITE_LOCKED")))).toBe("busy");
    expect(reasonOf(classifySqliteError(withCode("SQLITE_FULL")))).toBe("full");
    expect(reasonOf(classifySqliteError(withCode("SQLITE_READONLY_DBMOVED")))).toBe("read-only");
    expect(reasonOf(classifySqliteError(withCode("SQLITE_IOERR_WRITE")))).toBe("io");
    expect(reasonOf(classifySqliteError(withCode("SQLITE_CANTOPEN")))).toBe("io");
    for (const code of ["SQLITE_CONSTRAINT_UNIQUE", "SQLITE_ERROR", "SQLITE_CORRUPT"]) expect(reasonOf(classifySqliteError(withCode(code)))).toBe("passed through");
  });

  it("keeps the driver's message for the log and a generic one for clients", () => {
    const error = classifySqliteError(withCode("SQLITE_FULL", "database or disk is full")) as StorageUnavailableError;
    expect(error.message).toContain("database or disk is full");
    expect(error.publicMessage).toBe("The database is out of space; please retry later");
    expect(error.cause).toBeInstanceOf(Error);
  });
});
