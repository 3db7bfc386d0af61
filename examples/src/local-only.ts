import type { NextFunction, Request, Response } from "express";

/**
 * Demo-grade guard for routes that hand out secrets (reset links, the outbox). It is not an
 * authorisation scheme; a real app would put these behind an admin session.
 *
 * - The TCP peer must be loopback. `req.socket.remoteAddress` is used rather than `req.ip`, so a
 *   forged X-Forwarded-For cannot help (the app never enables "trust proxy").
 * - The Host header must name loopback too, which defeats DNS rebinding (a hostile page whose
 *   domain now resolves to 127.0.0.1 still sends its own name as Host).
 * - When a browser says where the request comes from (Origin), it must be this app: a page on
 *   another site running in the developer's browser also connects from loopback.
 */
const LOOPBACK_ADDRESSES = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const LOOPBACK_HOSTNAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function isLocalRequest(req: Request): boolean {
  if (!LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? "")) return false;
  const host = req.headers.host;
  if (host === undefined || !LOOPBACK_HOSTNAMES.has(hostnameOf(host))) return false;
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${host}`;
}

export function localOnly(req: Request, res: Response, next: NextFunction): void {
  if (isLocalRequest(req)) {
    next();
    return;
  }
  res.status(403).json({ message: "This demo endpoint only answers requests made from localhost" });
}

/** "localhost:3000" → "localhost", "[::1]:3000" → "[::1]". */
function hostnameOf(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith("[")) return lower.slice(0, lower.indexOf("]") + 1);
  const colon = lower.indexOf(":");
  return colon === -1 ? lower : lower.slice(0, colon);
}
