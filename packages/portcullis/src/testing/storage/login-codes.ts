/** Conformance: passwordless devices and their codes: tenant scoping, atomic consume with attempt counting, deletion. */
import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { AccountIdentifier, LoginCode, LoginCodeDevice } from "../../storage/storage.js";
import { HOUR, NOW, at, id, newEmail, newTenant, type ConformanceFixtures } from "./fixtures.js";

const MINUTE = 60_000;
const MAX = 3;

const newPhone = (): string => `+1555${randomInt(1e7).toString().padStart(7, "0")}`;

function code(overrides: Partial<LoginCode> = {}): LoginCode {
  return { codeId: id("code"), linkCodeHash: id("hash"), createdAt: NOW, expiresAt: NOW + 15 * MINUTE, ...overrides };
}

export function describeLoginCodeConformance(f: ConformanceFixtures): void {
  const { either } = f;

  /** Creates a device (fresh tenant and email unless given) with `first` as its first code. */
  async function device(options: { tenantId?: string; identifier?: AccountIdentifier; first?: LoginCode } = {}) {
    const first = options.first ?? code();
    const stored = {
      tenantId: options.tenantId ?? newTenant(),
      preAuthSessionId: id("pre-auth"),
      identifier: options.identifier ?? { email: newEmail() },
      linkCodeSalt: id("salt"),
    };
    await f.s.loginCodes.createDevice(stored, first);
    return { ...stored, first };
  }

  const consume = (
    d: { tenantId: string; preAuthSessionId: string },
    linkCodeHash: string,
    options: { now?: number; countFailure?: boolean; storage?: typeof f.s } = {},
  ) =>
    (options.storage ?? f.s).loginCodes.consumeCode({
      tenantId: d.tenantId,
      preAuthSessionId: d.preAuthSessionId,
      linkCodeHash,
      now: options.now ?? NOW,
      countFailure: options.countFailure ?? true,
      maxFailedAttempts: MAX,
    });

  describe("login codes", () => {
    it("creates a device and reads it back with its codes oldest first, storing only the given hashes", async () => {
      const d = await device();
      const later = code({ createdAt: NOW + MINUTE, expiresAt: NOW + 16 * MINUTE });
      expect(await f.s.loginCodes.addCode(d.tenantId, d.preAuthSessionId, later, NOW)).toBe("OK");
      const expected: LoginCodeDevice = {
        tenantId: d.tenantId,
        preAuthSessionId: d.preAuthSessionId,
        identifier: d.identifier,
        linkCodeSalt: d.linkCodeSalt,
        failedAttempts: 0,
        codes: [d.first, later],
      };
      expect(await f.s2.loginCodes.getDevice(d.tenantId, d.preAuthSessionId)).toEqual(expected);
      expect(await f.s.loginCodes.getDeviceByCodeId(d.tenantId, later.codeId)).toEqual(expected);
      expect(await f.s.loginCodes.getDevice(d.tenantId, id("pre-auth"))).toBeUndefined();
      expect(await f.s.loginCodes.getDeviceByCodeId(d.tenantId, id("code"))).toBeUndefined();
    });

    it("scopes devices and codes to their tenant", async () => {
      const d = await device();
      const other = newTenant();
      const elsewhere = { ...d, tenantId: other };
      expect(await f.s.loginCodes.getDevice(other, d.preAuthSessionId)).toBeUndefined();
      expect(await f.s.loginCodes.getDeviceByCodeId(other, d.first.codeId)).toBeUndefined();
      expect(await f.s.loginCodes.listDevices(other, d.identifier)).toEqual([]);
      expect(await f.s.loginCodes.addCode(other, d.preAuthSessionId, code(), NOW)).toBe("UNKNOWN_DEVICE");
      expect(await consume(elsewhere, d.first.linkCodeHash)).toEqual({ status: "RESTART" });
      expect(await consume(elsewhere, id("wrong"))).toEqual({ status: "RESTART" });
      expect(await f.s.loginCodes.deleteCode(other, d.first.codeId)).toBe(false);
      expect(await f.s.loginCodes.deleteDevice(other, d.preAuthSessionId)).toBe(false);
      expect(await f.s.loginCodes.deleteDevicesOf(other, d.identifier)).toBe(0);
      // Untouched, not even a counted failure.
      expect(await f.s.loginCodes.getDevice(d.tenantId, d.preAuthSessionId)).toMatchObject({ failedAttempts: 0, codes: [d.first] });
    });

    it("adds codes only to a live device, and refuses a hash the device already has", async () => {
      const d = await device({ first: code({ expiresAt: NOW + MINUTE }) });
      expect(await f.s.loginCodes.addCode(d.tenantId, id("pre-auth"), code(), NOW)).toBe("UNKNOWN_DEVICE");
      expect(await f.s.loginCodes.addCode(d.tenantId, d.preAuthSessionId, code({ linkCodeHash: d.first.linkCodeHash }), NOW)).toBe("CODE_TAKEN");
      // Every code expired (expiresAt <= now): the device is as good as gone.
      expect(await f.s.loginCodes.addCode(d.tenantId, d.preAuthSessionId, code(), NOW + MINUTE)).toBe("UNKNOWN_DEVICE");
      expect((await f.s.loginCodes.getDevice(d.tenantId, d.preAuthSessionId))?.codes).toEqual([d.first]);
      // The same hash in another device is no conflict.
      const other = await device({ tenantId: d.tenantId });
      expect(await f.s.loginCodes.addCode(other.tenantId, other.preAuthSessionId, code({ linkCodeHash: d.first.linkCodeHash }), NOW)).toBe("OK");
    });

    it("lists a tenant's devices by email and by phone number, oldest first", async () => {
      const tenantId = newTenant();
      const email = { email: newEmail() };
      const phone = { phoneNumber: newPhone() };
      const second = await device({ tenantId, identifier: email, first: code({ createdAt: NOW + 1 }) });
      const first = await device({ tenantId, identifier: email, first: code({ createdAt: NOW }) });
      const byPhone = await device({ tenantId, identifier: phone });
      await device({ tenantId: newTenant(), identifier: email });
      expect((await f.s.loginCodes.listDevices(tenantId, email)).map((d) => d.preAuthSessionId)).toEqual([first.preAuthSessionId, second.preAuthSessionId]);
      const phones = await f.s.loginCodes.listDevices(tenantId, phone);
      expect(phones.map((d) => [d.preAuthSessionId, d.identifier])).toEqual([[byPhone.preAuthSessionId, phone]]);
      expect(await f.s.loginCodes.listDevices(tenantId, { email: newEmail() })).toEqual([]);
    });

    it("consumes a valid code: OK with the device, and every device of that identifier in the tenant goes", async () => {
      const tenantId = newTenant();
      const identifier = { email: newEmail() };
      const d = await device({ tenantId, identifier });
      const sibling = await device({ tenantId, identifier });
      const otherEmail = await device({ tenantId });
      const otherTenant = await device({ identifier });
      await consume(d, id("wrong"));

      const used = await consume(d, d.first.linkCodeHash, { storage: f.s2 });
      expect(used).toEqual({
        status: "OK",
        device: { tenantId, preAuthSessionId: d.preAuthSessionId, identifier, linkCodeSalt: d.linkCodeSalt, failedAttempts: 1, codes: [d.first] },
      });
      expect(await f.s.loginCodes.getDevice(tenantId, d.preAuthSessionId)).toBeUndefined();
      expect(await f.s.loginCodes.getDevice(tenantId, sibling.preAuthSessionId)).toBeUndefined();
      expect(await f.s.loginCodes.getDeviceByCodeId(tenantId, sibling.first.codeId)).toBeUndefined();
      expect(await f.s.loginCodes.getDevice(tenantId, otherEmail.preAuthSessionId)).toBeDefined();
      expect(await f.s.loginCodes.getDevice(otherTenant.tenantId, otherTenant.preAuthSessionId)).toBeDefined();
      // Used: a second use finds nothing.
      expect(await consume(d, d.first.linkCodeHash)).toEqual({ status: "RESTART" });
    });

    it("consumes by phone number too, clearing only that number's devices", async () => {
      const tenantId = newTenant();
      const phone = { phoneNumber: newPhone() };
      const d = await device({ tenantId, identifier: phone });
      const sibling = await device({ tenantId, identifier: phone });
      const otherPhone = await device({ tenantId, identifier: { phoneNumber: newPhone() } });
      expect(await consume(d, d.first.linkCodeHash)).toMatchObject({ status: "OK", device: { identifier: phone } });
      expect(await f.s.loginCodes.listDevices(tenantId, phone)).toEqual([]);
      expect(await f.s.loginCodes.getDevice(tenantId, sibling.preAuthSessionId)).toBeUndefined();
      expect(await f.s.loginCodes.getDevice(tenantId, otherPhone.preAuthSessionId)).toBeDefined();
    });

    it("counts wrong and expired typed codes, and deletes the device at the limit", async () => {
      const d = await device({ first: code({ expiresAt: NOW + MINUTE }) });
      const fresh = code({ createdAt: NOW + 1, expiresAt: NOW + HOUR });
      expect(await f.s.loginCodes.addCode(d.tenantId, d.preAuthSessionId, fresh, NOW)).toBe("OK");
      expect(await consume(d, id("wrong"))).toEqual({ status: "INCORRECT_CODE", failedAttempts: 1 });
      expect(await consume(d, d.first.linkCodeHash, { now: NOW + MINUTE, storage: f.s2 })).toEqual({ status: "EXPIRED_CODE", failedAttempts: 2 });
      expect((await f.s.loginCodes.getDevice(d.tenantId, d.preAuthSessionId))?.failedAttempts).toBe(2);
      // The failures stay counted; the expired code is not burnt by its failed use.
      expect((await f.s.loginCodes.getDevice(d.tenantId, d.preAuthSessionId))?.codes).toEqual([d.first, fresh]);
      expect(await consume(d, id("wrong"))).toEqual({ status: "RESTART" });
      expect(await f.s.loginCodes.getDevice(d.tenantId, d.preAuthSessionId)).toBeUndefined();
      expect(await f.s.loginCodes.getDeviceByCodeId(d.tenantId, fresh.codeId)).toBeUndefined();
      expect(await consume(d, fresh.linkCodeHash)).toEqual({ status: "RESTART" });
    });

    it("answers RESTART to a wrong link code without counting it", async () => {
      const d = await device();
      expect(await consume(d, id("wrong"), { countFailure: false })).toEqual({ status: "RESTART" });
      expect(await consume(d, d.first.linkCodeHash, { countFailure: false, now: d.first.expiresAt })).toEqual({ status: "RESTART" });
      expect(await f.s.loginCodes.getDevice(d.tenantId, d.preAuthSessionId)).toMatchObject({ failedAttempts: 0, codes: [d.first] });
      expect(await consume(d, d.first.linkCodeHash, { countFailure: false })).toMatchObject({ status: "OK" });
    });

    it("does not reset failed attempts when a new code is added", async () => {
      const d = await device();
      await consume(d, id("wrong"));
      await consume(d, id("wrong"));
      expect(await f.s.loginCodes.addCode(d.tenantId, d.preAuthSessionId, code(), NOW)).toBe("OK");
      expect((await f.s.loginCodes.getDevice(d.tenantId, d.preAuthSessionId))?.failedAttempts).toBe(2);
      expect(await consume(d, id("wrong"))).toEqual({ status: "RESTART" });
    });

    it("gives OK to exactly one of 8 concurrent uses of one code", async () => {
      const d = await device();
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => consume(d, d.first.linkCodeHash, { storage: either(i) })));
      expect(results.filter((result) => result.status === "OK")).toHaveLength(1);
      expect(results.filter((result) => result.status === "RESTART")).toHaveLength(7);
    });

    it("gives OK to exactly one of concurrent uses of different devices of one email", async () => {
      const tenantId = newTenant();
      const identifier = { email: newEmail() };
      const devices = await Promise.all(Array.from({ length: 6 }, () => device({ tenantId, identifier })));
      const results = await Promise.all(devices.map((d, i) => consume(d, d.first.linkCodeHash, { storage: either(i) })));
      expect(results.filter((result) => result.status === "OK")).toHaveLength(1);
      expect(await f.s.loginCodes.listDevices(tenantId, identifier)).toEqual([]);
    });

    it("counts every one of concurrent wrong codes, up to the limit", async () => {
      const d = await device();
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => consume(d, id("wrong"), { storage: either(i) })));
      const counts = results.flatMap((result) => (result.status === "INCORRECT_CODE" ? [result.failedAttempts] : [])).sort((a, b) => a - b);
      expect(counts).toEqual([1, 2]);
      expect(results.filter((result) => result.status === "RESTART")).toHaveLength(4);
      expect(await f.s.loginCodes.getDevice(d.tenantId, d.preAuthSessionId)).toBeUndefined();
    });

    it("deletes a code, and the device with its last code", async () => {
      const d = await device();
      const second = code({ createdAt: NOW + 1 });
      await f.s.loginCodes.addCode(d.tenantId, d.preAuthSessionId, second, NOW);
      expect(await f.s.loginCodes.deleteCode(d.tenantId, d.first.codeId)).toBe(true);
      expect(await f.s.loginCodes.deleteCode(d.tenantId, d.first.codeId)).toBe(false);
      expect((await f.s.loginCodes.getDevice(d.tenantId, d.preAuthSessionId))?.codes).toEqual([second]);
      expect(await f.s2.loginCodes.deleteCode(d.tenantId, second.codeId)).toBe(true);
      expect(await f.s.loginCodes.getDevice(d.tenantId, d.preAuthSessionId)).toBeUndefined();
      expect(await f.s.loginCodes.deleteCode(d.tenantId, id("code"))).toBe(false);
    });

    it("deletes a device, and every device of an identifier", async () => {
      const tenantId = newTenant();
      const identifier = { email: newEmail() };
      const d = await device({ tenantId, identifier });
      expect(await f.s.loginCodes.deleteDevice(tenantId, d.preAuthSessionId)).toBe(true);
      expect(await f.s.loginCodes.deleteDevice(tenantId, d.preAuthSessionId)).toBe(false);
      expect(await f.s.loginCodes.getDeviceByCodeId(tenantId, d.first.codeId)).toBeUndefined();

      const devices = [await device({ tenantId, identifier }), await device({ tenantId, identifier })];
      const other = await device({ tenantId });
      const otherTenant = await device({ identifier });
      expect(await f.s.loginCodes.deleteDevicesOf(tenantId, identifier)).toBe(2);
      expect(await f.s.loginCodes.deleteDevicesOf(tenantId, identifier)).toBe(0);
      for (const gone of devices) expect(await f.s.loginCodes.getDeviceByCodeId(tenantId, gone.first.codeId)).toBeUndefined();
      expect(await f.s.loginCodes.getDevice(tenantId, other.preAuthSessionId)).toBeDefined();
      expect(await f.s.loginCodes.getDevice(otherTenant.tenantId, otherTenant.preAuthSessionId)).toBeDefined();
    });

    it("sweeps devices none of whose codes is live, keeping a live device's expired codes", async () => {
      // The sweep is global: these devices live hours before every other test's clock, and the
      // sweep runs at a time when every other test's codes are still live.
      const then = NOW - 3 * HOUR;
      const sweepAt = NOW - HOUR;
      const tenantId = newTenant();
      const dead = await device({ tenantId, first: code({ createdAt: then, expiresAt: sweepAt - HOUR }) });
      const live = await device({ tenantId, first: code({ createdAt: then, expiresAt: sweepAt }) });
      const fresh = code({ createdAt: then + 1, expiresAt: sweepAt + 1 });
      expect(await f.s.loginCodes.addCode(tenantId, live.preAuthSessionId, fresh, then)).toBe("OK");
      expect(await f.s2.loginCodes.deleteExpired(sweepAt)).toBeGreaterThanOrEqual(1);
      expect(await f.s.loginCodes.getDevice(tenantId, dead.preAuthSessionId)).toBeUndefined();
      expect(await f.s.loginCodes.getDeviceByCodeId(tenantId, dead.first.codeId)).toBeUndefined();
      expect((await f.s.loginCodes.getDevice(tenantId, live.preAuthSessionId))?.codes).toEqual([live.first, fresh]);
      // At the exact expiry a code is over: the last live one going takes the device.
      await f.s.loginCodes.deleteExpired(sweepAt + 1);
      expect(await f.s.loginCodes.getDevice(tenantId, live.preAuthSessionId)).toBeUndefined();
    });

    it("deleting a tenant deletes its devices and codes", async () => {
      const tenantId = newTenant();
      await f.s.tenants.upsert(tenantId, {}, NOW);
      const d = await device({ tenantId });
      const kept = await device({ identifier: d.identifier });
      expect(await f.s.tenants.delete(tenantId)).toBe(true);
      expect(await f.s.loginCodes.getDevice(tenantId, d.preAuthSessionId)).toBeUndefined();
      expect(await f.s.loginCodes.getDeviceByCodeId(tenantId, d.first.codeId)).toBeUndefined();
      expect(await f.s.loginCodes.listDevices(tenantId, d.identifier)).toEqual([]);
      expect(at(await f.s.loginCodes.listDevices(kept.tenantId, d.identifier), 0).preAuthSessionId).toBe(kept.preAuthSessionId);
    });
  });
}
