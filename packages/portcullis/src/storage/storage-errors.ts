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
