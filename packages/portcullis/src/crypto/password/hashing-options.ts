import { availableParallelism } from "node:os";

export interface PasswordHashingOptions {
  /** Argon2id memory cost in KiB. Default 19456 (19 MiB), the OWASP minimum for t=2. */
  memoryCost?: number;
  /** Argon2id passes. Default 2. */
  timeCost?: number;
  /** Argon2id lanes. Default 1. */
  parallelism?: number;
  /** Hashes allowed to run at once. Default os.availableParallelism(). */
  maxConcurrent?: number;
  /** Hashes allowed to wait for a slot before HashingOverloadedError. Default 1000. */
  maxQueued?: number;
  /** Optional secret kept outside the database, fed to argon2 as its `secret` input. */
  pepper?: string | Buffer;
}

export interface ResolvedHashingOptions {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
  maxConcurrent: number;
  maxQueued: number;
  pepper: Buffer | undefined;
}

export const DEFAULT_MEMORY_COST_KIB = 19456;
export const DEFAULT_TIME_COST = 2;
export const DEFAULT_PARALLELISM = 1;
export const DEFAULT_MAX_QUEUED = 1000;

/**
 * OWASP Password Storage Cheat Sheet / ASVS 5.0 appendix C: the argon2id settings of equal
 * strength, as (passes, minimum KiB). Anything below the row for its pass count is refused.
 */
const OWASP_ARGON2ID_FLOOR: ReadonlyArray<{ timeCost: number; minMemoryCost: number }> = [
  { timeCost: 1, minMemoryCost: 47104 },
  { timeCost: 2, minMemoryCost: 19456 },
  { timeCost: 3, minMemoryCost: 12288 },
];

// argon2's own limits: memory must cover 8 KiB per lane, lanes fit in 1..255.
const MAX_PARALLELISM = 255;

export function resolveHashingOptions(options: PasswordHashingOptions = {}): ResolvedHashingOptions {
  const memoryCost = options.memoryCost ?? DEFAULT_MEMORY_COST_KIB;
  const timeCost = options.timeCost ?? DEFAULT_TIME_COST;
  const parallelism = options.parallelism ?? DEFAULT_PARALLELISM;
  const maxConcurrent = options.maxConcurrent ?? availableParallelism();
  const maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;

  requireInteger("memoryCost", memoryCost, 1);
  requireInteger("timeCost", timeCost, 1);
  requireInteger("parallelism", parallelism, 1);
  requireInteger("maxConcurrent", maxConcurrent, 1);
  requireInteger("maxQueued", maxQueued, 0);

  if (parallelism > MAX_PARALLELISM) {
    throw new RangeError(`Password hashing: parallelism must be at most ${MAX_PARALLELISM}, got ${parallelism}`);
  }
  if (memoryCost < 8 * parallelism) {
    throw new RangeError(`Password hashing: memoryCost must be at least 8 KiB per lane (${8 * parallelism} KiB)`);
  }

  const floor = minimumMemoryCostFor(timeCost);
  if (memoryCost < floor) {
    throw new Error(
      `Password hashing parameters are too weak: argon2id with timeCost=${timeCost} needs memoryCost >= ${floor} KiB ` +
        `(got ${memoryCost}). OWASP minimums: t=1 m>=47104, t=2 m>=19456, t>=3 m>=12288, p=1.`,
    );
  }

  return { memoryCost, timeCost, parallelism, maxConcurrent, maxQueued, pepper: resolvePepper(options.pepper) };
}

/** Lowest memory cost (KiB) OWASP accepts for this many passes. */
export function minimumMemoryCostFor(timeCost: number): number {
  let floor = Number.POSITIVE_INFINITY;
  for (const row of OWASP_ARGON2ID_FLOOR) {
    // More passes than a row lists still meets that row's bar, so the last row covers t >= 3.
    if (timeCost >= row.timeCost) floor = row.minMemoryCost;
  }
  return floor;
}

function resolvePepper(pepper: string | Buffer | undefined): Buffer | undefined {
  if (pepper === undefined) return undefined;
  const bytes = typeof pepper === "string" ? Buffer.from(pepper, "utf8") : Buffer.from(pepper);
  // An empty secret hashes like no secret at all; fail loudly rather than give a false sense of a pepper.
  if (bytes.length === 0) throw new Error("Password hashing: pepper must not be empty");
  return bytes;
}

function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`Password hashing: ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
}
