/** Recipes as values: two-phase wiring, declared contributions, and what the engine does without a tenancy recipe. */
import { afterEach, describe, expect, it } from "vitest";
import { createManualClock } from "../src/core/runtime.js";
import type { Auth } from "../src/engine/create-auth.js";
import { createAuthInstance } from "../src/engine/create-auth.js";
import type { RecipeListFunction, RecipeModule } from "../src/engine/types.js";
import { handler, verifySession } from "../src/framework/fetch/index.js";
import { createAuth } from "../src/instance/create-auth.js";
import { initEmailPassword } from "../src/recipes/emailpassword/emailpassword-recipe.js";
import { PrimitiveClaim } from "../src/recipes/session/claims/primitive-claim.js";
import { initSession } from "../src/recipes/session/session-recipe.js";
import { credentials } from "../src/testing/conformance-app.js";
import { sqliteFileDatabase, type TestDatabase } from "./helpers/databases.js";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const appInfo = { appName: "wiring", apiDomain: "http://localhost", websiteDomain: "http://localhost" };
const PlanClaim = new PrimitiveClaim<string>({ key: "plan", fetchValue: () => "pro" });

/** A recipe that only contributes: a claim in every session, a validator on every verification, a first factor. */
function planRecipe(seen: string[]): RecipeListFunction {
  return () =>
    ({
      recipeId: "plan",
      requires: ["session"],
      firstFactors: ["otp-email"],
      sessionClaims: () => ({
        claims: [PlanClaim],
        globalValidators: [{ ...PlanClaim.validators.hasValue("pro"), validate: async (payload: never) => (seen.push("validated"), PlanClaim.validators.hasValue("pro").validate(payload, {})) }],
      }),
      getRoutes: () => [],
    }) satisfies RecipeModule;
}

let open: { auth: Auth; database: TestDatabase }[] = [];
afterEach(async () => {
  for (const { auth, database } of open) {
    await auth.close();
    await database.cleanup();
  }
  open = [];
});

function start(recipeList: RecipeListFunction[], make: typeof createAuth = createAuth, clock = createManualClock(1_800_000_000_000)) {
  const database = sqliteFileDatabase();
  const auth = make({ appInfo, database: database.url, recipeList, logger: quiet, clock });
  open.push({ auth, database });
  const fetchAuth = handler(auth);
  const call = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetchAuth(
      new Request(`http://localhost${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { "content-type": "application/json", "st-auth-mode": "header", ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
  return { auth, call, clock };
}

describe("two-phase recipe wiring", () => {
  it.each([
    ["before Session", (plan: RecipeListFunction) => [plan, initEmailPassword(), initSession()]],
    ["after Session", (plan: RecipeListFunction) => [initEmailPassword(), initSession(), plan]],
  ])("adds a contributed claim to new sessions when listed %s, stamped with the instance clock", async (_where, list) => {
    const seen: string[] = [];
    const { call, clock } = start(list(planRecipe(seen)));
    const signUp = await call("/auth/signup", credentials("claims@example.com", "password123"));
    expect(signUp.status).toBe(200);
    const token = signUp.headers.get("st-access-token") as string;
    const payload = JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString("utf8"));
    expect(payload.plan).toEqual({ v: "pro", t: clock.now() });
    const { auth } = open.at(-1) as { auth: Auth };
    const guarded = verifySession((_request, session) => Response.json({ plan: session?.getAccessTokenPayload()["plan"] }), undefined, auth);
    const verified = await guarded(new Request("http://localhost/me", { headers: { authorization: `Bearer ${token}` } }));
    expect(verified.status).toBe(200);
    expect(seen).toEqual(["validated"]);
  });

  it("refuses a recipe whose declared dependency is missing, naming it", () => {
    expect(() => createAuth({ appInfo, database: "sqlite::memory:", recipeList: [initEmailPassword()], logger: quiet })).toThrow(
      "The emailpassword recipe needs the session recipe: add its init() to recipeList",
    );
  });

  it("lists the first factors the recipes declare in /loginmethods", async () => {
    const { call } = start([initEmailPassword(), initSession(), planRecipe([])]);
    const body = await (await call("/auth/loginmethods")).json();
    expect(body).toMatchObject({ status: "OK", emailPassword: { enabled: true }, passwordless: { enabled: true }, firstFactors: ["emailpassword", "otp-email"] });
  });
});

describe("the engine alone", () => {
  it("serves only the public tenant when no recipe owns tenants, and no /loginmethods", async () => {
    const { call } = start([initEmailPassword(), initSession()], createAuthInstance);
    expect((await call("/auth/signup", credentials("alone@example.com", "password123"))).status).toBe(200);
    const tenant = await call("/auth/acme/signin", credentials("alone@example.com", "password123"));
    expect(tenant.status).toBe(400);
    expect(await tenant.json()).toEqual({ message: "Tenant not found: acme" });
    expect((await call("/auth/loginmethods")).status).toBe(404);
  });
});
