/**
 * Shared state and data builders of the conformance suite. Tests share one database, so every
 * builder makes fresh random tenants, emails and ids.
 */
import { randomUUID } from "node:crypto";
import type { SessionRecord, Storage, StoredUser } from "../storage.js";

export const NOW = 1_700_000_000_000;
export const HOUR = 3_600_000;

export const id = (prefix: string): string => `${prefix}-${randomUUID()}`;
export const newTenant = (): string => id("tenant");
export const newEmail = (): string => `${randomUUID()}@example.com`;

export interface ResetTokenInput {
  tokenHash: string;
  userId: string;
  tenantId: string;
  email: string;
  expiresAt: number;
  createdAt: number;
}

export interface ConformanceFixtures {
  /** Two instances on the suite's database, as two application processes would be. */
  readonly s: Storage;
  readonly s2: Storage;
  /** Opens one more instance; the suite closes it at the end. */
  open(): Promise<Storage>;
  /** Alternates between the two instances to spread the calls of a concurrency test. */
  either(i: number): Storage;
  createUser(
    tenantId: string,
    email?: string,
    options?: { timeJoined?: number; passwordHash?: string; userId?: string },
  ): Promise<StoredUser>;
  session(overrides?: Partial<SessionRecord>): SessionRecord;
  resetToken(userId: string, tenantId: string, overrides?: { expiresAt?: number; email?: string }): ResetTokenInput;
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
      const result = await fixtures.s.createEmailPasswordUser({
        userId: options.userId ?? id("user"),
        tenantId,
        email,
        passwordHash: options.passwordHash ?? "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
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
        tokenHash: id("token"),
        userId,
        tenantId,
        email: overrides.email ?? newEmail(),
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
