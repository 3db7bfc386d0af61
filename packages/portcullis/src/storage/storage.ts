/**
 * The storage contract, as one small port per aggregate. `Storage` composes them as fields
 * (`storage.users`, `storage.sessions`, …); the engine and recipes only ever talk to these ports.
 *
 * Rules every port follows:
 * - Each method is atomic on its own, and its name says what it does atomically (`swap…` is a
 *   compare-and-swap, `consume` claims and deletes, `…IfAbsent` never overwrites). Callers never
 *   compose read-then-write sequences across two calls where a race would matter.
 * - No method is named after a recipe. A recipe is data (`recipeId`, token `kind`), so a new
 *   login recipe (phone + password, passwordless) needs no new storage method.
 * - Expected outcomes (identifier taken, token invalid, lost race) are typed results, never
 *   exceptions; exceptions are for bugs and infrastructure. An outage (database down, locked,
 *   full, read-only) is a StorageUnavailableError, and leaves nothing half-written.
 * - Secrets never reach this layer in the clear, and all times are supplied by the caller (the
 *   engine's clock), so expiry is testable without sleeping.
 */
import type {
  AccountIdentifier,
  CounterValue,
  InvitationRecord,
  ListUsersInput,
  LoginCode,
  LoginCodeDevice,
  LoginCodeUse,
  OutboxMessage,
  PhoneCodeRecord,
  PhoneCodeUse,
  RecipeId,
  SessionRecord,
  SigningKeyRecord,
  StoredCredential,
  StoredUser,
  TenantRecord,
  TokenRecord,
} from "./records.js";

export type * from "./records.js";

export interface TenantStore {
  /** Insert-or-update; `createdNew` is decided by the database, so of concurrent creators exactly one sees true. */
  upsert(tenantId: string, config: Record<string, unknown>, now: number): Promise<{ createdNew: boolean }>;
  get(tenantId: string): Promise<TenantRecord | undefined>;
  list(): Promise<TenantRecord[]>;
  /** Deletes the tenant with every user association, session, token, login code, phone code, role assignment and invitation scoped to it. */
  delete(tenantId: string): Promise<boolean>;
}

export interface UserStore {
  /** `userId` may be a user id or a recipe user id (they are equal without account linking). */
  get(userId: string): Promise<StoredUser | undefined>;
  /** Users of the tenant with this email and/or phone number, oldest first. */
  listByAccountInfo(tenantId: string, accountInfo: { email?: string; phoneNumber?: string }, doUnion: boolean): Promise<StoredUser[]>;
  list(input: ListUsersInput): Promise<{ users: StoredUser[]; nextPaginationToken?: string }>;
  count(input: { tenantId: string | undefined; includeRecipeIds: string[] | undefined }): Promise<number>;
  /** Deletes the user and everything hanging off it (credentials, sessions, tokens, verification state). */
  delete(userId: string): Promise<boolean>;
}

/** Which (recipe user, email) pairs are verified. Changing a login's email does not carry the mark over. */
export interface EmailVerificationStore {
  /** Idempotent. */
  markVerified(recipeUserId: string, email: string): Promise<void>;
  /** Idempotent: false when the pair was not verified. */
  markUnverified(recipeUserId: string, email: string): Promise<boolean>;
  isVerified(recipeUserId: string, email: string): Promise<boolean>;
}

/**
 * Which (recipe user, phone number) pairs are verified, like EmailVerificationStore for emails:
 * changing a login's phone number does not carry the mark over.
 */
export interface PhoneVerificationStore {
  /** Idempotent. */
  markVerified(recipeUserId: string, phoneNumber: string): Promise<void>;
  isVerified(recipeUserId: string, phoneNumber: string): Promise<boolean>;
  /** Idempotent; false when it was not verified. */
  unmarkVerified(recipeUserId: string, phoneNumber: string): Promise<boolean>;
}

/**
 * One-time codes sent by SMS, at most one per (tenant, purpose, phone number). A code looked up
 * in another tenant or for another purpose does not exist. Only salted hashes are stored.
 */
