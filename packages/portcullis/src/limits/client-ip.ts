import type { BaseRequest } from "../http/base-request.js";

/**
 * The client's IP. With no trusted proxy it is the socket's remote address: X-Forwarded-For is
 * written by the client and would let anyone pick a fresh IP per request. With `hops` proxies in
 * front, each appends the address it saw, so the client is the hops-th entry from the right.
 */
export function clientIp(req: BaseRequest, trustedProxyHops: number): string | undefined {
  const socketAddress = normaliseIp(req.getRemoteAddress?.());
  if (trustedProxyHops === 0) return socketAddress;
  const forwarded = (req.getHeaderValue("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  // Fewer entries than proxies: the request did not come through all of them; use the left-most.
  const entry = forwarded.length === 0 ? undefined : forwarded[Math.max(0, forwarded.length - trustedProxyHops)];
  return normaliseIp(entry) ?? socketAddress;
}

/** `::ffff:1.2.3.4` and `1.2.3.4` are one client. */
function normaliseIp(address: string | undefined): string | undefined {
  if (address === undefined || address === "") return undefined;
  const lower = address.toLowerCase();
  return lower.startsWith("::ffff:") && lower.includes(".") ? lower.slice(7) : lower;
}
