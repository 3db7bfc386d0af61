import { afterAll, beforeAll } from "vitest";
import { sqliteFileDatabase, type TestDatabase } from "./databases.js";
import { startConformanceApp, type ConformanceAppOptions, type TestApp } from "../../src/testing/conformance-app.js";
import { mountExpress } from "../adapters/mounts.js";

export { credentials, type TestApp } from "../../src/testing/conformance-app.js";

/**
 * A real Express server on a random port around one Portcullis instance, with a hand-moved clock.
 * `/protected` verifies statelessly; `/protected-db` verifies with checkDatabase.
 */
export function startTestApp(options: ConformanceAppOptions): Promise<TestApp> {
  return startConformanceApp(mountExpress, options);
}

/**
 * One app on a fresh database from `makeDatabase` for a whole `describe` block, closed and
 * dropped afterwards. Returns a getter, because the app only exists once beforeAll has run.
 */
export function useTestApp(makeDatabase: () => TestDatabase, options: Omit<ConformanceAppOptions, "database"> = {}): () => TestApp & { database: TestDatabase } {
  let database: TestDatabase;
  let app: TestApp;
  beforeAll(async () => {
    database = makeDatabase();
    app = await startTestApp({ ...options, database: database.url });
  });
  afterAll(async () => {
    await app.close();
    await database.cleanup();
  });
  return () => Object.assign(app, { database });
}

/** useTestApp on a fresh SQLite file. */
export function useSqliteTestApp(options: Omit<ConformanceAppOptions, "database"> = {}): () => TestApp {
  return useTestApp(sqliteFileDatabase, options);
}
