import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { afterAll, beforeAll } from "vitest";
import { sqliteFileDatabase } from "./databases.js";
import { createAuth, type Auth } from "../../src/engine/create-auth.js";
import type { TypeInput } from "../../src/engine/types.js";
import { createManualClock } from "../../src/core/runtime.js";
import { initEmailPassword } from "../../src/recipes/emailpassword/emailpassword-recipe.js";
import { initSession } from "../../src/recipes/session/session-recipe.js";
import type { TypeInput as SessionInput } from "../../src/recipes/session/types.js";
import type { TypeInput as EmailPasswordInput } from "../../src/recipes/emailpassword/types.js";
import { errorHandler, middleware } from "../../src/framework/express/index.js";
import { verifySession } from "../../src/framework/express/verify-session.js";
import type { SessionRequest } from "../../src/framework/express/index.js";
import { TestClient } from "./http-client.js";

export interface TestApp {
  auth: Auth;
  databaseUrl: string;
  baseUrl: string;
  clock: ReturnType<typeof createManualClock>;
  client(headers?: Record<string, string>): TestClient;
  close(): Promise<void>;
}

const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A real Express server on a random port around one Portcullis instance, with a hand-moved clock.
 * `/protected` verifies statelessly; `/protected-db` verifies with checkDatabase.
 */
export async function startTestApp(options: {
  database: string | NonNullable<TypeInput["database"]>;
  session?: SessionInput;
  emailPassword?: EmailPasswordInput;
  core?: TypeInput["core"];
  websiteDomain?: string;
}): Promise<TestApp> {
  const clock = createManualClock(Date.now());
  const auth = createAuth({
    appInfo: { appName: "Portcullis tests", apiDomain: "http://localhost", websiteDomain: options.websiteDomain ?? "http://localhost" },
    database: options.database,
    recipeList: [initEmailPassword(options.emailPassword), initSession(options.session)],
    clock,
    logger: quietLogger,
    ...(options.core !== undefined ? { core: options.core } : {}),
    passwordHashing: { maxConcurrent: 4 },
  });
  await auth.ready;
  const app = express();
  app.use(express.json());
  app.use(middleware(auth));
  const describeSession = (req: SessionRequest, res: express.Response) => {
    res.json({ userId: req.session?.getUserId(), handle: req.session?.getHandle(), tenantId: req.session?.getTenantId() });
  };
  app.get("/protected", verifySession(undefined, auth), describeSession);
  app.post("/protected", verifySession(undefined, auth), describeSession);
  app.get("/protected-db", verifySession({ checkDatabase: true }, auth), describeSession);
  app.get("/optional", verifySession({ sessionRequired: false }, auth), describeSession);
  app.use(errorHandler(auth));
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    auth,
    databaseUrl: typeof options.database === "string" ? options.database : "kysely",
    baseUrl,
    clock,
    client: (headers) => new TestClient(baseUrl, headers),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await auth.close();
    },
  };
}

export function credentials(email: string, password: string) {
  return { formFields: [{ id: "email", value: email }, { id: "password", value: password }] };
}

/**
 * One app on a fresh SQLite file for a whole `describe` block, closed afterwards.
 * Returns a getter, because the app only exists once beforeAll has run.
 */
export function useSqliteTestApp(options: Omit<Parameters<typeof startTestApp>[0], "database"> = {}): () => TestApp {
  let database: ReturnType<typeof sqliteFileDatabase>;
  let app: TestApp;
  beforeAll(async () => {
    database = sqliteFileDatabase();
    app = await startTestApp({ ...options, database: database.url });
  });
  afterAll(async () => {
    await app.close();
    await database.cleanup();
  });
  return () => app;
}
