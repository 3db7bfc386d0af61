import type { SharedStorage } from "./refresh-lock.js";
import type { TokenStorage } from "./types.js";

/** What the client keeps, under `<prefix>.<name>`. */
export type StoredItem = "frontToken" | "accessToken" | "refreshToken" | "antiCsrf" | "passwordless";

/** Plain in-memory storage: the default outside browsers, where nothing outlives the process anyway. */
export function memoryStorage(): TokenStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(key, value);
    },
    removeItem: (key) => {
      items.delete(key);
    },
  };
}

/**
 * The page's localStorage when it exists and works (it throws in some private modes and in
 * Node builds that expose it without a backing file), else undefined.
 */
export function browserLocalStorage(): SharedStorage | undefined {
  try {
    const candidate = (globalThis as { localStorage?: SharedStorage | null }).localStorage;
    if (candidate === undefined || candidate === null) return undefined;
    const probe = "__portcullis_probe__";
    candidate.setItem(probe, "1");
    candidate.removeItem(probe);
    return candidate;
  } catch {
    return undefined;
  }
}

/**
 * Client-set cookies on the page's origin, the way web-js keeps sFrontToken and sAntiCsrf. In
 * cookie mode this is the browser default because tabs see each other's cookie writes at once,
 * while another tab's localStorage write may reach this tab late (Chromium propagates it between
 * renderer processes asynchronously): a tab that has just waited for the refresh lock must see the
 * token the previous holder stored, or it refreshes again with a stale anti-CSRF token.
 */
export function browserCookieStorage(): TokenStorage | undefined {
  const doc = (globalThis as { document?: { cookie: string } }).document;
  if (doc === undefined || typeof doc.cookie !== "string") return undefined;
  const secure = (globalThis as { location?: { protocol?: string } }).location?.protocol === "https:" ? "; Secure" : "";
  const read = (key: string): string | null => {
    const prefix = `${encodeURIComponent(key)}=`;
    const entry = doc.cookie.split("; ").find((part) => part.startsWith(prefix));
    return entry === undefined ? null : decodeURIComponent(entry.slice(prefix.length));
  };
  return {
    getItem: read,
    setItem: (key, value) => {
      doc.cookie = `${encodeURIComponent(key)}=${encodeURIComponent(value)}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
    },
    removeItem: (key) => {
      doc.cookie = `${encodeURIComponent(key)}=; Path=/; Max-Age=0; SameSite=Lax${secure}`;
    },
  };
}

/** Typed access to one client's keys in whatever storage it was given. */
export class SessionStore {
  constructor(
    private readonly storage: TokenStorage,
    private readonly prefix: string,
  ) {}

  async get(item: StoredItem): Promise<string | null> {
    return (await this.storage.getItem(`${this.prefix}.${item}`)) ?? null;
  }

  async set(item: StoredItem, value: string | null): Promise<void> {
    if (value === null) await this.storage.removeItem(`${this.prefix}.${item}`);
    else await this.storage.setItem(`${this.prefix}.${item}`, value);
  }

  /** Forgets the session (not a pending passwordless attempt, which belongs to the signed-out state). */
  async clearSession(): Promise<void> {
    await Promise.all((["frontToken", "accessToken", "refreshToken", "antiCsrf"] as const).map((item) => this.set(item, null)));
  }
}
