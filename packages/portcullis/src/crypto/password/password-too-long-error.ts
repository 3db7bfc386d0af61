/**
 * Hard ceiling on what reaches the KDF. Callers cap passwords at 1 KiB with a 400 before hashing;
 * this is the last line of defence so a forgotten check cannot turn a 1 MB body into CPU burn.
 */
export const MAX_PASSWORD_BYTES = 4096;

export class PasswordTooLongError extends Error {
  override readonly name = "PasswordTooLongError";
  readonly maxBytes = MAX_PASSWORD_BYTES;

  constructor() {
    super(`Password is longer than ${MAX_PASSWORD_BYTES} bytes`);
  }
}

export function assertPasswordWithinLimit(password: string): void {
  if (typeof password !== "string") {
    throw new TypeError("Password must be a string");
  }
  // UTF-8 never uses fewer bytes than UTF-16 code units, so a long string fails without being scanned.
  if (password.length > MAX_PASSWORD_BYTES || Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES) {
    throw new PasswordTooLongError();
  }
}
