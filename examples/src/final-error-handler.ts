import type { ErrorRequestHandler } from "express";

/**
 * The last handler in the chain: whatever Portcullis' errorHandler() did not answer ends here.
 * The error is logged server-side; the client gets a fixed body, never a message or a stack
 * (they can reveal internals).
 *
 * One exception: express.json() rejects malformed or oversized bodies with an http-errors error
 * (`expose: true`, a 4xx status). That is the client's mistake, so it gets that status and the
 * parser's short, safe message instead of a misleading 500.
 */
export function finalErrorHandler(): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    const clientError = asExposedClientError(error);
    if (clientError === undefined) console.error(`[demo] ${req.method} ${req.path} failed:`, error);
    if (res.headersSent) {
      // Too late for a clean answer: let Express close the connection.
      next(error);
      return;
    }
    if (clientError !== undefined) {
      res.status(clientError.status).json({ message: clientError.message });
      return;
    }
    res.status(500).json({ message: "Internal Error" });
  };
}

function asExposedClientError(error: unknown): { status: number; message: string } | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { status, expose, message } = error as { status?: unknown; expose?: unknown; message?: unknown };
  if (expose !== true || typeof status !== "number" || status < 400 || status > 499) return undefined;
  return { status, message: typeof message === "string" ? message : "Bad Request" };
}
