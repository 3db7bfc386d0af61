/**
 * The storage contract. Every method is domain-shaped and atomic on its own: callers never
 * compose read-then-write sequences across two calls where a race would matter. Methods whose
 * name says what they do atomically (consume, promote, revoke) run in one write transaction.
 *
 * Secrets never reach this layer in the clear: tokens arrive as hashes, passwords as PHC strings.
 * All times are milliseconds since the epoch, supplied by the caller (the engine's clock), so
 * expiry is testable without sleeping.
 */

export type RecipeId = "emailpassword" | "passwordless" | "thirdparty" | "webauthn";

export interface StoredLoginMethod {
  recipeId: RecipeId;
  recipeUserId: string;
  tenantIds: string[];
  email?: string;
  phoneNumber?: string;
  verified: boolean;
  timeJoined: number;
}

export interface StoredUser {
  id: string;
  timeJoined: number;
  tenantIds: string[];
  loginMethods: StoredLoginMethod[];
}

export interface TenantRecord {
  tenantId: string;
  /** Opaque JSON owned by the multitenancy recipe (first factors, core config overrides). */
  config: Record<string, unknown>;
  createdAt: number;
}

export interface SessionRecord {
  sessionHandle: string;
  userId: string;
  recipeUserId: string;
  tenantId: string;
  /** SHA-256(SHA-256(refresh token base)) of the current confirmed refresh token. */
  refreshTokenHash2: string;
  /** The custom part of the access-token payload, as last stored. */
  accessTokenPayload: Record<string, unknown>;
  sessionData: Record<string, unknown>;
  expiresAt: number;
  createdAt: number;
  useStaticKey: boolean;
}

export interface SigningKeyRecord {
  kid: string;
  algorithm: "RS256";
  /** PKCS#8 PEM. Kept in the database so every instance signs and verifies with the same keys. */
  privateKeyPem: string;
  publicKeyPem: string;
  createdAt: number;
}

export interface OutboxMessage {
  id: string;
  channel: "email" | "sms";
  recipient: string;
  subject: string;
  textBody: string;
  htmlBody: string | undefined;
  createdAt: number;
}

export type UserListOrder = "ASC" | "DESC";

export interface ListUsersInput {
  /** Undefined lists across every tenant. */
  tenantId: string | undefined;
  order: UserListOrder;
  limit: number;
  paginationToken: string | undefined;
  includeRecipeIds: string[] | undefined;
  /** Search tags: `email` and `phone` match by prefix/substring (case-insensitive). */
  query: Record<string, string> | undefined;
}

export interface Storage {
  /** Applies pending migrations. Idempotent and safe when several instances start together. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  // --- tenants ---------------------------------------------------------------------------
  upsertTenant(tenantId: string, config: Record<string, unknown>, now: number): Promise<{ createdNew: boolean }>;
  getTenant(tenantId: string): Promise<TenantRecord | undefined>;
  listTenants(): Promise<TenantRecord[]>;
  /** Deletes the tenant and every user association, session and token scoped to it. */
  deleteTenant(tenantId: string): Promise<boolean>;

  // --- users ------------------------------------------------------------------------------
  /**
   * Inserts an email-password recipe user in one tenant. Uniqueness is (tenant, recipe, email):
   * the same email in two tenants is two accounts. The losing side of a concurrent insert gets
   * EMAIL_ALREADY_EXISTS_ERROR, never an exception.
   */
  createEmailPasswordUser(input: {
    userId: string;
    tenantId: string;
    email: string;
    passwordHash: string;
    timeJoined: number;
  }): Promise<{ status: "OK"; user: StoredUser } | { status: "EMAIL_ALREADY_EXISTS_ERROR" }>;

  /** The email-password login of `email` in `tenantId`, with its password hash. */
  findEmailPasswordLogin(
    tenantId: string,
    email: string,
  ): Promise<{ user: StoredUser; recipeUserId: string; passwordHash: string } | undefined>;

  /** The password hash of an email-password recipe user, if it has one. */
  getPasswordHash(recipeUserId: string): Promise<string | undefined>;

