import { randomBytes } from "node:crypto";
import { hash as argon2Hash, verify as argon2Verify } from "@node-rs/argon2";
import type { Options as Argon2Options } from "@node-rs/argon2";
import { verify as bcryptVerify } from "@node-rs/bcrypt";
import { resolveHashingOptions } from "./hashing-options.js";
import type { PasswordHashingOptions } from "./hashing-options.js";
import { assertPasswordWithinLimit } from "./password-too-long-error.js";
import { createSemaphore } from "./semaphore.js";
import { ARGON2_OUTPUT_BYTES, ARGON2_VERSION_13, ARGON2ID, inspectStoredHash } from "./stored-hash.js";

export type { PasswordHashingOptions } from "./hashing-options.js";

export interface PasswordVerification {
  valid: boolean;
  /** True only when `valid`: the caller should store `hash(password)` in place of the old hash. */
  needsRehash: boolean;
}

export interface PasswordHasher {
  /** argon2id PHC string. Throws PasswordTooLongError or HashingOverloadedError. */
  hash(password: string): Promise<string>;
  /** Never throws for a malformed or unknown stored hash; those are simply not valid. */
  verify(storedHash: string, password: string): Promise<PasswordVerification>;
  /** Costs what a wrong-password verify costs, for logins whose account does not exist. */
  verifyAgainstDummy(password: string): Promise<void>;
}

export function createPasswordHasher(options?: PasswordHashingOptions): PasswordHasher {
  const settings = resolveHashingOptions(options);
  const semaphore = createSemaphore({ maxConcurrent: settings.maxConcurrent, maxQueued: settings.maxQueued });
  const policy = { memoryCost: settings.memoryCost, timeCost: settings.timeCost };

  const hashOptions: Argon2Options = {
    algorithm: ARGON2ID,
    version: ARGON2_VERSION_13,
    memoryCost: settings.memoryCost,
    timeCost: settings.timeCost,
    parallelism: settings.parallelism,
    outputLen: ARGON2_OUTPUT_BYTES,
    ...(settings.pepper ? { secret: settings.pepper } : {}),
  };
  // Verification reads m/t/p from the stored string; only the pepper has to be supplied again.
  const verifyOptions: Argon2Options = settings.pepper ? { secret: settings.pepper } : {};

  const verifyArgon2 = (stored: string, password: string | Uint8Array): Promise<boolean> =>
    semaphore.run(async () => {
      try {
        return await argon2Verify(stored, password, verifyOptions);
      } catch (error) {
        // A string that parsed but still fails to decode is a bad row, not a server fault.
        if (isInvalidArgument(error)) return false;
        throw error;
      }
    });

  let dummyHash: Promise<string> | undefined;
  const getDummyHash = (): Promise<string> => {
    // Built on first use with the live parameters (and pepper) so its verify costs exactly what
    // a real one does; a failed build is forgotten so the next call retries.
    dummyHash ??= semaphore.run(() => argon2Hash(randomBytes(32), hashOptions)).catch((error: unknown) => {
      dummyHash = undefined;
      throw error;
    });
    return dummyHash;
  };

  const verifyAgainstDummy = async (password: string): Promise<void> => {
    assertPasswordWithinLimit(password);
    await verifyArgon2(await getDummyHash(), password);
  };

  return {
    async hash(password) {
      assertPasswordWithinLimit(password);
      return semaphore.run(() => argon2Hash(password, hashOptions));
    },

    async verify(storedHash, password) {
      assertPasswordWithinLimit(password);
      const stored = inspectStoredHash(storedHash, policy);
      switch (stored.kind) {
        case "argon2": {
          const valid = await verifyArgon2(storedHash, password);
          return { valid, needsRehash: valid && stored.weakerThanPolicy };
        }
        case "bcrypt": {
          const valid = await semaphore.run(() => bcryptVerify(password, storedHash));
          return { valid, needsRehash: valid };
        }
        case "unusable":
          // Same cost as a real miss, so a broken row cannot be told apart by timing.
          await verifyAgainstDummy(password);
          return { valid: false, needsRehash: false };
      }
    },

    verifyAgainstDummy,
  };
}

function isInvalidArgument(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "InvalidArg";
}
