/**
 * Shared state and data builders of the conformance suite. Tests share one database, so every
 * builder makes fresh random tenants, emails and ids.
 */
import { randomUUID } from "node:crypto";
import type { SessionRecord, Storage, StoredCredential, StoredUser, TokenRecord } from "../../storage/storage.js";

export const NOW = 1_700_000_000_000;
export const HOUR = 3_600_000;
export const RESET = "password-reset";
export const INVALID = { status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" } as const;

export const id = (prefix: string): string => `${prefix}-${randomUUID()}`;
export const newTenant = (): string => id("tenant");
export const newEmail = (): string => `${randomUUID()}@example.com`;

export interface ConformanceFixtures {
  /** Two instances on the suite's database, as two application processes would be. */
  readonly s: Storage;
  readonly s2: Storage;
  /** Opens one more instance; the suite closes it at the end. */
  open(): Promise<Storage>;
  /** Alternates between the two instances to spread the calls of a concurrency test. */
  either(i: number): Storage;
  /** An email-password user with one credential. */
  createUser(
    tenantId: string,
    email?: string,
    options?: { timeJoined?: number; passwordHash?: string; userId?: string },
  ): Promise<StoredUser>;
  session(overrides?: Partial<SessionRecord>): SessionRecord;
  /** A password-reset token record (not stored). */
  resetToken(userId: string, tenantId: string, overrides?: { expiresAt?: number; email?: string }): TokenRecord;
}

/** The email-password credential of `email` in `tenantId`. */
export function findLogin(storage: Storage, tenantId: string, email: string): Promise<StoredCredential | undefined> {
  return storage.credentials.find("emailpassword", tenantId, { email });
}

/** Consumes a password-reset token as the email-password recipe does, answering in the recipe's terms. */
export async function consumeReset(
  storage: Storage,
  input: { tokenHash: string; tenantId: string; now: number; newPasswordHash?: string },
): Promise<{ status: "OK"; userId: string; email: string } | typeof INVALID> {
  const token = await storage.tokens.consume({
    kind: RESET,
    tokenHash: input.tokenHash,
    tenantId: input.tenantId,
    now: input.now,
    ...(input.newPasswordHash !== undefined ? { andSetSecret: { recipeId: "emailpassword", secretHash: input.newPasswordHash } } : {}),
  });
  if (token?.userId === undefined || token.identifier?.email === undefined) return INVALID;
  return { status: "OK", userId: token.userId, email: token.identifier.email };
}

export interface FixtureControl {
  fixtures: ConformanceFixtures;
  /** Called from beforeAll, once the two main instances exist. */
  setInstances(s: Storage, s2: Storage): void;
  closeAll(): Promise<void>;
}

export function createFixtures(makeStorage: () => Promise<Storage>): FixtureControl {
  const opened: Storage[] = [];
  let primary: Storage | undefined;
  let secondary: Storage | undefined;

  function required(storage: Storage | undefined): Storage {
    if (!storage) throw new Error("Conformance storage used before beforeAll opened it");
    return storage;
  }

  const fixtures: ConformanceFixtures = {
    get s() {
      return required(primary);
    },
    get s2() {
      return required(secondary);
    },
    async open() {
      const storage = await makeStorage();
      opened.push(storage);
      return storage;
    },
    either: (i) => (i % 2 === 0 ? fixtures.s : fixtures.s2),
    async createUser(tenantId, email = newEmail(), options = {}) {
      const result = await fixtures.s.credentials.createUser({
        userId: options.userId ?? id("user"),
        recipeId: "emailpassword",
        tenantId,
        identifier: { email },
        secretHash: options.passwordHash ?? "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        timeJoined: options.timeJoined ?? NOW,
      });
      if (result.status !== "OK") throw new Error(`createUser: ${result.status}`);
      return result.user;
    },
    session(overrides = {}) {
      const userId = overrides.userId ?? id("user");
      return {
        sessionHandle: id("session"),
        userId,
        recipeUserId: userId,
        tenantId: "public",
        refreshTokenHash2: id("hash2"),
        pendingRefreshTokenHash2: null,
        sealedPendingRefreshToken: null,
        accessTokenPayload: { role: "admin", nested: { list: [1, "two", null], flag: true } },
        sessionData: { theme: "dark" },
        expiresAt: NOW + HOUR,
        createdAt: NOW,
        useStaticKey: false,
        ...overrides,
      };
    },
    resetToken(userId, tenantId, overrides = {}) {
      return {
        kind: RESET,
        tokenHash: id("token"),
        tenantId,
        userId,
        identifier: { email: overrides.email ?? newEmail() },
        expiresAt: overrides.expiresAt ?? NOW + HOUR,
        createdAt: NOW,
      };
    },
  };

  return {
    fixtures,
    setInstances(s, s2) {
      primary = s;
      secondary = s2;
    },
    async closeAll() {
      for (const storage of opened) await storage.close();
    },
  };
}

/** The element at `index`, failing the test (not the type checker) when it is missing. */
export function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`Expected an element at index ${index}`);
  return item;
}
