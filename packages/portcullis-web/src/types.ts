/**
 * The stable error codes. Apps switch on `code`; `message` is for people and may change.
 * README.md ("Browser client") lists what each one means and which server answer produces it.
 */
export type ErrorCode =
  | "NETWORK_ERROR"
  | "UNAUTHORISED"
  | "INVALID_CLAIM"
  | "EMAIL_NOT_VERIFIED"
  | "PHONE_NOT_VERIFIED"
  | "BAD_REQUEST"
  | "SERVER_ERROR"
  | "UNEXPECTED_RESPONSE"
  | "GENERAL_ERROR"
  | "RATE_LIMITED"
  | "FIELD_ERROR"
  | "EMAIL_ALREADY_EXISTS"
  | "PHONE_NUMBER_ALREADY_EXISTS"
  | "WRONG_CREDENTIALS"
  | "SIGN_UP_NOT_ALLOWED"
  | "SIGN_IN_NOT_ALLOWED"
  | "SIGN_IN_UP_NOT_ALLOWED"
  | "PASSWORD_RESET_NOT_ALLOWED"
  | "EMAIL_VERIFICATION_NOT_ENABLED"
  | "INVALID_REDIRECT_URL"
  | "INCORRECT_CODE"
  | "EXPIRED_CODE"
  | "RESTART_FLOW"
  | "INVALID_TOKEN"
  | "INVALID_LINK"
  | "PASSWORD_POLICY_VIOLATED"
  | "NOT_SUPPORTED";

export interface AuthError {
  code: ErrorCode;
  message: string;
  /** FIELD_ERROR (and the *_ALREADY_EXISTS codes): each rejected form field and why. */
  fields?: { id: string; error: string }[];
  /** INCORRECT_CODE / EXPIRED_CODE: how many wrong codes so far, out of how many allowed. */
  failedCodeInputAttemptCount?: number;
  maximumCodeInputAttempts?: number;
  /** RATE_LIMITED: the server's Retry-After, when it sent one. */
  retryAfterSeconds?: number;
  /** INVALID_CLAIM / EMAIL_NOT_VERIFIED: the 403 body's claim failures. */
  claimValidationErrors?: { id: string; reason?: unknown }[];
  /** The HTTP status behind the error (absent for NETWORK_ERROR and client-side checks). */
  httpStatus?: number;
}

/** What every `auth` method resolves to: exactly one of the two is non-null. Nothing throws for expected outcomes. */
export type Result<T> = { data: T; errors: null } | { data: null; errors: AuthError };

/**
 * Where tokens and the pending passwordless attempt are kept. localStorage fits as is; React
 * Native's AsyncStorage fits too (methods may return promises).
 */
export interface TokenStorage {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

export type TokenTransfer = "cookie" | "header";

export interface ClientOptions {
  /** The API origin, e.g. "https://api.example.com". */
  apiDomain: string;
  /** Where the auth routes live on it; defaults to "/auth". */
  apiBasePath?: string;
  /**
   * "cookie": HttpOnly cookies set by the server (browsers; requests are sent with credentials).
   * "header": tokens from response headers, kept in `storage` and sent as Authorization (React Native, Node).
   */
  tokenTransfer: TokenTransfer;
  /** The tenant for tenant-scoped routes; defaults to the page URL's `tenantId`, then "public". */
  tenantId?: string;
  /** Defaults, in browsers: client-set cookies in cookie mode (as web-js), localStorage in header mode; memory elsewhere. */
  storage?: TokenStorage;
  /** Prefix of the storage keys and of the cross-tab lock name; defaults to "portcullis". */
  storageKeyPrefix?: string;
  /** Called once when a refresh is refused (the session expired or was revoked): the user must sign in again. */
  onSessionExpired?: () => void;
  /** Defaults to globalThis.fetch. */
  fetch?: typeof fetch;
}

/** The FDI user object (the server's `user`). */
export interface User {
  id: string;
  isPrimaryUser: boolean;
  tenantIds: string[];
  emails: string[];
  phoneNumbers: string[];
  thirdParty: { id: string; userId: string }[];
  loginMethods: LoginMethod[];
  timeJoined: number;
}

export interface LoginMethod {
  recipeId: string;
  recipeUserId: string;
  tenantIds: string[];
  timeJoined: number;
  verified: boolean;
  email?: string;
  phoneNumber?: string;
}

/** The decoded `front-token` header: who is signed in, when the access token expires, and its payload. */
export interface FrontToken {
  uid: string;
  /** Access-token expiry, ms since the epoch. */
  ate: number;
  up: Record<string, unknown>;
}

export type PasswordlessFlowType = "USER_INPUT_CODE" | "MAGIC_LINK" | "USER_INPUT_CODE_AND_MAGIC_LINK";

export interface PasswordlessAttempt {
  deviceId: string;
  preAuthSessionId: string;
  flowType: PasswordlessFlowType;
  email?: string;
  phoneNumber?: string;
  tenantId: string;
}
