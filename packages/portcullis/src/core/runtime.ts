import { randomBytes, randomInt, randomUUID } from "node:crypto";

/** Injected so expiry and rotation are testable without sleeping. */
export interface Clock {
  now(): number;
}

/** Injected CSPRNG; tests may substitute a deterministic source. */
export interface Random {
  bytes(length: number): Buffer;
  uuid(): string;
  /** Uniform integer in [min, max) without modulo bias. */
  int(min: number, max: number): number;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemRandom: Random = {
  bytes: (length) => randomBytes(length),
  uuid: () => randomUUID(),
  int: (min, max) => randomInt(min, max),
};

export const consoleLogger: Logger = {
  info: (message) => console.log(`[portcullis] ${message}`),
  warn: (message) => console.warn(`[portcullis] ${message}`),
  error: (message, error) => console.error(`[portcullis] ${message}`, error ?? ""),
};

/** A clock tests can move by hand. */
export function createManualClock(start = Date.now()): Clock & { advance(ms: number): void; set(ms: number): void } {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (ms) => {
      current = ms;
    },
  };
}
