/**
 * `portcullis/testing`: the suites every implementation must pass, for vitest (an optional peer).
 * - describeAdapterConformance(name, mount): the FDI contract over a framework adapter.
 * - describeStorageConformance(name, makeStorage): the storage ports on a database.
 * - describeCounterStoreConformance(name, makeCounters): the counters port alone (e.g. on Redis).
 */
export { describeAdapterConformance, type AdapterConformanceOptions } from "./adapter-conformance.js";
export { CONFORMANCE_ROUTES, sessionSummary, startConformanceApp, credentials, type MountApp, type MountedApp, type TestApp, type ConformanceAppOptions } from "./conformance-app.js";
export { describeStorageConformance } from "./storage/index.js";
export { describeCounterStoreConformance } from "./storage/counters.js";
export { TestClient, type FetchLike, type HttpResponse } from "./http-client.js";
export { databaseVariants, sqliteFileDatabase, postgresDatabase, postgresAvailable, type TestDatabase } from "./databases.js";
