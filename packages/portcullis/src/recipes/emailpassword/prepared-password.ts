import { sha256Hex } from "../../crypto/hash.js";
import type { UserContext } from "../../core/user-context.js";

/**
 * A password reset spans two overridable functions, consumePasswordResetToken and
 * updateEmailOrPassword, yet must stay one transaction. The reset hashes the new password first and
 * leaves the hash on the operation's user context: the default consumePasswordResetToken sets it in
 * the token's transaction, and the default updateEmailOrPassword reuses it instead of hashing again.
 * A symbol key keeps it out of anything that serialises the context.
 */
const PREPARED = Symbol("portcullis.preparedPassword");

interface PreparedPassword {
  passwordDigest: string;
  hash: string;
}

export function rememberPreparedPassword(userContext: UserContext, password: string, hash: string): void {
  (userContext as { [PREPARED]?: PreparedPassword })[PREPARED] = { passwordDigest: sha256Hex(password), hash };
}

/** The prepared hash, if any; with `password`, only when it is the hash of that very password. */
export function preparedPasswordHash(userContext: UserContext | undefined, password?: string): string | undefined {
  const prepared = (userContext as { [PREPARED]?: PreparedPassword } | undefined)?.[PREPARED];
  if (prepared === undefined) return undefined;
  if (password !== undefined && prepared.passwordDigest !== sha256Hex(password)) return undefined;
  return prepared.hash;
}
