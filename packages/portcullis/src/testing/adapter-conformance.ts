import { describe } from "vitest";
import type { MountApp } from "./conformance-app.js";
import { databaseVariants, type TestDatabase } from "./databases.js";
import { describeEmailPasswordContract } from "./fdi/emailpassword-contract.js";
import { describePasswordlessContract } from "./fdi/passwordless-contract.js";
import { describeAntiCsrfContract, describeSessionContract } from "./fdi/session-contract.js";

export interface AdapterConformanceOptions {
  /** Database factories to run on; default: a fresh SQLite file, plus PostgreSQL when it answers (required under CI=true). */
  databases?: (() => TestDatabase)[];
}

/**
 * Runs the FDI 4.2 contract (email-password, sessions, anti-CSRF, passwordless, claims) over an adapter. `mount` puts a
 * ready instance on the framework: the auth routes under `/auth` plus CONFORMANCE_ROUTES. Await it
 * at the top level of a vitest file:
 *
 * @example
 * await describeAdapterConformance("express", async (auth) => { ...; return { baseUrl, close } });
 */
export async function describeAdapterConformance(name: string, mount: MountApp, options: AdapterConformanceOptions = {}): Promise<void> {
  const variants = options.databases ?? (await databaseVariants());
  describe(`adapter conformance: ${name}`, () => {
    describe.each(variants.map((make) => [make().name, make] as const))("on %s", (_database, makeDatabase) => {
      describeEmailPasswordContract(mount, makeDatabase);
      describeSessionContract(mount, makeDatabase);
      describePasswordlessContract(mount, makeDatabase);
    });
    describeAntiCsrfContract(mount);
  });
}