export interface PhoneCodeStore {
  /**
   * Stores the code, replacing the key's previous one. The failure count carries over when the
   * previous code was still unexpired at `createdAt` (a new code gives a guesser no fresh
   * attempts), else it starts at 0. Of concurrent issues the last one wins.
   */
  issue(code: Omit<PhoneCodeRecord, "failedAttempts">): Promise<void>;
  /** The current code of the key (live or expired), e.g. for the salt to hash a presented code with. */
  get(tenantId: string, purpose: string, phoneNumber: string): Promise<PhoneCodeRecord | undefined>;
  /**
   * Uses a code, as one transaction that serialises with every other use of the key:
   * - the key's code has `codeHash` and is unexpired at `now`: it is deleted and OK (of concurrent
   *   uses exactly one gets OK); in the same transaction `andSetSecret` sets the secret of the
   *   code user's login method of that recipe, which must still have this phone number, and
   *   `andMarkVerified` marks (code user, phone number) verified; when the login method is gone the
   *   code is still spent and the answer is RESTART;
   * - otherwise, failedAttempts + 1 is stored and answered as EXPIRED_CODE (right code, expired) or
   *   INCORRECT_CODE; once it reaches `maxFailedAttempts` the code is deleted and the answer is RESTART;
   * - no code for the key: RESTART.
   */
  consume(input: {
    tenantId: string;
    purpose: string;
    phoneNumber: string;
    codeHash: string;
    now: number;
    maxFailedAttempts: number;
    andSetSecret?: { recipeId: RecipeId; secretHash: string };
    andMarkVerified?: boolean;
  }): Promise<PhoneCodeUse>;
  /** Deletes the key's code; false when there was none. */
  delete(tenantId: string, purpose: string, phoneNumber: string): Promise<boolean>;
  /** Housekeeping: deletes codes expired by `now`; returns how many. */
  deleteExpired(now: number): Promise<number>;
}

/**
 * Login methods and their secrets, keyed by (recipe id, tenant, identifier). Uniqueness is per
 * tenant and recipe: the same email in two tenants, or in two recipes, is two login methods.
 */
export interface CredentialStore {
  /**
   * Creates a user whose one login method is this credential. The losing side of a concurrent
   * create with the same key gets IDENTIFIER_TAKEN, never an exception.
   */
  createUser(input: {
    userId: string;
    recipeId: RecipeId;
    tenantId: string;
    identifier: AccountIdentifier;
    /** Omitted for recipes without a secret. */
    secretHash?: string;
    timeJoined: number;
  }): Promise<{ status: "OK"; user: StoredUser } | { status: "IDENTIFIER_TAKEN" }>;

  /** The login method with its user AND its secret hash, in one round trip (the sign-in read). */
  find(recipeId: RecipeId, tenantId: string, identifier: AccountIdentifier): Promise<StoredCredential | undefined>;

  getSecretHash(recipeUserId: string): Promise<string | undefined>;

  /**
   * Compare-and-swap: replaces the secret hash only if it still equals `expectedHash` (a legacy
   * hash upgraded at sign-in must not clobber a password changed meanwhile).
   */
  swapSecretHash(recipeUserId: string, expectedHash: string, newHash: string): Promise<boolean>;

  /**
   * Adds the login method to a tenant, in one transaction: its (recipe, email/phone) must be free
   * there (IDENTIFIER_TAKEN names the clashing one; of concurrent associations exactly one wins).
   * With `tenantMustExist`, the tenant's row is locked and UNKNOWN_TENANT answered when absent, so
   * an association cannot outlive a tenant deleted at the same moment.
   */
  associateWithTenant(
    recipeUserId: string,
    tenantId: string,
    options: { tenantMustExist: boolean },
  ): Promise<
    | { status: "OK"; wasAlreadyAssociated: boolean }
    | { status: "UNKNOWN_USER" }
    | { status: "UNKNOWN_TENANT" }
    | { status: "IDENTIFIER_TAKEN"; identifier: "email" | "phoneNumber" }
  >;

  /**
   * Removes the login method from a tenant together with what it held there (its sessions,
   * tokens and role assignments in that tenant); the user itself stays, possibly in no tenant.
   */
  disassociateFromTenant(recipeUserId: string, tenantId: string): Promise<{ wasAssociated: boolean }>;

  /** Changes identifier and/or secret of a login method of `recipeId`, in one transaction. */
  update(
    recipeId: RecipeId,
    recipeUserId: string,
    change: { identifier?: AccountIdentifier; secretHash?: string },
  ): Promise<"OK" | "UNKNOWN_CREDENTIAL" | "IDENTIFIER_TAKEN">;
}

