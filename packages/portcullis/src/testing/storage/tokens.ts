/** Conformance: single-use tokens by kind: the reset flow (consume + set secret atomically), binding, revocation. */
import { describe, expect, it } from "vitest";
import { NOW, HOUR, INVALID, RESET, consumeReset, id, newTenant, newEmail, at, type ConformanceFixtures } from "./fixtures.js";

export function describeTokenConformance(f: ConformanceFixtures): void {
  const { createUser, resetToken, either } = f;
  describe("email verification tokens (consume with andMarkVerified)", () => {
    const KIND = "email-verification";
    const verificationToken = (userId: string, tenantId: string, email: string, expiresAt = NOW + HOUR) => ({
      ...resetToken(userId, tenantId, { email, expiresAt }),
      kind: KIND,
    });

    it("marks the token's (user, email) verified in the same step, once, and retires the user's other tokens", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      const userId = id("user");
      const first = verificationToken(userId, tenantId, email);
      const second = verificationToken(userId, tenantId, email);
      await f.s.tokens.create(first);
      await f.s.tokens.create(second);
      const used = await f.s.tokens.consume({ kind: KIND, tokenHash: first.tokenHash, tenantId, now: NOW, andMarkVerified: true });
      expect(used).toMatchObject({ userId, identifier: { email } });
      expect(await f.s.emailVerification.isVerified(userId, email)).toBe(true);
      expect(await f.s.tokens.consume({ kind: KIND, tokenHash: first.tokenHash, tenantId, now: NOW, andMarkVerified: true })).toBeUndefined();
      expect(await f.s.tokens.consume({ kind: KIND, tokenHash: second.tokenHash, tenantId, now: NOW, andMarkVerified: true })).toBeUndefined();
    });

    it("marks nothing for an expired token, another tenant's, or another kind's", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      const userId = id("user");
      const expired = verificationToken(userId, tenantId, email, NOW);
      await f.s.tokens.create(expired);
      expect(await f.s.tokens.consume({ kind: KIND, tokenHash: expired.tokenHash, tenantId, now: NOW, andMarkVerified: true })).toBeUndefined();
      const live = verificationToken(userId, tenantId, email);
      await f.s.tokens.create(live);
      expect(await f.s.tokens.consume({ kind: KIND, tokenHash: live.tokenHash, tenantId: newTenant(), now: NOW, andMarkVerified: true })).toBeUndefined();
      expect(await f.s.tokens.consume({ kind: RESET, tokenHash: live.tokenHash, tenantId, now: NOW, andMarkVerified: true })).toBeUndefined();
      expect(await f.s.emailVerification.isVerified(userId, email)).toBe(false);
      // Refused elsewhere, not burnt: the owner's tenant still takes it.
      expect(await f.s2.tokens.consume({ kind: KIND, tokenHash: live.tokenHash, tenantId, now: NOW, andMarkVerified: true })).toBeDefined();
      expect(await f.s.emailVerification.isVerified(userId, email)).toBe(true);
    });
  });

  describe("password reset tokens", () => {
    async function userWithTokens(count: number, expiresAt = NOW + HOUR) {
      const tenantId = newTenant();
      const email = newEmail();
      const user = await createUser(tenantId, email, { passwordHash: "old" });
      const tokens = [];
      for (let i = 0; i < count; i++) {
        const token = resetToken(user.id, tenantId, { email, expiresAt });
        await f.s.tokens.create(token);
        tokens.push(token);
      }
      return { tenantId, email, user, tokens };
    }

    it("consumes a valid token, sets the password, and retires every token of the user", async () => {
      const { tenantId, email, user, tokens } = await userWithTokens(2);
      expect(
        await consumeReset(f.s, { tokenHash: at(tokens, 0).tokenHash, tenantId, now: NOW, newPasswordHash: "new" }),
      ).toEqual({ status: "OK", userId: user.id, email });
      expect(await f.s.credentials.getSecretHash(user.id)).toBe("new");
      expect(await consumeReset(f.s, { tokenHash: at(tokens, 1).tokenHash, tenantId, now: NOW })).toEqual(INVALID);
    });

    it("leaves the password alone when no new hash is given", async () => {
      const { tenantId, email, user, tokens } = await userWithTokens(1);
      expect(await consumeReset(f.s, { tokenHash: at(tokens, 0).tokenHash, tenantId, now: NOW })).toEqual({
        status: "OK",
        userId: user.id,
        email,
      });
      expect(await f.s.credentials.getSecretHash(user.id)).toBe("old");
    });

    it("treats an expired token as invalid and still deletes the user's tokens", async () => {
      const { tenantId, user, tokens } = await userWithTokens(1, NOW);
      const fresh = resetToken(user.id, tenantId);
      await f.s.tokens.create(fresh);
      expect(
        await consumeReset(f.s, { tokenHash: at(tokens, 0).tokenHash, tenantId, now: NOW, newPasswordHash: "x" }),
      ).toEqual(INVALID);
      expect(await f.s.credentials.getSecretHash(user.id)).toBe("old");
      // Deleted, not just refused: even an earlier clock cannot use it now; the other token is gone too.
      expect(await consumeReset(f.s, { tokenHash: at(tokens, 0).tokenHash, tenantId, now: NOW - HOUR })).toEqual(
        INVALID,
      );
      expect(await consumeReset(f.s, { tokenHash: fresh.tokenHash, tenantId, now: NOW })).toEqual(INVALID);
    });

    it("treats a token presented to another tenant as invalid without burning it", async () => {
      const { tenantId, user, tokens } = await userWithTokens(1);
      expect(
        await consumeReset(f.s, { tokenHash: at(tokens, 0).tokenHash, tenantId: newTenant(), now: NOW, newPasswordHash: "x" }),
      ).toEqual(INVALID);
      expect(await f.s.credentials.getSecretHash(user.id)).toBe("old");
      expect(await consumeReset(f.s, { tokenHash: at(tokens, 0).tokenHash, tenantId, now: NOW })).toMatchObject({
        status: "OK",
      });
    });

    it("refuses a replayed or unknown token", async () => {
      const { tenantId, tokens } = await userWithTokens(1);
      const input = { tokenHash: at(tokens, 0).tokenHash, tenantId, now: NOW };
      expect(await consumeReset(f.s, input)).toMatchObject({ status: "OK" });
      expect(await consumeReset(f.s, input)).toEqual(INVALID);
      expect(await consumeReset(f.s, { ...input, tokenHash: id("token") })).toEqual(INVALID);
    });

    it("gives OK to exactly one of 10 concurrent consumers of one token", async () => {
      const { tenantId, user, tokens } = await userWithTokens(1);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          consumeReset(either(i), { tokenHash: at(tokens, 0).tokenHash, tenantId, now: NOW, newPasswordHash: `p${i}` }),
        ),
      );
      const winners = results.flatMap((result, i) => (result.status === "OK" ? [i] : []));
      expect(winners).toHaveLength(1);
      expect(await f.s.credentials.getSecretHash(user.id)).toBe(`p${winners[0]}`);
    });

    it("survives concurrent consumption of different tokens of one user: one OK, no errors", async () => {
      const { tenantId, tokens } = await userWithTokens(6);
      const results = await Promise.all(
        tokens.map((token, i) =>
          consumeReset(either(i), { tokenHash: token.tokenHash, tenantId, now: NOW, newPasswordHash: `p${i}` }),
        ),
      );
      expect(results.filter((result) => result.status === "OK")).toHaveLength(1);
    });
  });

  describe("reading a token without using it", () => {
    it("finds a live token by kind, hash and tenant, from any instance, and leaves it usable", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      const user = await createUser(tenantId, email, { passwordHash: "old" });
      const token = resetToken(user.id, tenantId, { email });
      await f.s.tokens.create(token);
      expect(await f.s2.tokens.find(RESET, token.tokenHash, tenantId, NOW)).toEqual(token);
      expect(await f.s.tokens.find(RESET, token.tokenHash, tenantId, NOW)).toEqual(token);
      // Not consumed: the reset still works afterwards, and then the token is gone for find too.
      expect(await consumeReset(f.s, { tokenHash: token.tokenHash, tenantId, now: NOW, newPasswordHash: "new" })).toEqual({
        status: "OK",
        userId: user.id,
        email,
      });
      expect(await f.s.tokens.find(RESET, token.tokenHash, tenantId, NOW)).toBeUndefined();
    });

    it("does not find an expired token, one of another tenant or kind, or an unknown hash", async () => {
      const tenantId = newTenant();
      const user = await createUser(tenantId);
      const token = resetToken(user.id, tenantId, { expiresAt: NOW + HOUR });
      await f.s.tokens.create(token);
      expect(await f.s.tokens.find(RESET, token.tokenHash, tenantId, NOW + HOUR - 1)).toEqual(token);
      expect(await f.s.tokens.find(RESET, token.tokenHash, tenantId, NOW + HOUR)).toBeUndefined();
      expect(await f.s.tokens.find(RESET, token.tokenHash, newTenant(), NOW)).toBeUndefined();
      expect(await f.s.tokens.find("passwordless-code", token.tokenHash, tenantId, NOW)).toBeUndefined();
      expect(await f.s.tokens.find(RESET, id("token"), tenantId, NOW)).toBeUndefined();
      // Looking elsewhere burnt nothing: the owner's token still works in its tenant.
      expect(await consumeReset(f.s, { tokenHash: token.tokenHash, tenantId, now: NOW })).toMatchObject({ status: "OK" });
    });
  });

  describe("tokens of other kinds", () => {
    it("consume returns the stored token, once", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      const user = await createUser(tenantId, email);
      const token = resetToken(user.id, tenantId, { email });
      await f.s.tokens.create(token);
      expect(await f.s2.tokens.consume({ kind: RESET, tokenHash: token.tokenHash, tenantId, now: NOW })).toEqual(token);
      expect(await f.s.tokens.consume({ kind: RESET, tokenHash: token.tokenHash, tenantId, now: NOW })).toBeUndefined();
    });

    it("keys tokens by kind: another kind neither finds nor retires them", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      const user = await createUser(tenantId, email, { passwordHash: "old" });
      const reset = resetToken(user.id, tenantId, { email });
      const code = { ...resetToken(user.id, tenantId, { email }), kind: "passwordless-code" };
      await f.s.tokens.create(reset);
      await f.s.tokens.create(code);
      expect(await f.s.tokens.consume({ kind: "passwordless-code", tokenHash: reset.tokenHash, tenantId, now: NOW })).toBeUndefined();
      expect(await f.s.tokens.consume({ kind: "passwordless-code", tokenHash: code.tokenHash, tenantId, now: NOW })).toEqual(code);
      // Consuming the code retired the user's other codes only, not the reset token.
      expect(await consumeReset(f.s, { tokenHash: reset.tokenHash, tenantId, now: NOW })).toEqual({ status: "OK", userId: user.id, email });
    });

    it("holds tokens without a user, bound to a phone number", async () => {
      const tenantId = newTenant();
      const token = {
        kind: "passwordless-code",
        tokenHash: id("token"),
        tenantId,
        userId: undefined,
        identifier: { phoneNumber: "+15550001111" },
        expiresAt: NOW + HOUR,
        createdAt: NOW,
      };
      await f.s.tokens.create(token);
      // A token without a user cannot set anyone's secret: refused, and burnt.
      expect(
        await f.s.tokens.consume({ kind: token.kind, tokenHash: token.tokenHash, tenantId, now: NOW, andSetSecret: { recipeId: "emailpassword", secretHash: "x" } }),
      ).toBeUndefined();
      const again = { ...token, tokenHash: id("token") };
      await f.s.tokens.create(again);
      expect(await f.s2.tokens.consume({ kind: token.kind, tokenHash: again.tokenHash, tenantId, now: NOW })).toEqual(again);
    });

    it("does not set the secret of a login method of another recipe", async () => {
      const tenantId = newTenant();
      const email = newEmail();
      const user = await createUser(tenantId, email, { passwordHash: "old" });
      const token = resetToken(user.id, tenantId, { email });
      await f.s.tokens.create(token);
      expect(
        await f.s.tokens.consume({ kind: RESET, tokenHash: token.tokenHash, tenantId, now: NOW, andSetSecret: { recipeId: "passwordless", secretHash: "x" } }),
      ).toBeUndefined();
      expect(await f.s.credentials.getSecretHash(user.id)).toBe("old");
    });

    it("revokes a user's tokens of one kind, or of every kind", async () => {
      const tenantId = newTenant();
      const user = await createUser(tenantId);
      const other = await createUser(tenantId);
      const reset = resetToken(user.id, tenantId);
      const code = { ...resetToken(user.id, tenantId), kind: "passwordless-code" };
      const othersToken = resetToken(other.id, tenantId);
      for (const token of [reset, code, othersToken]) await f.s.tokens.create(token);

      expect(await f.s.tokens.revokeForUser(user.id, "passwordless-code")).toBe(1);
      expect(await f.s.tokens.consume({ kind: code.kind, tokenHash: code.tokenHash, tenantId, now: NOW })).toBeUndefined();
      expect(await f.s2.tokens.revokeForUser(user.id, undefined)).toBe(1);
      expect(await f.s.tokens.consume({ kind: RESET, tokenHash: reset.tokenHash, tenantId, now: NOW })).toBeUndefined();
      expect(await f.s.tokens.revokeForUser(user.id, undefined)).toBe(0);
      expect(await f.s.tokens.consume({ kind: RESET, tokenHash: othersToken.tokenHash, tenantId, now: NOW })).toEqual(othersToken);
    });
  });
}
