/**
 * The behaviour every Storage implementation must show, as a vitest suite. An implementation's
 * test file calls describeStorageConformance with a factory; the tests themselves live beside
 * this file, one per port.
 *
 * The suite shares one database between its tests (so it can also run several instances
 * against it at once): tests work in their own random tenants, emails and ids, and never assume
 * the database is otherwise empty.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Storage } from "../../storage/storage.js";
import { describeCounterConformance } from "./counters.js";
import { describeCredentialConformance } from "./credentials.js";
import { createFixtures, newTenant, NOW } from "./fixtures.js";
import { describeLoginCodeConformance } from "./login-codes.js";
import { describeInvitationConformance } from "./invitations.js";
import { describeOutboxConformance } from "./outbox.js";
import { describePhoneCodeConformance } from "./phone-codes.js";
import { describeRoleConformance } from "./roles.js";
import { describeSessionConformance } from "./sessions.js";
import { describeSigningKeyConformance } from "./signing-keys.js";
import { describeTenantConformance } from "./tenants.js";
import { describeTokenConformance } from "./tokens.js";
import { describeUserConformance } from "./users.js";

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
        await f.s.tenants.upsert(tenantId, { kept: true }, NOW);
        const others = await Promise.all([f.open(), f.open(), f.open()]);
        await Promise.all([...others.map((other) => other.migrate()), f.s.migrate()]);
        for (const other of others) expect((await other.tenants.get(tenantId))?.config).toEqual({ kept: true });
      });
    });

    describeTenantConformance(f);
    describeUserConformance(f);
    describeCredentialConformance(f);
    describeTokenConformance(f);
    describeSessionConformance(f);
    describeSigningKeyConformance(f);
    describeOutboxConformance(f);
    describeCounterConformance(f);
    describeRoleConformance(f);
    describeLoginCodeConformance(f);
    describeInvitationConformance(f);
    describePhoneCodeConformance(f);

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
