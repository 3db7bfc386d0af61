import type { Storage } from "./storage.js";

/** Every method of the contract; the type below fails to compile if one is missing. */
const STORAGE_METHODS = [
  "upsertTenant",
  "getTenant",
  "listTenants",
  "deleteTenant",
  "createEmailPasswordUser",
  "findEmailPasswordLogin",
  "getPasswordHash",
  "replacePasswordHash",
  "updateEmailPasswordLogin",
  "getUser",
  "listUsersByAccountInfo",
  "listUsers",
  "countUsers",
  "deleteUser",
  "markEmailVerified",
  "isEmailVerified",
  "createPasswordResetToken",
  "consumePasswordResetToken",
  "createSession",
  "getSession",
  "promoteRefreshToken",
  "updateSessionPayload",
  "updateSessionData",
  "revokeSessions",
  "listSessionHandlesForUser",
  "revokeSessionsForUser",
  "deleteExpiredSessions",
  "listSigningKeys",
  "insertSigningKeyIfAbsent",
  "deleteSigningKeysCreatedBefore",
  "insertOutboxMessage",
  "listOutboxMessages",
] as const satisfies readonly Exclude<keyof Storage, "migrate" | "close">[];

type Unlisted = Exclude<keyof Storage, (typeof STORAGE_METHODS)[number] | "migrate" | "close">;
const everyMethodListed: [Unlisted] extends [never] ? true : never = true;
void everyMethodListed;

/**
 * `init()` is synchronous (as in the SDK) but migrations are not: every storage call first awaits
 * the one migration run. A failed migration fails every call with that error, loudly.
 */
export function gateOnMigration(storage: Storage): Storage & { ready: Promise<void> } {
  const ready = storage.migrate();
  // Surfaced by the first call that awaits it; avoid an unhandled rejection before then.
  ready.catch(() => undefined);
  const gated: Record<string, unknown> = {
    ready,
    migrate: () => ready,
    close: async () => {
      await ready.catch(() => undefined);
      await storage.close();
    },
  };
  for (const name of STORAGE_METHODS) {
    const method = storage[name] as (...args: unknown[]) => Promise<unknown>;
    gated[name] = async (...args: unknown[]) => {
      await ready;
      return method.apply(storage, args);
    };
  }
  return gated as unknown as Storage & { ready: Promise<void> };
}
