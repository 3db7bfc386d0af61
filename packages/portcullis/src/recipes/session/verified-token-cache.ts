/**
 * Remembers access tokens whose signature was already checked, keyed by the whole token string
 * (signature included, so a forged token can never hit). Expiry is still checked on every use.
 * Bounded: the oldest entries go first.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, number>();

  constructor(private readonly maxEntries: number) {}

  has(token: string): boolean {
    return this.entries.has(token);
  }

  add(token: string, expiresAt: number): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(token, expiresAt);
  }
}