/**
 * Single-use tokens and codes, keyed by kind. Work that must be atomic with using a token (the
 * password update of a reset) is passed to `consume` and applied in its transaction: there is
 * no general unit of work across ports.
 */
export interface TokenStore {
  create(token: TokenRecord): Promise<void>;

  /**
   * Reads a token without using it: the token of this kind, hash and tenant if it is still
   * unexpired at `now` (expiresAt > now), else undefined. Nothing changes, so a link can be checked
   * (e.g. before a redirect) and the same token consumed afterwards.
   */
  find(kind: string, tokenHash: string, tenantId: string, now: number): Promise<TokenRecord | undefined>;

  /**
   * Atomically: find the token by (kind, hash, tenant) and delete it together with every other
   * token of the same kind and user (even when the presented one has expired); if it was valid,
   * apply `andSetSecret` to the token user's login method of that recipe, and with
   * `andMarkVerified` mark the token's (user, email) verified, in the same transaction.
   * Returns the token, or undefined when it was unknown, expired, bound to another tenant, lost a
   * race (of concurrent consumers exactly one gets it), or its user has no such login method.
   */
  consume(input: {
    kind: string;
    tokenHash: string;
    tenantId: string;
    now: number;
    andSetSecret?: { recipeId: RecipeId; secretHash: string };
    andMarkVerified?: boolean;
  }): Promise<TokenRecord | undefined>;

  /** Deletes a user's tokens, of one kind or (kind undefined) of every kind; returns how many. */
  revokeForUser(userId: string, kind: string | undefined): Promise<number>;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  /** Returns the session even if it has expired; the caller compares expiresAt with its clock. */
  get(sessionHandle: string): Promise<SessionRecord | undefined>;
  /**
   * One refresh, as one compare-and-swap: if `presentedHash2` is the session's pending child, or its
   * confirmed token with no child pending, it becomes (or stays) the confirmed token, `child` becomes
   * the pending one, and the expiry slides to min(`idleExpiresAt`, createdAt + `absoluteLifetimeMs`).
   * Only a session still live at `now` (expiresAt >= now, createdAt + absoluteLifetimeMs > now)
   * rotates. Returns the session as updated, or undefined when nothing matched (another request
   * won, the token is spent or unknown, the session is gone or over): the caller reads and decides.
   */
  rotateRefreshToken(input: {
    sessionHandle: string;
    presentedHash2: string;
    child: { hash2: string; sealed: string };
    now: number;
    idleExpiresAt: number;
    absoluteLifetimeMs: number;
  }): Promise<SessionRecord | undefined>;
  /**
   * Compare-and-swap confirming a child on its first use: succeeds only if the confirmed hash still
   * equals `expectedHash2` and the pending one `expectedPendingHash2` (null: none pending). Then
   * `newHash2` is confirmed, nothing is pending, and the expiry slides as in rotateRefreshToken.
   * False if another request won or the session is gone or over.
   */
  confirmRefreshToken(input: {
    sessionHandle: string;
    expectedHash2: string;
    expectedPendingHash2: string | null;
    newHash2: string;
    now: number;
    idleExpiresAt: number;
    absoluteLifetimeMs: number;
  }): Promise<boolean>;
  updatePayload(sessionHandle: string, accessTokenPayload: Record<string, unknown>): Promise<boolean>;
  updateData(sessionHandle: string, sessionData: Record<string, unknown>): Promise<boolean>;
  /** Returns the handles that existed and are now gone. */
  revoke(sessionHandles: string[]): Promise<string[]>;
  /** Revokes every session of a user; `tenantId` undefined means every tenant. */
  revokeForUser(userId: string, tenantId: string | undefined): Promise<string[]>;
  /** Live (unexpired: now < expiresAt) sessions of a user, oldest first; `tenantId` undefined means every tenant. */
  listHandlesForUser(userId: string, tenantId: string | undefined, now: number): Promise<string[]>;
  /** Sweeps sessions with expiresAt <= now; returns how many. */
  deleteExpired(now: number): Promise<number>;
}

export interface SigningKeyStore {
  /** Newest first. Keys of algorithms this build does not know (from a newer release) are skipped. */
  list(): Promise<SigningKeyRecord[]>;
  /** Inserts unless a key with the same kid exists (two instances rotating at once agree). */
  insertIfAbsent(key: SigningKeyRecord): Promise<void>;
  deleteCreatedBefore(createdBefore: number): Promise<number>;
}

