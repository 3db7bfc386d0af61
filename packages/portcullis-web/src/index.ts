/**
 * portcullis-web: a small typed client for a Portcullis backend, for browsers, React Native style
 * runtimes and Node ≥ 20. Every `auth` method resolves to `{ data, errors }` and never throws for
 * expected outcomes.
 */
export { createClient, type AuthMethods, type PortcullisClient } from "./client.js";
export { decodeFrontToken } from "./front-token.js";
export { memoryStorage } from "./storage.js";
export type {
  AuthError,
  ClientOptions,
  ErrorCode,
  FrontToken,
  LoginMethod,
  PasswordlessAttempt,
  PasswordlessFlowType,
  Result,
  TokenStorage,
  TokenTransfer,
  User,
} from "./types.js";
