/** Conformance: the development outbox. */
import { describe, expect, it } from "vitest";
import type { OutboxMessage } from "../../storage/storage.js";
import { NOW, HOUR, id, at, type ConformanceFixtures } from "./fixtures.js";

export function describeOutboxConformance(f: ConformanceFixtures): void {
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
      for (const m of [1, 0, 2].map((i) => at(messages, i))) await f.s.outbox.insert(m);
      expect(await f.s2.outbox.listNewest(2)).toEqual([messages[2], messages[1]]);
      expect((await f.s.outbox.listNewest(10)).slice(0, 3)).toEqual([messages[2], messages[1], messages[0]]);
    });

    it("deletes only the messages created before the cut-off, and says how many", async () => {
      const base = NOW + 40_000 * HOUR;
      const make = (offset: number): OutboxMessage => ({
        id: id("old"),
        channel: "email",
        recipient: "retention@example.com",
        subject: `At ${offset}`,
        textBody: "link",
        htmlBody: undefined,
        createdAt: base + offset,
      });
      const [older, oldest, kept] = [make(-2), make(-3), make(0)];
      for (const m of [older, oldest, kept]) await f.s.outbox.insert(m as OutboxMessage);
      // Other suites' messages are older still: count only ours.
      const before = (await f.s.outbox.listNewest(1000)).filter((m) => m.recipient === "retention@example.com").length;
      const deleted = await f.s2.outbox.deleteCreatedBefore(base);
      expect(deleted).toBeGreaterThanOrEqual(2);
      const remaining = (await f.s.outbox.listNewest(1000)).filter((m) => m.recipient === "retention@example.com");
      expect(before).toBe(3);
      expect(remaining).toEqual([kept]);
    });
  });
}
