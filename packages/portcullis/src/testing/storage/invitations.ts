/** Conformance: invitations per tenant and identifier, one pending at a time, accepted exactly once. */
import { describe, expect, it } from "vitest";
import type { AccountIdentifier, InvitationRecord } from "../../storage/storage.js";
import { HOUR, id, newEmail, newTenant, NOW, type ConformanceFixtures } from "./fixtures.js";

function invitation(tenantId: string, identifier: AccountIdentifier, overrides: Partial<InvitationRecord> = {}): InvitationRecord {
  return {
    invitationId: id("invitation"),
    tenantId,
    identifier,
    roles: ["member"],
    createdAt: NOW,
    expiresAt: NOW + HOUR,
    acceptedAt: null,
    acceptedByUserId: null,
    ...overrides,
  };
}

export function describeInvitationConformance(f: ConformanceFixtures): void {
  const { either } = f;
  describe("invitations", () => {
    it("stores an invitation for an email or a phone number and finds it while live", async () => {
      const tenantId = newTenant();
      const byEmail = invitation(tenantId, { email: newEmail() }, { roles: ["admin", "member"] });
      const byPhone = invitation(tenantId, { phoneNumber: "+14155550123" }, { roles: [] });
      await f.s.invitations.create(byEmail);
      await f.s2.invitations.create(byPhone);
      expect(await f.s2.invitations.get(tenantId, byEmail.invitationId)).toEqual(byEmail);
      expect(await f.s.invitations.findLive(tenantId, byEmail.identifier, NOW)).toEqual(byEmail);
      expect(await f.s.invitations.findLive(tenantId, byPhone.identifier, NOW)).toEqual(byPhone);
      // Live means strictly before expiresAt.
      expect(await f.s.invitations.findLive(tenantId, byEmail.identifier, byEmail.expiresAt)).toBeUndefined();
      expect(await f.s.invitations.findLive(tenantId, { email: newEmail() }, NOW)).toBeUndefined();
    });

    it("is scoped to its tenant", async () => {
      const tenantId = newTenant();
      const other = newTenant();
      const invite = invitation(tenantId, { email: newEmail() });
      await f.s.invitations.create(invite);
      expect(await f.s.invitations.get(other, invite.invitationId)).toBeUndefined();
      expect(await f.s.invitations.findLive(other, invite.identifier, NOW)).toBeUndefined();
      expect(await f.s.invitations.list(other, { includeAccepted: true, includeExpired: true }, NOW)).toEqual([]);
      expect(await f.s.invitations.accept(other, invite.identifier, id("user"), NOW)).toBeUndefined();
      expect(await f.s.invitations.revoke(other, invite.invitationId)).toBe(false);
      expect(await f.s.invitations.findLive(tenantId, invite.identifier, NOW)).toEqual(invite);
    });

    it("a new invitation replaces the pending one of the same identifier, not accepted ones", async () => {
      const tenantId = newTenant();
      const identifier = { email: newEmail() };
      const first = invitation(tenantId, identifier);
      await f.s.invitations.create(first);
      await f.s.invitations.accept(tenantId, identifier, id("user"), NOW);
      const second = invitation(tenantId, identifier, { createdAt: NOW + 1 });
      await f.s.invitations.create(second);
      const third = invitation(tenantId, identifier, { createdAt: NOW + 2, roles: ["admin"] });
      await f.s2.invitations.create(third);
      expect(await f.s.invitations.get(tenantId, second.invitationId)).toBeUndefined();
      expect(await f.s.invitations.findLive(tenantId, identifier, NOW)).toEqual(third);
      expect((await f.s.invitations.list(tenantId, { includeAccepted: true }, NOW)).map((i) => i.invitationId)).toEqual([third.invitationId, first.invitationId]);
    });

    it("leaves exactly one pending invitation when instances invite one identifier concurrently", async () => {
      const tenantId = newTenant();
      const identifier = { phoneNumber: "+442079460000" };
      const invites = Array.from({ length: 8 }, (_, i) => invitation(tenantId, identifier, { createdAt: NOW + i }));
      await Promise.all(invites.map((invite, i) => either(i).invitations.create(invite)));
      const pending = await f.s.invitations.list(tenantId, { includeExpired: true }, NOW);
      expect(pending).toHaveLength(1);
      expect(invites.map((i) => i.invitationId)).toContain(pending[0]?.invitationId);
    });

    it("lists live ones newest first, and accepted or expired ones only when asked", async () => {
      const tenantId = newTenant();
      const live = invitation(tenantId, { email: newEmail() }, { createdAt: NOW + 2 });
      const older = invitation(tenantId, { email: newEmail() }, { createdAt: NOW + 1 });
      const expired = invitation(tenantId, { email: newEmail() }, { createdAt: NOW, expiresAt: NOW + 10 });
      const accepted = invitation(tenantId, { email: newEmail() }, { createdAt: NOW + 3 });
      for (const invite of [live, older, expired, accepted]) await f.s.invitations.create(invite);
      const userId = id("user");
      const acceptedRecord = await f.s.invitations.accept(tenantId, accepted.identifier, userId, NOW + 5);
      expect(acceptedRecord).toEqual({ ...accepted, acceptedAt: NOW + 5, acceptedByUserId: userId });

      const ids = async (options: { includeAccepted?: boolean; includeExpired?: boolean }) =>
        (await f.s2.invitations.list(tenantId, options, NOW + 10)).map((i) => i.invitationId);
      expect(await ids({})).toEqual([live.invitationId, older.invitationId]);
      expect(await ids({ includeAccepted: true })).toEqual([accepted.invitationId, live.invitationId, older.invitationId]);
      expect(await ids({ includeExpired: true })).toEqual([live.invitationId, older.invitationId, expired.invitationId]);
      expect(await ids({ includeAccepted: true, includeExpired: true })).toEqual([accepted.invitationId, live.invitationId, older.invitationId, expired.invitationId]);
    });

    it("accepts only a live invitation, once", async () => {
      const tenantId = newTenant();
      const identifier = { email: newEmail() };
      const invite = invitation(tenantId, identifier);
      await f.s.invitations.create(invite);
      expect(await f.s.invitations.accept(tenantId, identifier, id("user"), invite.expiresAt)).toBeUndefined();
      const userId = id("user");
      expect(await f.s.invitations.accept(tenantId, identifier, userId, NOW + 1)).toMatchObject({ invitationId: invite.invitationId, acceptedAt: NOW + 1, acceptedByUserId: userId });
      expect(await f.s2.invitations.accept(tenantId, identifier, id("user"), NOW + 2)).toBeUndefined();
      expect(await f.s.invitations.findLive(tenantId, identifier, NOW + 2)).toBeUndefined();
      expect(await f.s.invitations.get(tenantId, invite.invitationId)).toMatchObject({ acceptedByUserId: userId });
    });

    it("of concurrent accepts exactly one gets the invitation", async () => {
      const tenantId = newTenant();
      const identifier = { email: newEmail() };
      await f.s.invitations.create(invitation(tenantId, identifier));
      const users = Array.from({ length: 10 }, () => id("user"));
      const results = await Promise.all(users.map((userId, i) => either(i).invitations.accept(tenantId, identifier, userId, NOW + 1)));
      const winners = results.filter((result) => result !== undefined);
      expect(winners).toHaveLength(1);
      expect(users).toContain(winners[0]?.acceptedByUserId);
    });

    it("revokes pending and accepted invitations", async () => {
      const tenantId = newTenant();
      const pending = invitation(tenantId, { email: newEmail() });
      const accepted = invitation(tenantId, { email: newEmail() });
      await f.s.invitations.create(pending);
      await f.s.invitations.create(accepted);
      await f.s.invitations.accept(tenantId, accepted.identifier, id("user"), NOW);
      expect(await f.s.invitations.revoke(tenantId, pending.invitationId)).toBe(true);
      expect(await f.s2.invitations.revoke(tenantId, pending.invitationId)).toBe(false);
      expect(await f.s.invitations.findLive(tenantId, pending.identifier, NOW)).toBeUndefined();
      expect(await f.s.invitations.accept(tenantId, pending.identifier, id("user"), NOW)).toBeUndefined();
      expect(await f.s.invitations.revoke(tenantId, accepted.invitationId)).toBe(true);
      expect(await f.s.invitations.get(tenantId, accepted.invitationId)).toBeUndefined();
    });

    it("sweeps expired pending invitations and keeps accepted ones", async () => {
      const tenantId = newTenant();
      const expired = invitation(tenantId, { email: newEmail() }, { expiresAt: NOW + 10 });
      const accepted = invitation(tenantId, { email: newEmail() }, { expiresAt: NOW + 10 });
      const live = invitation(tenantId, { email: newEmail() }, { expiresAt: NOW + HOUR });
      for (const invite of [expired, accepted, live]) await f.s.invitations.create(invite);
      await f.s.invitations.accept(tenantId, accepted.identifier, id("user"), NOW);
      // The table is shared with other tests: at least ours went.
      expect(await f.s.invitations.deleteExpired(NOW + 10)).toBeGreaterThanOrEqual(1);
      expect(await f.s.invitations.get(tenantId, expired.invitationId)).toBeUndefined();
      expect(await f.s.invitations.get(tenantId, accepted.invitationId)).toBeDefined();
      expect(await f.s.invitations.get(tenantId, live.invitationId)).toBeDefined();
    });

    it("deleting a tenant deletes its invitations", async () => {
      const tenantId = newTenant();
      await f.s.tenants.upsert(tenantId, {}, NOW);
      const invite = invitation(tenantId, { email: newEmail() });
      await f.s.invitations.create(invite);
      expect(await f.s.tenants.delete(tenantId)).toBe(true);
      expect(await f.s.invitations.get(tenantId, invite.invitationId)).toBeUndefined();
      expect(await f.s.invitations.list(tenantId, { includeAccepted: true, includeExpired: true }, NOW)).toEqual([]);
    });
  });
}
