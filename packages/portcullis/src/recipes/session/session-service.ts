import type { UserContext } from "../../core/user-context.js";
import { constantTimeEqual, sha256Hex } from "../../crypto/hash.js";
import { RecipeUserId } from "../../core/recipe-user-id.js";
import type { Log } from "../../core/log.js";
import type { Clock, Random } from "../../core/runtime.js";
import type { SessionRecord, Storage } from "../../storage/storage.js";
import {
  hasValidSignature,
  parseAccessToken,
  signAccessToken,
  stripProtectedProps,
  type AccessTokenPayload,
  type ParsedAccessToken,
} from "./access-token.js";
import SessionError, { tryRefreshToken, unauthorised } from "./error.js";
import {
  antiCsrfTokenFor,
  legacyParentOf,
  newRefreshToken,
  parseRefreshToken,
  refreshTokenHash1,
  refreshTokenHash2,
  sealChild,
  serializeRefreshToken,
  unsealChild,
  type RefreshToken,
} from "./refresh-token.js";
import type { SigningKeyStore } from "./signing-keys.js";
import { VerifiedTokenCache } from "./verified-token-cache.js";
import type { AntiCsrfType, TokenInfo } from "./types.js";

export interface SessionSummary {
  handle: string;
  userId: string;
  recipeUserId: RecipeUserId;
  userDataInJWT: Record<string, unknown>;
  tenantId: string;
}

export interface CreateOrRefreshResult {
  session: SessionSummary;
  accessToken: TokenInfo;
  refreshToken: TokenInfo;
  antiCsrfToken: string | undefined;
  accessTokenPayload: AccessTokenPayload;
}

export interface VerifyResult {
  session: SessionSummary & { expiryTime: number };
  /** Present when verification issued a replacement access token (refresh-token promotion). */
  accessToken: TokenInfo | undefined;
  accessTokenPayload: AccessTokenPayload;
}

/** A CAS loser re-reads and re-decides; more rounds than this means something is badly wrong. */
const MAX_CAS_ROUNDS = 5;
/** Expired sessions are swept at most this often per instance, piggybacking on session creation. */
const EXPIRED_SESSION_SWEEP_INTERVAL_MS = 3_600_000;

/**
 * What the SuperTokens core does for sessions: mint and rotate tokens, detect theft, and confirm a
 * refreshed token on its first use. Verification of an access token touches the database only for
 * that confirmation or when the caller asks (checkDatabase).
 *
 * Rotation: a session has a confirmed refresh token and at most one pending child (a fresh random
 * token, stored as its hash and sealed under a key derived from the parent). Presenting the
 * confirmed token yields the pending child, the same one every time (several tabs, a lost
 * response), or a new one if none is pending. The first use of the child (a refresh with it, or its
 * access token) confirms it; from then on the parent is spent, and presenting a spent token is theft:
 * the session is revoked. A session ends at its sliding expiry or at createdAt + the absolute
 * lifetime, whichever comes first.
 */
/** Milliseconds; a tenant's coreConfig may set them. */
export interface SessionLifetimes {
  accessMs: number;
  refreshMs: number;
}

export class SessionService {
  private readonly verified = new VerifiedTokenCache(10_000);
  private lastSweepAt = 0;

  constructor(
    private readonly storage: Storage,
    private readonly keys: SigningKeyStore,
    private readonly clock: Clock,
    private readonly random: Random,
    /** The tenant's token lifetimes (a tenant may shorten or lengthen them). */
    private readonly lifetimesOf: (tenantId: string, userContext?: UserContext) => Promise<SessionLifetimes>,
    private readonly absoluteLifetimeMs: number,
    private readonly log: Log,
  ) {}

  async create(input: {
    userId: string;
    recipeUserId: RecipeUserId;
    tenantId: string;
    userDataInJWT: Record<string, unknown>;
    sessionData: Record<string, unknown>;
    enableAntiCsrf: boolean;
    useStaticKey: boolean;
    /** The request's, so the tenant read the router made is reused. */
    userContext?: UserContext;
  }): Promise<CreateOrRefreshResult> {
    const lifetimes = await this.lifetimesOf(input.tenantId, input.userContext);
    const now = this.clock.now();
    const handle = this.random.uuid();
    const refresh = newRefreshToken(handle, this.random, input.enableAntiCsrf);
    const record: SessionRecord = {
      sessionHandle: handle,
      userId: input.userId,
      recipeUserId: input.recipeUserId.getAsString(),
      tenantId: input.tenantId,
      refreshTokenHash2: refreshTokenHash2(refresh),
      pendingRefreshTokenHash2: null,
      sealedPendingRefreshToken: null,
      accessTokenPayload: input.userDataInJWT,
      sessionData: input.sessionData,
      expiresAt: now + Math.min(lifetimes.refreshMs, this.absoluteLifetimeMs),
      createdAt: now,
      useStaticKey: input.useStaticKey,
    };
    // Store first, then hand out tokens: a client never holds a token without its row.
    await this.storage.sessions.create(record);
    this.sweepExpiredSessions(now);
    return this.issue(record, refresh, null, now, lifetimes);
  }

