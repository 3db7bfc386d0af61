import { emailProblem, normaliseEmail } from "../../core/normalise.js";
import { RecipeUserId } from "../../core/recipe-user-id.js";
import { userFromStored } from "../../core/user.js";
import { sha256Hex } from "../../crypto/hash.js";
import type { Engine } from "../../engine/types.js";
import { preparedPasswordHash } from "./prepared-password.js";
import type { APIOptions, RecipeInterface, TypeNormalisedInput } from "./types.js";
import type { UserContext } from "../../core/user-context.js";
import { fieldById, isPasswordTooLong, PASSWORD_TOO_LONG_MESSAGE } from "./validators.js";

/** Passwords are compared as NFKC, so composed and decomposed accents are the same password. */
export function preparePassword(password: string): string {
  return password.normalize("NFKC");
}

type StoredLogin = Awaited<ReturnType<Engine["storage"]["credentials"]["find"]>>;
type PasswordLoginResult = { status: "OK"; user: ReturnType<typeof userFromStored>; recipeUserId: RecipeUserId } | { status: "WRONG_CREDENTIALS_ERROR" };

/**
 * The password check of every password login (email or phone), after the account was looked up:
 * an unknown account costs one hash, like a wrong password, and gets the same answer. Legacy
 * (bcrypt) or weaker hashes are upgraded now that the plaintext is at hand; a password changed
 * meanwhile wins (compare-and-swap), and a failed upgrade never fails the sign-in.
 */
export async function checkPasswordLogin(engine: Engine, login: StoredLogin, prepared: string): Promise<PasswordLoginResult> {
  const { passwordHasher, storage } = engine;
  if (login?.secretHash === undefined) {
    await passwordHasher.verifyAgainstDummy(prepared);
    return { status: "WRONG_CREDENTIALS_ERROR" };
  }
  const verification = await passwordHasher.verify(login.secretHash, prepared);
  if (!verification.valid) return { status: "WRONG_CREDENTIALS_ERROR" };
  if (verification.needsRehash) {
    try {
      await storage.credentials.swapSecretHash(login.recipeUserId, login.secretHash, await passwordHasher.hash(prepared));
    } catch (error) {
      engine.log.warn(`Could not upgrade the password hash of user ${login.recipeUserId}: ${String(error)}`);
    }
  }
  return { status: "OK", user: userFromStored(login.user), recipeUserId: new RecipeUserId(login.recipeUserId) };
}

/**
 * Sends the reset email without awaiting it, on every route that sends one: delivery time must
 * not tell an attacker whether the account exists. A failed delivery is logged, never answered.
 */
export function sendResetEmailInBackground(
  engine: Engine,
  options: Pick<APIOptions, "emailDelivery">,
  input: { userId: string; email: string; passwordResetLink: string; tenantId: string; userContext: UserContext },
): void {
  const { userId, email, passwordResetLink, tenantId, userContext } = input;
  options.emailDelivery.ingredientInterfaceImpl
    .sendEmail({ type: "PASSWORD_RESET", user: { id: userId, recipeUserId: undefined, email }, passwordResetLink, tenantId, userContext })
    .catch((error: unknown) => engine.log.error(`Password reset email to user ${userId} could not be delivered`, error));
}

/** The token kind of password-reset tokens in storage. */
export const PASSWORD_RESET_TOKEN_KIND = "password-reset";

/** The sign-in throttle counts password failures under this factor name. */
export const PASSWORD_FACTOR = "password";

/**
 * What a reset request for an unknown email does instead of creating a token: the same reads and
 * writes against ids that match nothing, so the answer's timing does not tell whether the
 * account exists.
 */
export async function simulateResetTokenCreation(engine: Engine, tenantId: string): Promise<void> {
  const nobody = engine.random.uuid();
  const now = engine.clock.now();
  await engine.storage.users.get(nobody);
  // An already-expired token of a user id that exists nowhere, deleted at once: the same insert
  // (and commit) as a real token, and no row left behind.
  await engine.storage.tokens.create({
    kind: PASSWORD_RESET_TOKEN_KIND,
    tokenHash: newResetToken(engine).tokenHash,
    tenantId,
    userId: nobody,
    // A placeholder of an email's length, not the email: nothing about the request is stored.
    identifier: { email: "nobody@example.invalid" },
    expiresAt: now,
    createdAt: now,
  });
  await engine.storage.tokens.revokeForUser(nobody, PASSWORD_RESET_TOKEN_KIND);
}

/** 256-bit reset tokens, URL-safe so they go into links unencoded; only their SHA-256 is stored. */
export function newResetToken(engine: Engine): { token: string; tokenHash: string } {
  const token = engine.random.bytes(32).toString("base64url");
  return { token, tokenHash: sha256Hex(token) };
}

/**
 * Uses a reset token: it and every other reset token of its user are deleted, and a new
 * password hash, if given, is set in the same transaction.
 */
