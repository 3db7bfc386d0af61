import type { RedisCounterStoreOptions } from "../storage/redis/redis-counter-store.js";

/** A cap: at most `max` events per fixed window of `windowMs`. */
export interface RateCap {
  max: number;
  windowMs: number;
}

/** Throttling of failed secret checks (passwords, later one-time codes) for one account. */
export interface FailureThrottleInput {
  /** Failures allowed without any delay. Default 5. */
  freeFailures?: number;
  /** Hard stop: consecutive failures after which every attempt is refused until the window closes, a success, or a password reset. Default 100 (NIST 800-63B's ceiling). */
  maxFailures?: number;
  /** How long failures are remembered, from the first one. Default 24 h. */
  failureWindowMs?: number;
  /** Wait after the first failure past `freeFailures`; doubles with each further failure. Default 2 s. */
  baseDelayMs?: number;
  /** Ceiling of one wait. Default 15 min. */
  maxDelayMs?: number;
  /** Failed sign-ins per client IP, whatever the account. Default 50 per 15 min; false turns it off. */
  perIp?: RateCap | false;
}

export interface SendCapsInput {
  /** Default 3 per 15 min. */
  perAccount?: RateCap | false;
  /** Default 20 per hour. */
  perIp?: RateCap | false;
}

/** Passwordless codes (email or SMS): what keeps the API from flooding a mailbox or a phone. */
export interface LoginCodeLimitsInput {
  /** Codes sent to one email or phone number, new or resent. Default 10 per hour. */
  perAccount?: RateCap | false;
  /** Codes requested from one IP, whatever the address. Default 60 per hour. */
  perIp?: RateCap | false;
  /** The least time between two resends to one address. Default 15000 ms, the prebuilt UI's resend timer. */
  resendCooldownMs?: number | false;
}

/** The top-level `limits` option; `false` turns every limit off. */
export interface LimitsInput {
  /**
   * How many proxies in front of the app append to X-Forwarded-For. Default false (0): the client
   * IP is the socket's remote address and the header is ignored (anyone can forge it). `true` means one.
   */
  trustProxy?: boolean | number;
  signIn?: FailureThrottleInput | false;
  passwordReset?: SendCapsInput | false;
  loginCodes?: LoginCodeLimitsInput | false;
  /** `GET …/emailpassword/email/exists`; default 30 look-ups per IP per 10 min. */
  emailExists?: { perIp?: RateCap | false } | false;
  /**
   * Where the counters live. Default: the SQL database (`storage.counters`). `{ redis: "redis://…" }`
   * (or a connected node-redis client) keeps them in Redis instead; needs the `redis` package.
   */
  store?: RedisCounterStoreOptions;
}

export interface NormalisedFailureThrottle {
  freeFailures: number;
  maxFailures: number;
  failureWindowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  perIp: RateCap | false;
}

export interface NormalisedLimits {
  trustedProxyHops: number;
  signIn: NormalisedFailureThrottle | false;
  passwordReset: { perAccount: RateCap | false; perIp: RateCap | false } | false;
  loginCodes: { perAccount: RateCap | false; perIp: RateCap | false; resendCooldownMs: number | false } | false;
  emailExists: { perIp: RateCap | false } | false;
}

const MINUTE = 60_000;

export const DEFAULT_LIMITS: NormalisedLimits = {
  trustedProxyHops: 0,
  signIn: {
    freeFailures: 5,
    maxFailures: 100,
    failureWindowMs: 24 * 60 * MINUTE,
    baseDelayMs: 2_000,
    maxDelayMs: 15 * MINUTE,
    perIp: { max: 50, windowMs: 15 * MINUTE },
  },
  passwordReset: { perAccount: { max: 3, windowMs: 15 * MINUTE }, perIp: { max: 20, windowMs: 60 * MINUTE } },
  loginCodes: { perAccount: { max: 10, windowMs: 60 * MINUTE }, perIp: { max: 60, windowMs: 60 * MINUTE }, resendCooldownMs: 15_000 },
  emailExists: { perIp: { max: 30, windowMs: 10 * MINUTE } },
};

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) throw new Error(`limits.${name} must be a positive integer, got ${String(value)}`);
  return value;
}