  async refresh(input: { refreshToken: string; antiCsrfToken: string | undefined; disableAntiCsrf: boolean }): Promise<CreateOrRefreshResult> {
    const presented = parseRefreshToken(input.refreshToken);
    if (presented === undefined) throw unauthorised("invalid refresh token");
    const expectedAntiCsrf = antiCsrfTokenFor(presented);
    if (!input.disableAntiCsrf && expectedAntiCsrf !== undefined) {
      if (input.antiCsrfToken === undefined || !constantTimeEqual(input.antiCsrfToken, expectedAntiCsrf)) {
        throw unauthorised("anti-csrf check failed");
      }
    }
    const presentedHash2 = refreshTokenHash2(presented);
    const handle = presented.sessionHandle;
    // The lifetimes are the session's tenant's, so the session is read before it rotates.
    const existing = await this.storage.sessions.get(handle);
    if (existing === undefined) throw unauthorised("session does not exist or has expired");
    const lifetimes = await this.lifetimesOf(existing.tenantId);
    for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
      const now = this.clock.now();
      // The common case in one round trip: the presented token is the pending child (its first use)
      // or the confirmed token with nothing pending, and a fresh child is now pending under it.
      const child = newRefreshToken(handle, this.random, presented.antiCsrfEnabled);
      const rotated = await this.storage.sessions.rotateRefreshToken({
        sessionHandle: handle,
        presentedHash2,
        child: { hash2: refreshTokenHash2(child), sealed: sealChild(presented, child, this.random) },
        ...this.expiryWindow(now, lifetimes),
      });
      if (rotated !== undefined) return this.issue(rotated, child, refreshTokenHash1(presented), now, lifetimes);

      // Nothing moved: a repeat of the confirmed token, a lost race, or a spent token.
      const record = await this.storage.sessions.get(handle);
      if (record === undefined || !this.isLive(record, now)) throw unauthorised("session does not exist or has expired");
      if (constantTimeEqual(record.refreshTokenHash2, presentedHash2)) {
        // The confirmed token again while its child is pending: the same child, which only this
        // token's holder can unseal. Nothing changes in the database.
        if (record.sealedPendingRefreshToken === null) continue;
        const pending = unsealChild(presented, record.sealedPendingRefreshToken);
        if (pending === undefined) throw new Error(`The pending refresh token of session ${handle} does not open with its parent`);
        return this.issue(record, pending, refreshTokenHash1(presented), now, lifetimes);
      }
      if (record.pendingRefreshTokenHash2 !== null && constantTimeEqual(record.pendingRefreshTokenHash2, presentedHash2)) continue;
      const legacyParent = legacyParentOf(presented);
      if (
        legacyParent !== undefined &&
        record.pendingRefreshTokenHash2 === null &&
        constantTimeEqual(record.refreshTokenHash2, refreshTokenHash2(legacyParent))
      ) {
        // A child of the earlier derived format, issued before an upgrade: its first use confirms it.
        await this.storage.sessions.confirmRefreshToken({
          sessionHandle: handle,
          expectedHash2: record.refreshTokenHash2,
          expectedPendingHash2: null,
          newHash2: presentedHash2,
          ...this.expiryWindow(now, lifetimes),
        });
        continue;
      }
      throw new SessionError({
        message: "token theft detected",
        type: "TOKEN_THEFT_DETECTED",
        payload: { userId: record.userId, recipeUserId: new RecipeUserId(record.recipeUserId), sessionHandle: record.sessionHandle },
      });
    }
    throw new Error("Refresh-token rotation did not settle; concurrent writers kept winning");
  }

  async verify(input: {
    accessToken: string;
    antiCsrfToken: string | undefined;
    doAntiCsrfCheck: boolean;
    antiCsrf: AntiCsrfType;
    checkDatabase: boolean;
    useDynamicSigningKey: boolean;
  }): Promise<VerifyResult> {
    const parsed = await this.verifySignatureAndExpiry(input.accessToken);
    const payload = parsed.payload;
    if (parsed.kid.startsWith("d-") !== input.useDynamicSigningKey) {
      throw tryRefreshToken("The access token doesn't match the useDynamicAccessTokenSigningKey setting");
    }
    if (input.doAntiCsrfCheck && input.antiCsrf === "VIA_TOKEN") {
      const expected = payload.antiCsrfToken;
      if (expected === null || input.antiCsrfToken === undefined || !constantTimeEqual(expected, input.antiCsrfToken)) {
        throw tryRefreshToken("anti-csrf check failed");
      }
    }
    const summary = {
      handle: payload.sessionHandle,
      userId: payload.sub,
      recipeUserId: new RecipeUserId(payload.rsub),
      userDataInJWT: stripProtectedProps(payload),
      tenantId: payload.tId,
      expiryTime: payload.exp * 1000,
    };
    if (payload.parentRefreshTokenHash1 === null && !input.checkDatabase) {
      return { session: summary, accessToken: undefined, accessTokenPayload: payload };
    }
    return this.verifyWithDatabase(parsed, summary);
  }

  /** Reissues an access token with a new payload and the same expiry and refresh hashes. */
  async regenerate(accessToken: string, newUserData: Record<string, unknown> | undefined): Promise<
    { session: SessionSummary; accessToken: TokenInfo | undefined; accessTokenPayload: AccessTokenPayload } | undefined
  > {
    const parsed = parseAccessToken(accessToken);
    if (parsed === undefined) throw unauthorised("invalid access token", false);
    const key = await this.keys.findVerificationKey(parsed.kid);
    if (key === undefined || !hasValidSignature(parsed, key)) throw unauthorised("invalid access token", false);
    const record = await this.storage.sessions.get(parsed.payload.sessionHandle);
    if (record === undefined) return undefined;
    const userData = newUserData ?? record.accessTokenPayload;
    if (newUserData !== undefined) await this.storage.sessions.updatePayload(record.sessionHandle, newUserData);
    const session = summaryOf(record, userData);
    const now = this.clock.now();
    if (parsed.payload.exp * 1000 <= now) return { session, accessToken: undefined, accessTokenPayload: parsed.payload };
    const payload: AccessTokenPayload = { ...userData, ...protectedClaimsOf(parsed.payload) };
    const signingKey = await this.keys.getSigningKey(record.useStaticKey);
    return {
      session,
      accessToken: { token: await signAccessToken(payload, signingKey), expiry: payload.exp * 1000, createdTime: now },
      accessTokenPayload: payload,
    };
  }

  private async verifyWithDatabase(
    parsed: ParsedAccessToken,
    summary: SessionSummary & { expiryTime: number },
  ): Promise<VerifyResult> {
    const payload = parsed.payload;
    for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
      const now = this.clock.now();
      const record = await this.storage.sessions.get(payload.sessionHandle);
      if (record === undefined || !this.isLive(record, now)) throw unauthorised("session does not exist or has expired");
      const parentHash1 = payload.parentRefreshTokenHash1;
      if (parentHash1 === null) {
        return { session: { ...summaryOf(record, summary.userDataInJWT), expiryTime: summary.expiryTime }, accessToken: undefined, accessTokenPayload: payload };
      }
      const childHash2 = sha256Hex(payload.refreshTokenHash1);
      const pending = record.pendingRefreshTokenHash2;
      // First use of a token minted by a refresh: its child becomes the confirmed refresh token. (No
      // child pending means a child of the earlier derived format, minted before an upgrade.)
      if (constantTimeEqual(record.refreshTokenHash2, sha256Hex(parentHash1)) && (pending === null || constantTimeEqual(pending, childHash2))) {
        const lifetimes = await this.lifetimesOf(record.tenantId);
        const confirmed = await this.storage.sessions.confirmRefreshToken({
          sessionHandle: record.sessionHandle,
          expectedHash2: record.refreshTokenHash2,
          expectedPendingHash2: pending,
          newHash2: childHash2,
          ...this.expiryWindow(this.clock.now(), lifetimes),
        });
        if (!confirmed) continue;
        return this.reissueWithoutParent(record, payload, this.clock.now(), lifetimes);
      }
      if (constantTimeEqual(record.refreshTokenHash2, childHash2)) return this.reissueWithoutParent(record, payload, now, await this.lifetimesOf(record.tenantId));
      // An older token of a session that moved on: still valid until its expiry.
      return { session: { ...summaryOf(record, summary.userDataInJWT), expiryTime: summary.expiryTime }, accessToken: undefined, accessTokenPayload: payload };
    }
    throw new Error("Refresh-token promotion did not settle; concurrent writers kept winning");
  }

  /** What the storage needs to slide a session's expiry and refuse one that is over. */
  private expiryWindow(now: number, lifetimes: SessionLifetimes): { now: number; idleExpiresAt: number; absoluteLifetimeMs: number } {
    return { now, idleExpiresAt: now + lifetimes.refreshMs, absoluteLifetimeMs: this.absoluteLifetimeMs };
  }

  /** Live: before both the sliding expiry and the absolute end (creation + the lifetime in force now). */
  isLive(record: SessionRecord, now: number): boolean {
    return record.expiresAt >= now && record.createdAt + this.absoluteLifetimeMs > now;
  }

  /** When the session ends if nothing slides it: the earlier of the two expiries. */
  endOf(record: SessionRecord): number {
    return Math.min(record.expiresAt, record.createdAt + this.absoluteLifetimeMs);
  }

  private sweepExpiredSessions(now: number): void {
    if (now - this.lastSweepAt < EXPIRED_SESSION_SWEEP_INTERVAL_MS) return;
    this.lastSweepAt = now;
    this.storage.sessions.deleteExpired(now).catch((error: unknown) => this.log.error("Deleting expired sessions failed", error));
  }

  private async reissueWithoutParent(record: SessionRecord, old: AccessTokenPayload, now: number, lifetimes: SessionLifetimes): Promise<VerifyResult> {
    const payload: AccessTokenPayload = {
      ...record.accessTokenPayload,
      ...protectedClaimsOf(old),
      parentRefreshTokenHash1: null,
      iat: Math.floor(now / 1000),
      exp: Math.floor((now + lifetimes.accessMs) / 1000),
    };
    const key = await this.keys.getSigningKey(record.useStaticKey);
    return {
      session: { ...summaryOf(record, record.accessTokenPayload), expiryTime: payload.exp * 1000 },
      accessToken: { token: await signAccessToken(payload, key), expiry: payload.exp * 1000, createdTime: now },
      accessTokenPayload: payload,
    };
  }

  private async verifySignatureAndExpiry(token: string): Promise<ParsedAccessToken> {
    let parsed = this.verified.get(token);
    if (parsed === undefined) {
      parsed = parseAccessToken(token);
      if (parsed === undefined) throw unauthorised("The access token does not have the expected structure", false);
      const key = this.keys.getCachedVerificationKey(parsed.kid) ?? (await this.keys.findVerificationKey(parsed.kid));
      if (key === undefined || !hasValidSignature(parsed, key)) throw tryRefreshToken("access token signature is invalid");
      this.verified.add(parsed);
    }
    if (parsed.payload.exp * 1000 <= this.clock.now()) throw tryRefreshToken("access token expired");
    return parsed;
  }

  private async issue(record: SessionRecord, refresh: RefreshToken, parentHash1: string | null, now: number, lifetimes: SessionLifetimes): Promise<CreateOrRefreshResult> {
    const hash1 = refreshTokenHash1(refresh);
    const antiCsrfToken = antiCsrfTokenFor(refresh);
    const payload: AccessTokenPayload = {
      ...record.accessTokenPayload,
      sub: record.userId,
      rsub: record.recipeUserId,
      iat: Math.floor(now / 1000),
      exp: Math.floor((now + lifetimes.accessMs) / 1000),
      sessionHandle: record.sessionHandle,
      refreshTokenHash1: hash1,
      parentRefreshTokenHash1: parentHash1,
      antiCsrfToken: antiCsrfToken ?? null,
      tId: record.tenantId,
    };
    const key = await this.keys.getSigningKey(record.useStaticKey);
    return {
      session: summaryOf(record, record.accessTokenPayload),
      accessToken: { token: await signAccessToken(payload, key), expiry: payload.exp * 1000, createdTime: now },
      refreshToken: {
        token: serializeRefreshToken(refresh),
        expiry: Math.min(now + lifetimes.refreshMs, record.createdAt + this.absoluteLifetimeMs),
        createdTime: now,
      },
      antiCsrfToken,
      accessTokenPayload: payload,
    };
  }
}

function summaryOf(record: SessionRecord, userData: Record<string, unknown>): SessionSummary {
  return {
    handle: record.sessionHandle,
    userId: record.userId,
    recipeUserId: new RecipeUserId(record.recipeUserId),
    userDataInJWT: userData,
    tenantId: record.tenantId,
  };
}

function protectedClaimsOf(payload: AccessTokenPayload): AccessTokenPayload {
  return {
    sub: payload.sub,
    rsub: payload.rsub,
    iat: payload.iat,
    exp: payload.exp,
    sessionHandle: payload.sessionHandle,
    refreshTokenHash1: payload.refreshTokenHash1,
    parentRefreshTokenHash1: payload.parentRefreshTokenHash1,
    antiCsrfToken: payload.antiCsrfToken,
    tId: payload.tId,
  };
}