  /**
   * Replaces a password hash only if it still equals `expectedHash` (used to upgrade legacy
   * hashes at sign-in without clobbering a password changed meanwhile).
   */
  replacePasswordHash(recipeUserId: string, expectedHash: string, newHash: string): Promise<boolean>;

  /** Changes email and/or password of an email-password recipe user in one transaction. */
  updateEmailPasswordLogin(
    recipeUserId: string,
    update: { email?: string; passwordHash?: string },
  ): Promise<"OK" | "UNKNOWN_USER_ID_ERROR" | "EMAIL_ALREADY_EXISTS_ERROR">;

  /** `userId` may be a user id or a recipe user id (they are equal without account linking). */
  getUser(userId: string): Promise<StoredUser | undefined>;

  listUsersByAccountInfo(
    tenantId: string,
    accountInfo: { email?: string; phoneNumber?: string },
    doUnion: boolean,
  ): Promise<StoredUser[]>;

  listUsers(input: ListUsersInput): Promise<{ users: StoredUser[]; nextPaginationToken?: string }>;

  countUsers(input: { tenantId: string | undefined; includeRecipeIds: string[] | undefined }): Promise<number>;

  /** Deletes the user and everything hanging off it (sessions, tokens, verification state). */
  deleteUser(userId: string): Promise<boolean>;

  // --- email verification state -----------------------------------------------------------
  markEmailVerified(recipeUserId: string, email: string): Promise<void>;
  isEmailVerified(recipeUserId: string, email: string): Promise<boolean>;

  // --- password reset tokens --------------------------------------------------------------
  createPasswordResetToken(input: {
    tokenHash: string;
    userId: string;
    tenantId: string;
    email: string;
    expiresAt: number;
    createdAt: number;
  }): Promise<void>;

  /**
   * Atomically: find the token by (hash, tenant); delete every reset token of its user (even
   * when the presented one has expired); if it was valid and `newPasswordHash` is given, set the
   * user's password in the same transaction. Of two concurrent calls with one token, exactly one
   * gets OK.
   */
  consumePasswordResetToken(input: {
    tokenHash: string;
    tenantId: string;
    now: number;
    newPasswordHash?: string;
  }): Promise<{ status: "OK"; userId: string; email: string } | { status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" }>;

  // --- sessions ---------------------------------------------------------------------------
  createSession(session: SessionRecord): Promise<void>;
  getSession(sessionHandle: string): Promise<SessionRecord | undefined>;

  /**
   * Compare-and-swap of the confirmed refresh token: succeeds only if the stored hash still
   * equals `expectedHash2`. Also slides the expiry. Returns false if another request won.
   */
  promoteRefreshToken(input: {
    sessionHandle: string;
    expectedHash2: string;
    newHash2: string;
    newExpiresAt: number;
  }): Promise<boolean>;

  updateSessionPayload(sessionHandle: string, accessTokenPayload: Record<string, unknown>): Promise<boolean>;
  updateSessionData(sessionHandle: string, sessionData: Record<string, unknown>): Promise<boolean>;

  /** Returns the handles that existed and are now gone. */
  revokeSessions(sessionHandles: string[]): Promise<string[]>;

  /** Live (unexpired) sessions of a user; `tenantId` undefined means every tenant. */
  listSessionHandlesForUser(userId: string, tenantId: string | undefined, now: number): Promise<string[]>;

  /** Revokes every session of a user; `tenantId` undefined means every tenant. */
  revokeSessionsForUser(userId: string, tenantId: string | undefined): Promise<string[]>;

  deleteExpiredSessions(now: number): Promise<number>;

  // --- signing keys -----------------------------------------------------------------------
  listSigningKeys(): Promise<SigningKeyRecord[]>;
  /** Inserts unless a key with the same kid exists (two instances rotating at once agree). */
  insertSigningKeyIfAbsent(key: SigningKeyRecord): Promise<void>;
  deleteSigningKeysCreatedBefore(createdBefore: number): Promise<number>;

  // --- development outbox -----------------------------------------------------------------
  insertOutboxMessage(message: OutboxMessage): Promise<void>;
  /** Newest first. */
  listOutboxMessages(limit: number): Promise<OutboxMessage[]>;
}
