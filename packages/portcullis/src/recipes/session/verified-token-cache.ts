import type { ParsedAccessToken } from "./access-token.js";

/**
 * Access tokens whose signature was already checked, keyed by the whole token string (signature
 * included, so a forged token never hits), with their parsed form so a hit skips decoding too.
 * Expiry is still checked on every use. The cached payload is deep-frozen: callers share it, and
 * must copy before changing anything. Bounded: the oldest entries go first.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, ParsedAccessToken>();

  constructor(private readonly maxEntries: number) {}

  get(token: string): ParsedAccessToken | undefined {
    return this.entries.get(token);
  }

  add(parsed: ParsedAccessToken): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    deepFreeze(parsed.payload);
    this.entries.set(parsed.token, parsed);
  }
}

function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
