import type { ParsedAccessToken } from "./access-token.js";
import { TokenKeyedCache } from "./token-keyed-cache.js";

/**
 * Access tokens whose signature was already checked (a hit is the whole token string, signature
 * included, so a forged token never hits), with their parsed form so a hit skips decoding too.
 * Expiry is still checked on every use. The cached payload is deep-frozen: callers share it, and
 * must copy before changing anything. Bounded: the oldest entries go first.
 */
export class VerifiedTokenCache {
  private readonly entries: TokenKeyedCache<ParsedAccessToken>;

  constructor(maxEntries: number) {
    this.entries = new TokenKeyedCache(maxEntries);
  }

  get(token: string): ParsedAccessToken | undefined {
    return this.entries.get(token);
  }

  add(parsed: ParsedAccessToken): void {
    deepFreeze(parsed.payload);
    this.entries.set(parsed.token, parsed);
  }
}

function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
