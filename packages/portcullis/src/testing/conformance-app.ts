import type { Auth } from "../engine/create-auth.js";
import type { TypeInput } from "../engine/types.js";
import { createManualClock } from "../core/runtime.js";
import { createAuth } from "../instance/create-auth.js";
import { initEmailPassword } from "../recipes/emailpassword/emailpassword-recipe.js";
import { initSession } from "../recipes/session/session-recipe.js";
import type { TypeInput as EmailPasswordInput } from "../recipes/emailpassword/types.js";
import type { SessionContainerInterface, TypeInput as SessionInput, VerifySessionOptions } from "../recipes/session/types.js";
import { PrimitiveArrayClaim } from "../recipes/session/claims/primitive-array-claim.js";
import { TestClient, type FetchLike } from "./http-client.js";

/**
 * What an adapter under test must serve, besides the auth routes under `/auth`: each path verifies
 * the session with the given options and answers `sessionSummary(session)` as JSON. Any other
 * path answers 404.
 */
/** `st-role` as the token carries it: the admin route checks the claim without refetching it. */
const ROLE_IN_TOKEN = new PrimitiveArrayClaim<string>({ key: "st-role", fetchValue: () => undefined });

export const CONFORMANCE_ROUTES: readonly { method: "get" | "post"; path: string; options: VerifySessionOptions | undefined }[] = [
  { method: "get", path: "/protected", options: undefined },
  { method: "post", path: "/protected", options: undefined },
  { method: "get", path: "/protected-db", options: { checkDatabase: true } },
  { method: "get", path: "/optional", options: { sessionRequired: false } },
  { method: "get", path: "/admin-only", options: { overrideGlobalClaimValidators: (globals) => [...globals, ROLE_IN_TOKEN.validators.includes("admin")] } },
];

export function sessionSummary(session: SessionContainerInterface | undefined): { userId?: string; handle?: string; tenantId?: string } {
  if (session === undefined) return {};
  return { userId: session.getUserId(), handle: session.getHandle(), tenantId: session.getTenantId() };
}

/** A running app: a base URL for a real server, or a fetch function for a handler called in-process. */
export interface MountedApp {
  baseUrl: string;
  fetch?: FetchLike;
  close(): Promise<void>;
}

/** Mounts the instance on the framework under test, with the auth routes and CONFORMANCE_ROUTES. */
export type MountApp = (auth: Auth) => Promise<MountedApp>;

export interface ConformanceAppOptions {
  /** A database URL, or a ready Kysely instance (then `databaseUrl` reads "kysely"). */
  database: string | NonNullable<TypeInput["database"]>;
  session?: SessionInput;
  emailPassword?: EmailPasswordInput;
  core?: TypeInput["core"];
  websiteDomain?: string;
  /** Abuse limits; omitted means the defaults. */
  limits?: TypeInput["limits"];
  /** Defaults to the system CSPRNG. */
  random?: TypeInput["random"];
  onEvent?: TypeInput["onEvent"];
  /** More recipes after EmailPassword and Session (e.g. user roles). */
  recipes?: TypeInput["recipeList"];
}

export interface TestApp {
  auth: Auth;
  databaseUrl: string;
  baseUrl: string;
  clock: ReturnType<typeof createManualClock>;
  client(headers?: Record<string, string>): TestClient;
  close(): Promise<void>;
}

const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** One Portcullis instance with a hand-moved clock, mounted by `mount`. */
export async function startConformanceApp(mount: MountApp, options: ConformanceAppOptions): Promise<TestApp> {
  const clock = createManualClock(Date.now());
  const auth = createAuth({
    appInfo: { appName: "Portcullis tests", apiDomain: "http://localhost", websiteDomain: options.websiteDomain ?? "http://localhost" },
    database: options.database,
    recipeList: [initEmailPassword(options.emailPassword), initSession(options.session), ...(options.recipes ?? [])],
    clock,
    logger: quietLogger,
    ...(options.core !== undefined ? { core: options.core } : {}),
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
    ...(options.random !== undefined ? { random: options.random } : {}),
    ...(options.onEvent !== undefined ? { onEvent: options.onEvent } : {}),
    passwordHashing: { maxConcurrent: 4 },
  });
  await auth.ready;
  const mounted = await mount(auth);
  return {
    auth,
    databaseUrl: typeof options.database === "string" ? options.database : "kysely",
    baseUrl: mounted.baseUrl,
    clock,
    client: (headers) => new TestClient(mounted.baseUrl, headers, mounted.fetch),
    close: async () => {
      await mounted.close();
      await auth.close();
    },
  };
}

export function credentials(email: string, password: string) {
  return { formFields: [{ id: "email", value: email }, { id: "password", value: password }] };
}
