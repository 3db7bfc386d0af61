/** Conformance: signing keys (insert-if-absent) and the development outbox. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { OutboxMessage, SigningKeyRecord } from "../storage.js";
import { NOW, HOUR, id, at, type ConformanceFixtures } from "./fixtures.js";

export function describeKeyAndOutboxConformance(f: ConformanceFixtures): void {
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
      await f.s.insertSigningKeyIfAbsent(original);
      await f.s.insertSigningKeyIfAbsent({ ...original, privateKeyPem: "other", publicKeyPem: "other" });
      const racing = key(NOW);
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => either(i).insertSigningKeyIfAbsent({ ...racing, publicKeyPem: `pem-${i}` })),
      );
      const keys = await f.s.listSigningKeys();
      expect(keys.filter((k) => k.kid === original.kid)).toEqual([original]);
      expect(keys.filter((k) => k.kid === racing.kid)).toHaveLength(1);
    });

    it("lists newest first and deletes keys created before a time", async () => {
      const base = NOW + 10_000 * HOUR;
      const old = key(base);
      const middle = key(base + 1);
      const newest = key(base + 2);
      for (const k of [middle, old, newest]) await f.s.insertSigningKeyIfAbsent(k);
      const kids = [old.kid, middle.kid, newest.kid];
      const ours = (await f.s2.listSigningKeys()).filter((k) => kids.includes(k.kid));
      expect(ours).toEqual([newest, middle, old]);

      expect(await f.s.deleteSigningKeysCreatedBefore(base + 1)).toBeGreaterThanOrEqual(1);
      const left = (await f.s.listSigningKeys()).filter((k) => kids.includes(k.kid));
      expect(left).toEqual([newest, middle]);
    });
  });

  describe("outbox", () => {
    it("returns messages newest first, up to the limit", async () => {
      const base = NOW + 20_000 * HOUR;
      const message = (i: number, htmlBody: string | undefined): OutboxMessage => ({
        id: id("msg"),
        channel: i % 2 === 0 ? "email" : "sms",
        recipient: `r${i}@example.com`,
        subject: `Subject ${i}`,
        textBody: `Body ${i}`,
        htmlBody,
        createdAt: base + i,
      });
      const messages = [message(0, "<p>0</p>"), message(1, undefined), message(2, "<p>2</p>")];
      for (const m of [1, 0, 2].map((i) => at(messages, i))) await f.s.insertOutboxMessage(m);
      expect(await f.s2.listOutboxMessages(2)).toEqual([messages[2], messages[1]]);
      expect((await f.s.listOutboxMessages(10)).slice(0, 3)).toEqual([messages[2], messages[1], messages[0]]);
    });
  });
}
