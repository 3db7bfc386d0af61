/** Conformance: signing keys (insert-if-absent, newest first, expiry by age). */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { SigningKeyRecord } from "../../storage/storage.js";
import { NOW, HOUR, id, type ConformanceFixtures } from "./fixtures.js";

export function describeSigningKeyConformance(f: ConformanceFixtures): void {
  const { either } = f;
  describe("signing keys", () => {
    function key(createdAt: number): SigningKeyRecord {
      return {
        kid: id("kid"),
        algorithm: "RS256",
        privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${randomUUID()}\n-----END PRIVATE KEY-----\n`,
        publicKeyPem: `-----BEGIN PUBLIC KEY-----\n${randomUUID()}\n-----END PUBLIC KEY-----\n`,
        createdAt,
      };
    }

    it("inserts a key only if its kid is absent, also under concurrency", async () => {
      const original = key(NOW);
      await f.s.signingKeys.insertIfAbsent(original);
      await f.s.signingKeys.insertIfAbsent({ ...original, privateKeyPem: "other", publicKeyPem: "other" });
      const racing = key(NOW);
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => either(i).signingKeys.insertIfAbsent({ ...racing, publicKeyPem: `pem-${i}` })),
      );
      const keys = await f.s.signingKeys.list();
      expect(keys.filter((k) => k.kid === original.kid)).toEqual([original]);
      expect(keys.filter((k) => k.kid === racing.kid)).toHaveLength(1);
    });

    it("lists newest first and deletes keys created before a time", async () => {
      const base = NOW + 10_000 * HOUR;
      const old = key(base);
      const middle = key(base + 1);
      const newest = key(base + 2);
      for (const k of [middle, old, newest]) await f.s.signingKeys.insertIfAbsent(k);
      const kids = [old.kid, middle.kid, newest.kid];
      const ours = (await f.s2.signingKeys.list()).filter((k) => kids.includes(k.kid));
      expect(ours).toEqual([newest, middle, old]);

      expect(await f.s.signingKeys.deleteCreatedBefore(base + 1)).toBeGreaterThanOrEqual(1);
      const left = (await f.s.signingKeys.list()).filter((k) => kids.includes(k.kid));
      expect(left).toEqual([newest, middle]);
    });
  });

}