/** The development outbox: messages kept for a developer to read instead of being sent. */
export interface OutboxStore {
  insert(message: OutboxMessage): Promise<void>;
  /** Newest first. */
  listNewest(limit: number): Promise<OutboxMessage[]>;
  /** Retention: deletes messages created before `createdBefore` (they hold live links); returns how many. */
  deleteCreatedBefore(createdBefore: number): Promise<number>;
}

/**
 * Fixed-window counters shared by every instance on the database (failure counts, rate limits).
 * `increment` is one atomic statement: N concurrent increments from any number of instances
 * leave count N.
 */
export interface CounterStore {
  /**
   * Adds one to `key`. If the key is new or its window (windowStartedAt + windowMs) has closed
   * by `now`, a new window opens at `now` with count 1. Returns the value after the increment.
   */
  increment(key: string, windowMs: number, now: number): Promise<CounterValue>;
  /** The value in the current window, or undefined when there is none (never counted, reset, or closed by `now`). */
  get(key: string, windowMs: number, now: number): Promise<CounterValue | undefined>;
  reset(key: string): Promise<void>;
  /** Housekeeping: deletes counters whose window opened before `startedBefore`; returns how many. */
  deleteStartedBefore(startedBefore: number): Promise<number>;
}

/**
 * Roles with their permissions (app-wide) and which users hold which role in which tenant.
 * Deleting a role takes its permissions and every assignment with it.
 */
export interface RoleStore {
  /** Creates the role if absent and adds the permissions it lacks; `createdNewRole` is decided by the database. */
  createRoleOrAddPermissions(role: string, permissions: readonly string[]): Promise<{ createdNewRole: boolean }>;
  roleExists(role: string): Promise<boolean>;
  /** undefined when the role does not exist. */
  getPermissions(role: string): Promise<string[] | undefined>;
  /** false when the role does not exist. */
  removePermissions(role: string, permissions: readonly string[]): Promise<boolean>;
  rolesWithPermission(permission: string): Promise<string[]>;
  /** Deletes the role, its permissions and its assignments; false when it did not exist. */
  deleteRole(role: string): Promise<boolean>;
  listRoles(): Promise<string[]>;
  /** Assigns only an existing role (checked in the same transaction). */
  assignRole(tenantId: string, userId: string, role: string): Promise<{ status: "OK"; alreadyAssigned: boolean } | { status: "UNKNOWN_ROLE" }>;
  unassignRole(tenantId: string, userId: string, role: string): Promise<{ status: "OK"; wasAssigned: boolean } | { status: "UNKNOWN_ROLE" }>;
  rolesOfUser(tenantId: string, userId: string): Promise<string[]>;
  /** The union of the permissions of the user's roles in the tenant. */
  permissionsOfUser(tenantId: string, userId: string): Promise<string[]>;
  /** undefined when the role does not exist. */
  usersWithRole(tenantId: string, role: string): Promise<string[] | undefined>;
}

/**
 * Passwordless sign-in attempts ("devices") and their one-time codes, scoped to a tenant: a
 * device or code looked up in another tenant does not exist. Only hashes of codes are stored.
 */