function cap(input: RateCap | false | undefined, fallback: RateCap | false, name: string): RateCap | false {
  if (input === false) return false;
  if (input === undefined) return fallback;
  return { max: positiveInteger(input.max, `${name}.max`), windowMs: positiveInteger(input.windowMs, `${name}.windowMs`) };
}

export function normaliseLimits(input: LimitsInput | false | undefined): NormalisedLimits | false {
  if (input === false) return false;
  const defaults = DEFAULT_LIMITS;
  const trust = input?.trustProxy ?? false;
  const trustedProxyHops = trust === true ? 1 : trust === false ? 0 : trust === 0 ? 0 : positiveInteger(trust, "trustProxy");
  return {
    trustedProxyHops,
    signIn: normaliseFailureThrottle(input?.signIn, defaults.signIn as NormalisedFailureThrottle),
    passwordReset:
      input?.passwordReset === false
        ? false
        : {
            perAccount: cap(input?.passwordReset?.perAccount, (defaults.passwordReset as { perAccount: RateCap }).perAccount, "passwordReset.perAccount"),
            perIp: cap(input?.passwordReset?.perIp, (defaults.passwordReset as { perIp: RateCap }).perIp, "passwordReset.perIp"),
          },
    loginCodes: normaliseLoginCodeLimits(input?.loginCodes, defaults.loginCodes as Exclude<NormalisedLimits["loginCodes"], false>),
    emailExists:
      input?.emailExists === false ? false : { perIp: cap(input?.emailExists?.perIp, (defaults.emailExists as { perIp: RateCap }).perIp, "emailExists.perIp") },
  };
}

function normaliseLoginCodeLimits(
  input: LoginCodeLimitsInput | false | undefined,
  defaults: Exclude<NormalisedLimits["loginCodes"], false>,
): NormalisedLimits["loginCodes"] {
  if (input === false) return false;
  const cooldown = input?.resendCooldownMs;
  return {
    perAccount: cap(input?.perAccount, defaults.perAccount, "loginCodes.perAccount"),
    perIp: cap(input?.perIp, defaults.perIp, "loginCodes.perIp"),
    resendCooldownMs: cooldown === false ? false : cooldown === undefined ? defaults.resendCooldownMs : positiveInteger(cooldown, "loginCodes.resendCooldownMs"),
  };
}

function normaliseFailureThrottle(input: FailureThrottleInput | false | undefined, defaults: NormalisedFailureThrottle): NormalisedFailureThrottle | false {
  if (input === false) return false;
  const merged = { ...defaults, ...input };
  const result: NormalisedFailureThrottle = {
    freeFailures: positiveInteger(merged.freeFailures, "signIn.freeFailures"),
    maxFailures: positiveInteger(merged.maxFailures, "signIn.maxFailures"),
    failureWindowMs: positiveInteger(merged.failureWindowMs, "signIn.failureWindowMs"),
    baseDelayMs: positiveInteger(merged.baseDelayMs, "signIn.baseDelayMs"),
    maxDelayMs: positiveInteger(merged.maxDelayMs, "signIn.maxDelayMs"),
    perIp: cap(input?.perIp, defaults.perIp, "signIn.perIp"),
  };
  if (result.freeFailures >= result.maxFailures) throw new Error("limits.signIn.freeFailures must be below maxFailures");
  return result;
}

/** The longest window any limit reads a counter with: how long a counter store must keep one. */
export function longestWindowMs(limits: NormalisedLimits): number {
  const windows = [0];
  if (limits.signIn !== false) windows.push(limits.signIn.failureWindowMs, limits.signIn.maxDelayMs, limits.signIn.perIp === false ? 0 : limits.signIn.perIp.windowMs);
  if (limits.passwordReset !== false) for (const cap of [limits.passwordReset.perAccount, limits.passwordReset.perIp]) if (cap !== false) windows.push(cap.windowMs);
  if (limits.emailExists !== false && limits.emailExists.perIp !== false) windows.push(limits.emailExists.perIp.windowMs);
  if (limits.loginCodes !== false) {
    for (const cap of [limits.loginCodes.perAccount, limits.loginCodes.perIp]) if (cap !== false) windows.push(cap.windowMs);
    if (limits.loginCodes.resendCooldownMs !== false) windows.push(limits.loginCodes.resendCooldownMs);
  }
  return Math.max(...windows);
}
