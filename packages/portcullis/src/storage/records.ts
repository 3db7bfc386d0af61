/**
 * The records that cross the storage boundary. Times are milliseconds since the epoch; secrets
 * arrive hashed (tokens as SHA-256, passwords as PHC strings), never in the clear.
 */

export type RecipeId = "emailpassword" | "passwordless" | "thirdparty" | "webauthn" | "phonepassword";

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
  /** Hash2 of the child handed out by a refresh and not yet used, or null when there is none. */
  pendingRefreshTokenHash2: string | null;
  /** That child, sealed under a key only its parent's holder can derive; null with it. */
  sealedPendingRefreshToken: string | null;
  /** The custom part of the access-token payload, as last stored. */
  accessTokenPayload: Record<string, unknown>;
  sessionData: Record<string, unknown>;
  /** Sliding expiry, never past createdAt + the absolute lifetime. */
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

/** How a login method is found: by the email or the phone number it signs in with. */
export type AccountIdentifier = { email: string; phoneNumber?: never } | { phoneNumber: string; email?: never };

/** A login method with its secret, as found by its identifier. */
export interface StoredCredential {
  user: StoredUser;
  recipeUserId: string;
  /** Undefined for login methods without a secret (e.g. passwordless). */
  secretHash: string | undefined;
}

/** A single-use token or code. `kind` names its purpose ("password-reset", "passwordless-code", …). */
export interface TokenRecord {
  kind: string;
  /** SHA-256 (or HMAC) of the token; the token itself is never stored. */
  tokenHash: string;
  tenantId: string;
  /** The user it acts for; undefined for tokens issued before a user exists (passwordless sign-up). */
  userId: string | undefined;
  /** Where it was sent, and what it is bound to. */
  identifier: AccountIdentifier | undefined;
  expiresAt: number;
  createdAt: number;
}

export interface CounterValue {
  count: number;
  /** When the current window opened; it closes at windowStartedAt + windowMs. */
  windowStartedAt: number;
}

/**
 * One passwordless sign-in attempt (SuperTokens calls it a device): where its codes went, and how
 * many wrong codes it has seen. Its id is SHA-256 of the device id the client holds, so the
 * device id itself is never stored.
 */
export interface LoginCodeDevice {
  tenantId: string;
  /** base64url(SHA-256(device id)); the key the client sends back with every code. */
  preAuthSessionId: string;
  identifier: AccountIdentifier;
  /** Mixed into every link code of the device, so a stored code hash is useless without the device id. */
  linkCodeSalt: string;
  /** Wrong or expired codes entered so far; asking for a new code does not reset it. */
  failedAttempts: number;
  /** Oldest first. */
  codes: LoginCode[];
}

/** One code of a device: its id, the hash of its link code, and its lifetime. */
export interface LoginCode {
  codeId: string;
  /** SHA-256 of the link code (itself an HMAC of the user input code under the device id and salt). */
  linkCodeHash: string;
  createdAt: number;
  expiresAt: number;
}

/** What an attempt to use a code came to. */
export type LoginCodeUse =
  | { status: "OK"; device: LoginCodeDevice }
  /** No such code in the device; the failure was counted. */
  | { status: "INCORRECT_CODE"; failedAttempts: number }
  /** The code exists but its lifetime is over; the failure was counted. */
  | { status: "EXPIRED_CODE"; failedAttempts: number }
  /** The device is unknown, gone, or was just deleted because it reached the attempt limit. */
  | { status: "RESTART" };

/**
 * An invitation to create an account in a tenant: for one email or phone number, with the roles
 * the new account gets. It is live until it expires or is accepted; accepted ones stay as a record
 * of who joined through which invitation.
 */
export interface InvitationRecord {
  invitationId: string;
  tenantId: string;
  identifier: AccountIdentifier;
  /** Role names, assigned in the tenant when the invitation is accepted. */
  roles: string[];
  createdAt: number;
  expiresAt: number;
  acceptedAt: number | null;
  acceptedByUserId: string | null;
}

/**
 * A one-time code texted to a phone number for one purpose (verifying the number, resetting a
 * password). There is at most one per (tenant, purpose, phone number): the client that types it
 * holds nothing else, so that is its key. Only a salted hash of the code is stored.
 */
export interface PhoneCodeRecord {
  tenantId: string;
  /** What the code is for, e.g. `phone-verification`, `password-reset`. */
  purpose: string;
  /** E.164. */
  phoneNumber: string;
  /** The (recipe) user the code acts for. */
  userId: string;
  /** Keyed hash of the code under `codeSalt`; the code itself is never stored. */
  codeHash: string;
  codeSalt: string;
  /** Wrong or expired codes entered so far; a new code within the old one's lifetime keeps the count. */
  failedAttempts: number;
  createdAt: number;
  expiresAt: number;
}

/** What an attempt to use a phone code came to. */
export type PhoneCodeUse =
  | { status: "OK"; code: PhoneCodeRecord }
  /** Not the stored code; the failure was counted. */
  | { status: "INCORRECT_CODE"; failedAttempts: number }
  /** The stored code, but its lifetime is over; the failure was counted. */
  | { status: "EXPIRED_CODE"; failedAttempts: number }
  /** No code (never sent, used, or just voided by reaching the attempt limit), or its user lost the login method. */
  | { status: "RESTART" };