export interface LoginCodeStore {
  /** Creates a device with its first code (fresh random ids: a collision is a bug, so it throws). */
  createDevice(device: Omit<LoginCodeDevice, "codes" | "failedAttempts">, firstCode: LoginCode): Promise<void>;
  /**
   * Adds a code to a live device (one with a code unexpired at `now`). UNKNOWN_DEVICE when the
   * device is gone or every code of it has expired; CODE_TAKEN when the device already has a code
   * with this hash (the same user input code twice).
   */
  addCode(tenantId: string, preAuthSessionId: string, code: LoginCode, now: number): Promise<"OK" | "UNKNOWN_DEVICE" | "CODE_TAKEN">;
  getDevice(tenantId: string, preAuthSessionId: string): Promise<LoginCodeDevice | undefined>;
  /** The device holding this code, or undefined. */
  getDeviceByCodeId(tenantId: string, codeId: string): Promise<LoginCodeDevice | undefined>;
  /** Devices sent to this email or phone number in the tenant, oldest first. */
  listDevices(tenantId: string, identifier: AccountIdentifier): Promise<LoginCodeDevice[]>;
  /**
   * Uses a code, as one transaction that serialises with every other use of the device:
   * - the device has a code with `linkCodeHash`, unexpired at `now`: OK, and every device of the
   *   same email or phone number in the tenant is deleted (of concurrent uses exactly one gets OK);
   * - otherwise, when `countFailure` (a typed code): failedAttempts + 1 is stored and answered as
   *   EXPIRED_CODE (the code exists, expired) or INCORRECT_CODE; once it reaches
   *   `maxFailedAttempts` the device is deleted instead and the answer is RESTART;
   * - otherwise (a link code, which cannot be guessed): RESTART, and nothing changes.
   */
  consumeCode(input: {
    tenantId: string;
    preAuthSessionId: string;
    linkCodeHash: string;
    now: number;
    countFailure: boolean;
    maxFailedAttempts: number;
  }): Promise<LoginCodeUse>;
  /** Deletes one code; its device goes too when that was its last code. False when unknown. */
  deleteCode(tenantId: string, codeId: string): Promise<boolean>;
  /** Deletes a device and its codes. False when unknown. */
  deleteDevice(tenantId: string, preAuthSessionId: string): Promise<boolean>;
  /** Deletes every device (and code) sent to this email or phone number in the tenant; returns how many devices. */
  deleteDevicesOf(tenantId: string, identifier: AccountIdentifier): Promise<number>;
  /** Housekeeping: deletes devices none of whose codes is unexpired at `now`; returns how many. */
  deleteExpired(now: number): Promise<number>;
}

/**
 * Invitations to sign up, per tenant and identifier. At most one invitation per (tenant,
 * identifier) is pending (not accepted) at a time: creating one replaces the pending one, so an
 * admin who re-invites someone (new roles, new expiry) never leaves two competing invitations.
 * Accepted invitations are kept (the history of who joined how) until the tenant is deleted.
 */
export interface InvitationStore {
  /**
   * Stores the invitation, replacing any pending one (live or expired) for the same tenant and
   * identifier: the old invitation id stops existing. Of concurrent creates the last one wins.
   */
  create(invitation: InvitationRecord): Promise<void>;
  get(tenantId: string, invitationId: string): Promise<InvitationRecord | undefined>;
  /** The pending invitation of this identifier in the tenant if it is still unexpired at `now`. */
  findLive(tenantId: string, identifier: AccountIdentifier, now: number): Promise<InvitationRecord | undefined>;
  /**
   * The tenant's invitations, newest first: live ones always; accepted ones and expired pending
   * ones only when asked for.
   */
  list(tenantId: string, options: { includeAccepted?: boolean; includeExpired?: boolean }, now: number): Promise<InvitationRecord[]>;
  /** Deletes the invitation (pending or accepted; an account made through it stays). False when unknown in this tenant. */
  revoke(tenantId: string, invitationId: string): Promise<boolean>;
  /**
   * Marks the identifier's live invitation accepted by `userId` at `now` and returns it; undefined
   * when there is none (never invited, expired, revoked, already accepted). One statement: of
   * concurrent accepts exactly one gets the invitation.
   */
  accept(tenantId: string, identifier: AccountIdentifier, userId: string, now: number): Promise<InvitationRecord | undefined>;
  /** Housekeeping: deletes pending invitations expired by `now` (accepted ones stay); returns how many. */
  deleteExpired(now: number): Promise<number>;
}

export interface Storage {
  readonly tenants: TenantStore;
  readonly users: UserStore;
  readonly emailVerification: EmailVerificationStore;
  readonly phoneVerification: PhoneVerificationStore;
  readonly phoneCodes: PhoneCodeStore;
  readonly credentials: CredentialStore;
  readonly tokens: TokenStore;
  readonly sessions: SessionStore;
  readonly signingKeys: SigningKeyStore;
  readonly outbox: OutboxStore;
  readonly counters: CounterStore;
  readonly roles: RoleStore;
  readonly loginCodes: LoginCodeStore;
  readonly invitations: InvitationStore;
  /** Applies pending migrations. Idempotent and safe when several instances start together. */
  migrate(): Promise<void>;
  /**
   * One trivial round trip, for health checks. Like every method, it fails with
   * StorageUnavailableError when the database is out of reach.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}
