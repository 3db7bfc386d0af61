import type { AuthEventInput } from "../core/auth-events.js";
import type { Clock } from "../core/runtime.js";
import { sha256Hex } from "../crypto/hash.js";
import type { BaseRequest } from "../http/base-request.js";
import type { CounterStore } from "../storage/storage.js";
import { clientIp } from "./client-ip.js";
import type { NormalisedFailureThrottle, NormalisedLimits, RateCap } from "./limits-config.js";

/** What a refused request is told: the wait, and a sentence the frontends show as is. */
export interface Refusal {
  allowed: false;
  retryAfterSeconds: number;
  message: string;
}

export type LimitDecision = { allowed: true } | Refusal;

/** Carried from `beginSecretCheck` to `finishSecretCheck` of one attempt. */
export interface SecretCheckTicket {
  readonly accountKey: string;
  readonly lastFailureKey: string;
  readonly ipKey: string | undefined;
  /** The account had failures on record, so a success must clear them. */
  readonly hadFailures: boolean;
  /** The failure was counted up front (the account is in its delay zone). */
  readonly counted: boolean;
}

/** Who is acting: a login factor's account in a tenant, from an IP. Accounts and IPs are only ever stored hashed. */
export interface AccountAttempt {
  /** The kind of secret, e.g. `password`; each factor has its own failure count. */
  factor: string;
  tenantId: string;
  /** The normalised identifier (email, phone number). */
  account: string;
  ip: string | undefined;
}

/**
 * Abuse limits, recipe-neutral, on the shared counters (the database by default), so every
 * instance sees the same counts and a restart forgets nothing.
 */
export interface Limiter {
  readonly enabled: boolean;
  clientIp(req: BaseRequest): string | undefined;
  /**
   * Before a secret is checked. A clear account costs reads only (no write); an account past its
   * free failures claims its attempt atomically, so concurrent guesses cannot share one slot.
   */
  beginSecretCheck(attempt: AccountAttempt): Promise<({ allowed: true } & { ticket: SecretCheckTicket | undefined }) | Refusal>;
  /** After the check: a failure is counted (account and IP), a success clears the account's count. */
  finishSecretCheck(ticket: SecretCheckTicket | undefined, succeeded: boolean): Promise<void>;
  /** Forgets an account's failures (after a password reset proved the owner holds the inbox). */
  clearFailures(attempt: Omit<AccountAttempt, "ip">): Promise<void>;
  /**
   * Counts one message sent to an account; refuses past the per-account or per-IP cap. Purpose
   * `login-code` (passwordless) has caps of its own (`limits.loginCodes`); every other purpose
   * uses `limits.passwordReset`. `resend` also applies the login-code resend cooldown.
   */
  allowSend(input: { purpose: string; tenantId: string; account: string; ip: string | undefined; resend?: boolean }): Promise<LimitDecision>;
  /** Counts one look-up (e.g. email/exists) from an IP. */
  allowLookup(input: { purpose: string; tenantId: string; ip: string | undefined }): Promise<LimitDecision>;
}

export interface LimiterDependencies {
  counters: CounterStore;
  clock: Clock;
  emit(event: AuthEventInput): void;
}

const ALLOWED = { allowed: true } as const;
/** The send purpose of passwordless codes, which has its own caps and a resend cooldown. */
export const LOGIN_CODE_PURPOSE = "login-code";
const SWEEP_INTERVAL_MS = 3_600_000;

export const NO_LIMITS: Limiter = {
  enabled: false,
  clientIp: () => undefined,
  beginSecretCheck: async () => ({ allowed: true, ticket: undefined }),
  finishSecretCheck: async () => undefined,
  clearFailures: async () => undefined,
  allowSend: async () => ALLOWED,
  allowLookup: async () => ALLOWED,
};