export async function consumeResetToken(
  engine: Engine,
  input: { token: string; tenantId: string; newPasswordHash: string | undefined },
): Promise<{ status: "OK"; userId: string; email: string } | { status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" }> {
  const consumed = await engine.storage.tokens.consume({
    kind: PASSWORD_RESET_TOKEN_KIND,
    tokenHash: sha256Hex(input.token),
    tenantId: input.tenantId,
    now: engine.clock.now(),
    ...(input.newPasswordHash !== undefined ? { andSetSecret: { recipeId: "emailpassword", secretHash: input.newPasswordHash } } : {}),
  });
  const email = consumed?.identifier?.email;
  if (consumed?.userId === undefined || email === undefined) return { status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" };
  return { status: "OK", userId: consumed.userId, email };
}

export function createEmailPasswordRecipeImplementation(engine: Engine, config: TypeNormalisedInput): RecipeInterface {
  const { storage, passwordHasher, clock } = engine;

  const hashPassword = async (password: string): Promise<string> => {
    if (isPasswordTooLong(password)) throw new Error(PASSWORD_TOO_LONG_MESSAGE);
    return passwordHasher.hash(preparePassword(password));
  };

  return {
    async signUp(this: RecipeInterface, { email, password, tenantId, userContext }) {
      return this.createNewRecipeUser({ email, password, tenantId, userContext });
    },

    async createNewRecipeUser({ email, password, tenantId }) {
      const passwordHash = await hashPassword(password);
      const result = await storage.credentials.createUser({
        userId: engine.random.uuid(),
        recipeId: "emailpassword",
        tenantId,
        identifier: { email: normaliseEmail(email) },
        secretHash: passwordHash,
        timeJoined: clock.now(),
      });
      if (result.status !== "OK") return { status: "EMAIL_ALREADY_EXISTS_ERROR" };
      const user = userFromStored(result.user);
      return { status: "OK", user, recipeUserId: new RecipeUserId(result.user.id) };
    },

    async signIn(this: RecipeInterface, { email, password, tenantId, userContext }) {
      return this.verifyCredentials({ email, password, tenantId, userContext });
    },

    async verifyCredentials({ email, password, tenantId }) {
      // Never hash attacker-sized input; the answer does not depend on the account, so nothing leaks.
      if (isPasswordTooLong(password) || emailProblem(email) !== undefined) return { status: "WRONG_CREDENTIALS_ERROR" };
      const prepared = preparePassword(password);
      const login = await storage.credentials.find("emailpassword", tenantId, { email: normaliseEmail(email) });
      return checkPasswordLogin(engine, login, prepared);
    },

    async createResetPasswordToken({ userId, email, tenantId, userContext }) {
      const user = await storage.users.get(userId);
      const login = user?.loginMethods.find(
        (method) => method.recipeId === "emailpassword" && method.tenantIds.includes(tenantId) && method.email === normaliseEmail(email),
      );
      if (user === undefined || login === undefined) return { status: "UNKNOWN_USER_ID_ERROR" };
      // Only the newest link works: a leaked or forwarded older email is useless once a new one is asked for.
      if (config.revokeOlderResetTokens) await storage.tokens.revokeForUser(login.recipeUserId, PASSWORD_RESET_TOKEN_KIND);
      const { token, tokenHash } = newResetToken(engine);
      const now = clock.now();
      await storage.tokens.create({
        kind: PASSWORD_RESET_TOKEN_KIND,
        tokenHash,
        tenantId,
        userId: login.recipeUserId,
        identifier: { email: login.email as string },
        expiresAt: now + (await engine.tenantSettings(tenantId, userContext)).core.passwordResetTokenLifetime,
        createdAt: now,
      });
      return { status: "OK", token };
    },

    async consumePasswordResetToken({ token, tenantId, userContext }) {
      // During a password reset the new hash is already prepared: set it in the token's transaction.
      return consumeResetToken(engine, { token, tenantId, newPasswordHash: preparedPasswordHash(userContext) });
    },

    async updateEmailOrPassword({ recipeUserId, email, password, applyPasswordPolicy, tenantIdForPasswordPolicy, userContext }) {
      let passwordHash: string | undefined;
      if (password !== undefined) {
        if (isPasswordTooLong(password)) return { status: "PASSWORD_POLICY_VIOLATED_ERROR", failureReason: PASSWORD_TOO_LONG_MESSAGE };
        if (applyPasswordPolicy !== false) {
          const failureReason = await fieldById(config.signUpFeature.formFields, "password").validate(
            password,
            tenantIdForPasswordPolicy,
            userContext,
          );
          if (failureReason !== undefined) return { status: "PASSWORD_POLICY_VIOLATED_ERROR", failureReason };
        }
        passwordHash = preparedPasswordHash(userContext, password) ?? (await hashPassword(password));
      }
      const status = await storage.credentials.update("emailpassword", recipeUserId.getAsString(), {
        ...(email !== undefined ? { identifier: { email: normaliseEmail(email) } } : {}),
        ...(passwordHash !== undefined ? { secretHash: passwordHash } : {}),
      });
      if (status === "UNKNOWN_CREDENTIAL") return { status: "UNKNOWN_USER_ID_ERROR" };
      if (status === "IDENTIFIER_TAKEN") return { status: "EMAIL_ALREADY_EXISTS_ERROR" };
      return { status };
    },
  };
}
