/**
 * The behaviour every Storage implementation must show, as a vitest suite. An implementation's
 * test file calls describeStorageConformance with a factory; the tests themselves live in
 * ./conformance/, one file per area of the contract.
 *
 * The suite shares one database between its tests (so it can also run several instances
 * against it at once): tests work in their own random tenants, emails and ids, and never assume
 * the database is otherwise empty.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtures, newTenant, NOW } from "./conformance/fixtures.js";
import { describeKeyAndOutboxConformance } from "./conformance/keys-and-outbox.js";
import { describeListUsersConformance } from "./conformance/list-users.js";
import { describeResetTokenConformance } from "./conformance/reset-tokens.js";
import { describeSessionConformance } from "./conformance/sessions.js";
import { describeTenantConformance } from "./conformance/tenants.js";
import { describeUserConformance } from "./conformance/users.js";
import type { Storage } from "./storage.js";

/**
 * @param makeStorage returns a NEW, not yet migrated instance on the suite's database; every
 *   call within one suite must reach the same database. The suite closes what it makes.
 */
export function describeStorageConformance(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`Storage conformance: ${name}`, () => {
    const control = createFixtures(makeStorage);
    const f = control.fixtures;
    let firstMigration: PromiseSettledResult<void>[] = [];

    beforeAll(async () => {
      const s = await f.open();
      const s2 = await f.open();
      control.setInstances(s, s2);
      // The very first migration of the database, from two instances at the same moment.
      firstMigration = await Promise.allSettled([s.migrate(), s2.migrate()]);
      for (const result of firstMigration) if (result.status === "rejected") throw result.reason;
    });

    afterAll(() => control.closeAll());

    describe("migrate", () => {
      it("lets two instances run the first migration at the same moment", () => {
        expect(firstMigration.map((result) => result.status)).toEqual(["fulfilled", "fulfilled"]);
      });

      it("is idempotent, also when three more instances run it concurrently, and keeps data", async () => {
        const tenantId = newTenant();
        await f.s.upsertTenant(tenantId, { kept: true }, NOW);
        const others = await Promise.all([f.open(), f.open(), f.open()]);
        await Promise.all([...others.map((other) => other.migrate()), f.s.migrate()]);
        for (const other of others) expect((await other.getTenant(tenantId))?.config).toEqual({ kept: true });
      });
    });

    describeTenantConformance(f);
    describeUserConformance(f);
    describeListUsersConformance(f);
    describeResetTokenConformance(f);
    describeSessionConformance(f);
    describeKeyAndOutboxConformance(f);

    describe("close", () => {
      it("can be called twice", async () => {
        const extra = await f.open();
        await extra.migrate();
        await extra.close();
        await extra.close();
      });
    });
  });
}
