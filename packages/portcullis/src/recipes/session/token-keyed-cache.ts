/**
 * A bounded map from access tokens to what was learned about them, oldest entry out first.
 *
 * Why not a plain Map keyed by the token: a token is ~700 characters, it arrives as a fresh header
 * string on every request, and a Map lookup makes V8 hash every character of it first. That hash
 * was the largest single cost of a cached verifySession. The last characters of a token (its
 * signature) already tell tokens apart, so the key is that tail and a hit is confirmed against the
 * whole token: a token that merely shares a tail (a forgery built on a cached one's signature)
 * finds no entry.
 */
export class TokenKeyedCache<V> {
  private readonly entries = new Map<string, { token: string; value: V }>();

  constructor(private readonly maxEntries: number) {}

  get(token: string): V | undefined {
    const entry = this.entries.get(tailOf(token));
    return entry !== undefined && entry.token === token ? entry.value : undefined;
  }

  set(token: string, value: V): void {
    const key = tailOf(token);
    if (!this.entries.has(key) && this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { token, value });
  }

  get size(): number {
    return this.entries.size;
  }
}

/** 24 base64url characters of signature: 144 bits, more than enough to tell real tokens apart. */
const TAIL_LENGTH = 24;

function tailOf(token: string): string {
  return token.length <= TAIL_LENGTH ? token : token.slice(-TAIL_LENGTH);
}
