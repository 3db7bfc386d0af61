/** Conformance: password reset tokens, single use under concurrency and bound to their tenant. */
import { describe, expect, it } from "vitest";
import { NOW, HOUR, id, newTenant, newEmail, at, type ConformanceFixtures } from "./fixtures.js";

export function describeResetTokenConformance(f: ConformanceFixtures): void {
  const { createUser, resetToken, either } = f;
  describe("password reset tokens", () => {
    async function userWithTokens(count: number, expiresAt = NOW + HOUR) {
      const tenantId = newTenant();
      const email = newEmail();
      const user = await createUser(tenantId, email, { passwordHash: "old" });
      const tokens = [];
      for (let i = 0; i < count; i++) {
        const token = resetToken(user.id, tenantId, { email, expiresAt });
        await f.s.createPasswordResetToken(token);
        tokens.push(token);
      }
      return { tenantId, email, user, tokens };
    }
    const INVALID = { status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" };

    it("consumes a valid token, sets the password, and retires every token of the user", async () => {
      const { tenantId, email, user, tokens } = await userWithTokens(2);
      expect(
        await f.s.consumePasswordResetToken({ tokenHash: at(tokens, 0).tokenHash, tenantId, now: NOW, newPasswordHash: "new" }),
      ).toEqual({ status: "OK", userId: user.id, email });
      expect(await f.s.getPasswordHash(user.id)).toBe("new");
      expect(await f.s.consumePasswordResetToken({ tokenHash: at(tokens, 1).tokenHash, tenantId, now: NOW })).toEqual(INVALID);
    });

    it("leaves the password alone when no new hash is given", async () => {
      const { tenantId, email, user, tokens } = await userWithTokens(1);
      expect(await f.s.consumePasswordResetToken({ tokenHash: at(tokens, 0).tokenHash, tenantId, now: NOW })).toEqual({
        status: "OK",
        userId: user.id,
        email,
      });
      expect(await f.s.getPasswordHash(user.id)).toBe("old");
    });

    it("treats an expired token as invalid and still deletes the user's tokens", async () => {
      const { tenantId, user, tokens } = await userWithTokens(1, NOW);
      const fresh = resetToken(user.id, tenantId);
      await f.s.createPasswordResetToken(fresh);
      expect(
        await f.s.consumePasswordResetToken({ tokenHash: at(tokens, 0).tokenHash, tenantId, now: NOW, newPasswordHash: "x" }),
      ).toEqual(INVALID);
      expect(await f.s.getPasswordHash(user.id)).toBe("old");
      // Deleted, not just refused: even an earlier clock cannot use it now; the other token is gone too.
      expect(await f.s.consumePasswordResetToken({ tokenHash: at(tokens, 0).tokenHash, tenantId, now: NOW - HOUR })).toEqual(
        INVALID,
      );
      expect(await f.s.consumePasswordResetToken({ tokenHash: fresh.tokenHash, tenantId, now: NOW })).toEqual(INVALID);
    });

    it("treats a token presented to another tenant as invalid without burning it", async () => {
      const { tenantId, user, tokens } = await userWithTokens(1);
      expect(
        await f.s.consumePasswordResetToken({ tokenHash: at(tokens, 0).tokenHash, tenantId: newTenant(), now: NOW, newPasswordHash: "x" }),
      ).toEqual(INVALID);
      expect(await f.s.getPasswordHash(user.id)).toBe("old");
      expect(await f.s.consumePasswordResetToken({ tokenHash: at(tokens, 0).tokenHash, tenantId, now: NOW })).toMatchObject({
        status: "OK",
      });
    });

    it("refuses a replayed or unknown token", async () => {
      const { tenantId, tokens } = await userWithTokens(1);
      const input = { tokenHash: at(tokens, 0).tokenHash, tenantId, now: NOW };
      expect(await f.s.consumePasswordResetToken(input)).toMatchObject({ status: "OK" });
      expect(await f.s.consumePasswordResetToken(input)).toEqual(INVALID);
      expect(await f.s.consumePasswordResetToken({ ...input, tokenHash: id("token") })).toEqual(INVALID);
    });

    it("gives OK to exactly one of 10 concurrent consumers of one token", async () => {
      const { tenantId, user, tokens } = await userWithTokens(1);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          either(i).consumePasswordResetToken({ tokenHash: at(tokens, 0).tokenHash, tenantId, now: NOW, newPasswordHash: `p${i}` }),
        ),
      );
      const winners = results.flatMap((result, i) => (result.status === "OK" ? [i] : []));
      expect(winners).toHaveLength(1);
      expect(await f.s.getPasswordHash(user.id)).toBe(`p${winners[0]}`);
    });

    it("survives concurrent consumption of different tokens of one user: one OK, no errors", async () => {
      const { tenantId, tokens } = await userWithTokens(6);
      const results = await Promise.all(
        tokens.map((token, i) =>
          either(i).consumePasswordResetToken({ tokenHash: token.tokenHash, tenantId, now: NOW, newPasswordHash: `p${i}` }),
        ),
      );
      expect(results.filter((result) => result.status === "OK")).toHaveLength(1);
    });
  });
}