export function createLimiter(config: NormalisedLimits | false, deps: LimiterDependencies): Limiter {
  if (config === false) return NO_LIMITS;
  const { counters, clock } = deps;
  const accountHash = (tenantId: string, account: string) => sha256Hex(`${tenantId}\n${account}`);
  const ipHash = (ip: string) => sha256Hex(`ip\n${ip}`);
  const accountKeys = (factor: string, tenantId: string, account: string) => {
    const hash = accountHash(tenantId, account);
    return { accountKey: `fail:${factor}:${hash}`, lastFailureKey: `fail-last:${factor}:${hash}` };
  };

  const refuse = (
    scope: string,
    decision: "delayed" | "refused",
    tenantId: string,
    retryAfterMs: number,
    what: string,
  ): Refusal => {
    const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    deps.emit({ type: "throttle", scope, decision, retryAfterSeconds, tenantId });
    return { allowed: false, retryAfterSeconds, message: `${what}. Please try again in ${describeWait(retryAfterSeconds)}.` };
  };

  // Counters whose window closed are ignored by every read, but their rows would stay: once an hour
  // (per instance) the rows older than the longest window are deleted. A failed sweep just waits an hour.
  const longestWindowMs = longestWindow(config);
  let nextSweepAt = 0;
  const sweepIfDue = (now: number): void => {
    if (now < nextSweepAt || longestWindowMs <= 0) return;
    nextSweepAt = now + SWEEP_INTERVAL_MS;
    counters.deleteStartedBefore(now - longestWindowMs).catch(() => undefined);
  };

  /** Increment-then-compare: one atomic statement, so concurrent requests never exceed the cap. */
  const countAgainst = async (key: string, limit: RateCap, now: number) => {
    sweepIfDue(now);
    const value = await counters.increment(key, limit.windowMs, now);
    return value.count > limit.max ? value.windowStartedAt + limit.windowMs - now : undefined;
  };

  return {
    enabled: true,
    clientIp: (req) => clientIp(req, config.trustedProxyHops),

    async beginSecretCheck({ factor, tenantId, account, ip }) {
      const throttle = config.signIn;
      if (throttle === false) return { allowed: true, ticket: undefined };
      const now = clock.now();
      const { accountKey, lastFailureKey } = accountKeys(factor, tenantId, account);
      const ipKey = ip !== undefined && throttle.perIp !== false ? `fail-ip:${factor}:${ipHash(ip)}` : undefined;
      const perIp = throttle.perIp;
      const [failures, ipFailures] = await Promise.all([
        counters.get(accountKey, throttle.failureWindowMs, now),
        ipKey !== undefined && perIp !== false ? counters.get(ipKey, perIp.windowMs, now) : undefined,
      ]);
      const seen = failures?.count ?? 0;
      const what = "Too many failed sign-in attempts";
      if (failures !== undefined && seen >= throttle.maxFailures) {
        return refuse(`${factor}.account`, "refused", tenantId, failures.windowStartedAt + throttle.failureWindowMs - now, what);
      }
      if (ipFailures !== undefined && perIp !== false && ipFailures.count >= perIp.max) {
        return refuse(`${factor}.ip`, "refused", tenantId, ipFailures.windowStartedAt + perIp.windowMs - now, what);
      }
      let counted = false;
      if (seen >= throttle.freeFailures) {
        const delay = delayAfter(throttle, seen);
        const last = await counters.get(lastFailureKey, delay, now);
        if (last !== undefined) return refuse(`${factor}.account`, "delayed", tenantId, last.windowStartedAt + delay - now, what);
        // Claim this attempt as a failure before the secret is checked: of concurrent attempts
        // only the one that moved the count from `seen` goes on; a success clears it again.
        const claimed = await counters.increment(accountKey, throttle.failureWindowMs, now);
        await counters.increment(lastFailureKey, 1, now);
        counted = true;
        if (claimed.count > throttle.maxFailures) {
          return refuse(`${factor}.account`, "refused", tenantId, claimed.windowStartedAt + throttle.failureWindowMs - now, what);
        }
        if (claimed.count !== seen + 1) return refuse(`${factor}.account`, "delayed", tenantId, delayAfter(throttle, claimed.count - 1), what);
      }
      return { allowed: true, ticket: { accountKey, lastFailureKey, ipKey, hadFailures: seen > 0 || counted, counted } };
    },

    async finishSecretCheck(ticket, succeeded) {
      const throttle = config.signIn;
      if (ticket === undefined || throttle === false) return;
      if (succeeded) {
        // The common case, a clear account signing in, writes nothing.
        if (ticket.hadFailures) await counters.reset(ticket.accountKey);
        return;
      }
      const now = clock.now();
      sweepIfDue(now);
      const perIp = throttle.perIp;
      await Promise.all([
        ticket.counted
          ? undefined
          : counters.increment(ticket.accountKey, throttle.failureWindowMs, now).then(async (value) => {
              // The wait after a failure runs from the failure itself: a window of 1 ms always reopens at `now`.
              if (value.count >= throttle.freeFailures) await counters.increment(ticket.lastFailureKey, 1, now);
            }),
        ticket.ipKey !== undefined && perIp !== false ? counters.increment(ticket.ipKey, perIp.windowMs, now) : undefined,
      ]);
    },

    async clearFailures({ factor, tenantId, account }) {
      await counters.reset(accountKeys(factor, tenantId, account).accountKey);
    },

    async allowSend({ purpose, tenantId, account, ip, resend }) {
      const isLoginCode = purpose === LOGIN_CODE_PURPOSE;
      const caps = isLoginCode ? config.loginCodes : config.passwordReset;
      if (caps === false) return ALLOWED;
      const now = clock.now();
      const what = isLoginCode ? "Too many codes were requested for this email or phone number" : "Too many requests for this email address";
      const cooldownMs = isLoginCode && config.loginCodes !== false ? config.loginCodes.resendCooldownMs : false;
      if (cooldownMs !== false) {
        // Every send to the address opens (or joins) a cooldown window; a resend inside one that
        // another send opened waits for it to close.
        const sends = await counters.increment(`cooldown:${purpose}:${accountHash(tenantId, account)}`, cooldownMs, now);
        if (resend === true && sends.count > 1) {
          return refuse(`${purpose}.cooldown`, "delayed", tenantId, sends.windowStartedAt + cooldownMs - now, "Please wait before asking for another code");
        }
      }
      if (ip !== undefined && caps.perIp !== false) {
        const wait = await countAgainst(`send-ip:${purpose}:${ipHash(ip)}`, caps.perIp, now);
        if (wait !== undefined) return refuse(`${purpose}.ip`, "refused", tenantId, wait, "Too many requests");
      }
      if (caps.perAccount !== false) {
        const wait = await countAgainst(`send:${purpose}:${accountHash(tenantId, account)}`, caps.perAccount, now);
        if (wait !== undefined) return refuse(`${purpose}.account`, "refused", tenantId, wait, what);
      }
      return ALLOWED;
    },

    async allowLookup({ purpose, tenantId, ip }) {
      const limit = config.emailExists === false ? false : config.emailExists.perIp;
      if (limit === false || ip === undefined) return ALLOWED;
      const now = clock.now();
      const wait = await countAgainst(`lookup-ip:${purpose}:${ipHash(ip)}`, limit, now);
      return wait === undefined ? ALLOWED : refuse(`${purpose}.ip`, "refused", tenantId, wait, "Too many requests");
    },
  };
}

