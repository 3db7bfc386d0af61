import { parseOptions as parseArgon2 } from "@node-rs/argon2";
import type { Algorithm, Version } from "@node-rs/argon2";
import { parseOptions as parseBcrypt } from "@node-rs/bcrypt";

// The package declares these as ambient const enums, which isolatedModules cannot inline and which
// do not exist at runtime, so the numeric values are spelled out here.
export const ARGON2ID: Algorithm = 2;
export const ARGON2_VERSION_13: Version = 1;
export const ARGON2_OUTPUT_BYTES = 32;
const MIN_SALT_BYTES = 16;

/**
 * Ceilings on the cost a stored hash may ask for. A tampered or badly imported row must not make one
 * login allocate gigabytes or hold a hashing slot for minutes; such rows are treated as unusable.
 */
const MAX_STORED_ARGON2_MEMORY_KIB = 1024 * 1024;
const MAX_STORED_ARGON2_TIME_COST = 64;
const MAX_STORED_BCRYPT_COST = 16;

const ARGON2_PREFIX = /^\$argon2(?:id|i|d)\$/;
// $2a$/$2b$/$2y$, two cost digits, 22 salt + 31 hash characters of bcrypt's base64 alphabet.
const BCRYPT_FORMAT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

export interface CurrentArgon2Policy {
  memoryCost: number;
  timeCost: number;
}

export type StoredHash =
  | { kind: "argon2"; weakerThanPolicy: boolean }
  | { kind: "bcrypt" }
  | { kind: "unusable" };

/** Works out how to verify a stored hash without running the KDF; never throws. */
export function inspectStoredHash(stored: unknown, policy: CurrentArgon2Policy): StoredHash {
  if (typeof stored !== "string") return { kind: "unusable" };
  if (ARGON2_PREFIX.test(stored)) return inspectArgon2(stored, policy);
  if (BCRYPT_FORMAT.test(stored)) return inspectBcrypt(stored);
  return { kind: "unusable" };
}

function inspectArgon2(stored: string, policy: CurrentArgon2Policy): StoredHash {
  let parsed: ReturnType<typeof parseArgon2>;
  try {
    parsed = parseArgon2(stored);
  } catch {
    return { kind: "unusable" };
  }
  if (parsed.memoryCost > MAX_STORED_ARGON2_MEMORY_KIB || parsed.timeCost > MAX_STORED_ARGON2_TIME_COST) {
    return { kind: "unusable" };
  }
  // Only weaker settings trigger a rehash: a hash made with stronger settings stays as it is.
  const weakerThanPolicy =
    parsed.algorithm !== ARGON2ID ||
    parsed.version !== ARGON2_VERSION_13 ||
    parsed.memoryCost < policy.memoryCost ||
    parsed.timeCost < policy.timeCost ||
    parsed.outputLen < ARGON2_OUTPUT_BYTES ||
    parsed.saltLen < MIN_SALT_BYTES;
  return { kind: "argon2", weakerThanPolicy };
}

function inspectBcrypt(stored: string): StoredHash {
  try {
    return parseBcrypt(stored).cost <= MAX_STORED_BCRYPT_COST ? { kind: "bcrypt" } : { kind: "unusable" };
  } catch {
    return { kind: "unusable" };
  }
}
