export { createPasswordHasher } from "./password-hasher.js";
export type { PasswordHasher, PasswordHashingOptions, PasswordVerification } from "./password-hasher.js";
export { HashingOverloadedError } from "./semaphore.js";
export { MAX_PASSWORD_BYTES, PasswordTooLongError } from "./password-too-long-error.js";