/** The wait after `failures` failures, once past the free ones: doubling from the base, capped. */
export function delayAfter(throttle: NormalisedFailureThrottle, failures: number): number {
  const doublings = Math.min(failures - throttle.freeFailures, 40);
  return Math.min(throttle.baseDelayMs * 2 ** Math.max(0, doublings), throttle.maxDelayMs);
}

function describeWait(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return minutes === 1 ? "1 minute" : `${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return hours === 1 ? "1 hour" : `${hours} hours`;
}

/** The longest window any counter of this configuration uses: older rows can only be closed windows. */
function longestWindow(config: NormalisedLimits): number {
  const windows: number[] = [];
  if (config.signIn !== false) {
    windows.push(config.signIn.failureWindowMs);
    if (config.signIn.perIp !== false) windows.push(config.signIn.perIp.windowMs);
  }
  if (config.passwordReset !== false) {
    for (const cap of [config.passwordReset.perAccount, config.passwordReset.perIp]) if (cap !== false) windows.push(cap.windowMs);
  }
  if (config.emailExists !== false && config.emailExists.perIp !== false) windows.push(config.emailExists.perIp.windowMs);
  if (config.loginCodes !== false) {
    for (const cap of [config.loginCodes.perAccount, config.loginCodes.perIp]) if (cap !== false) windows.push(cap.windowMs);
  }
  return Math.max(0, ...windows);
}
