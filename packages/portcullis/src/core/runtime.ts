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

/**
 * Any logger: console-style (`error(message, error)`) or object-first like pino and bunyan
 * (`error({ err }, message)`); see core/log.ts for how the style is told apart.
 */
export interface Logger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug?(...args: unknown[]): void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemRandom: Random = {
  bytes: (length) => randomBytes(length),
  uuid: () => randomUUID(),
  int: (min, max) => randomInt(min, max),
};

/** Fields print as one line of JSON (a log line per event); errors keep their stack. */
function consoleArgs(message: unknown, rest: unknown[]): unknown[] {
  const fields = rest.map((value) => (value instanceof Error || typeof value !== "object" || value === null ? value : safeJson(value)));
  return [`[portcullis] ${String(message)}`, ...fields];
}

function safeJson(value: object): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export const consoleLogger: Logger = {
  debug: (message: unknown, ...rest: unknown[]) => console.debug(...consoleArgs(message, rest)),
  info: (message: unknown, ...rest: unknown[]) => console.log(...consoleArgs(message, rest)),
  warn: (message: unknown, ...rest: unknown[]) => console.warn(...consoleArgs(message, rest)),
  error: (message: unknown, ...rest: unknown[]) => console.error(...consoleArgs(message, rest)),
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
