/**
 * Errors a Storage implementation may throw for bad input. Expected outcomes (duplicate email,
 * invalid token) are typed results instead; these are for callers that passed something the
 * storage cannot interpret, so the engine can answer 400 rather than 500.
 */

export class InvalidPaginationTokenError extends Error {
  constructor() {
    super("Invalid pagination token");
    this.name = "InvalidPaginationTokenError";
  }
}

/** Why the database could not serve a call; each has a message safe to show a client. */
export type StorageUnavailableReason = "unreachable" | "busy" | "full" | "read-only" | "io";

const PUBLIC_MESSAGES: Record<StorageUnavailableReason, string> = {
  unreachable: "The database is unreachable; please retry shortly",
  busy: "The database is busy; please retry shortly",
  full: "The database is out of space; please retry later",
  "read-only": "The database is read-only; please retry later",
  io: "The database could not be read or written; please retry later",
};

// Branded through the global symbol registry, so the ESM and CommonJS builds recognise each other's errors.
const UNAVAILABLE_BRAND = Symbol.for("portcullis.storage.unavailable");

/**
 * The database cannot serve the call right now (down, restarting, locked by another process,
 * full, read-only). Nothing was written: every write is one transaction. The engine answers 503
 * with `Retry-After`; the driver's error is kept as `cause` for logs, never sent to a client.
 */
export class StorageUnavailableError extends Error {
  readonly [UNAVAILABLE_BRAND] = true;
  /** For the client: says what is wrong without driver details, paths or host names. */
  readonly publicMessage: string;
  /** Seconds a client should wait before retrying. */
  readonly retryAfterSeconds: number;

  constructor(
    readonly reason: StorageUnavailableReason,
    options: { cause?: unknown; detail?: string } = {},
  ) {
    super(`Storage unavailable (${reason})${options.detail !== undefined ? `: ${options.detail}` : ""}`, { cause: options.cause });
    this.name = "StorageUnavailableError";
    this.publicMessage = PUBLIC_MESSAGES[reason];
    this.retryAfterSeconds = reason === "busy" ? 1 : 5;
  }

  static is(error: unknown): error is StorageUnavailableError {
    return typeof error === "object" && error !== null && (error as { [UNAVAILABLE_BRAND]?: unknown })[UNAVAILABLE_BRAND] === true;
  }
}

/** The driver's message, for logs and `StorageUnavailableError.message`; never a client. */
export function driverDetail(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
