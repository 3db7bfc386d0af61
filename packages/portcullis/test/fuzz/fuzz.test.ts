/**
 * Every auth route (read from the instance, so new routes are covered: passwordless and email verification included) and the protected routes,
 * 2,000 generated malformed requests per database: no 5xx, no stack trace, and no account created
 * by anything but a well-formed sign-up.
 */
import { describe, expect, it } from "vitest";
import { initEmailVerification } from "../../src/recipes/emailverification/emailverification-recipe.js";
import { initPasswordless } from "../../src/recipes/passwordless/passwordless-recipe.js";
import { databaseVariants } from "../helpers/databases.js";
import { useTestApp } from "../helpers/test-app.js";
import { malformedRequest, seededRandom, type FuzzRoute } from "./malformed-requests.js";

const REQUESTS_PER_DATABASE = 2_000;
const IN_FLIGHT = 8;
const SEED = Number(process.env["PORTCULLIS_FUZZ_SEED"] ?? 20261127);
/** What a leaked stack trace or internal path looks like in a response. */
const LEAK = /\bat [\w.<>]+ \(|node:internal|\.(?:ts|js):\d+:\d+|\bTypeError\b|\bReferenceError\b|SQLITE_|violates|syntax error at/;

const variants = await databaseVariants();

describe.each(variants.map((make) => [make().name, make] as const))("fuzzing every route on %s", (name, makeDatabase) => {
  const testApp = useTestApp(makeDatabase, {
    recipes: [initPasswordless({ contactMethod: "EMAIL_OR_PHONE" }), initEmailVerification({ mode: "REQUIRED" })],
  });

  it(`answers ${REQUESTS_PER_DATABASE} malformed requests without a 5xx, a stack trace or a stray write`, async () => {
    const routes: FuzzRoute[] = testApp().auth.engine
      .listRecipes()
      .flatMap((recipe) => recipe.getRoutes())
      .map((route) => ({ method: route.method, path: route.path, tenantScoped: route.tenantScoped }));
    // The app's protected routes sit outside /auth; malformed tokens reach them through verifySession.
    routes.push({ method: "get", path: "/../protected", tenantScoped: false }, { method: "post", path: "/../protected-db", tenantScoped: false });
    expect(routes.length).toBeGreaterThanOrEqual(10);

    const random = seededRandom(SEED + (name === "postgres" ? 1 : 0));
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let signUpsAccepted = 0;
    const usersBefore = await testApp().auth.getUserCount();
    let next = 0;
    const worker = async () => {
      while (next < REQUESTS_PER_DATABASE) {
        const index = next++;
        const request = malformedRequest(random, routes);
        const path = request.path.replace("/auth/../", "/");
        const response = await fetch(testApp().baseUrl + path, {
          method: request.method,
          headers: request.headers,
          ...(request.body !== undefined ? { body: request.body } : {}),
        });
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500 || LEAK.test(text)) {
          failures.push(`#${index} ${request.method} ${path.slice(0, 120)} -> ${response.status} ${text.slice(0, 200)}`);
        }
        // The path may carry a query string: a sign-up is judged by its pathname.
        if (new URL(path, testApp().baseUrl).pathname.endsWith("/signup") && response.status === 200 && text.includes('"status":"OK"')) signUpsAccepted++;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    expect(failures, `seed ${SEED}`).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(REQUESTS_PER_DATABASE);
    // Something was refused by each layer: 400s from parsing, 401s from sessions, 404s from routing.
    for (const status of [400, 401, 404]) expect(statuses.get(status) ?? 0, `status ${status} in ${JSON.stringify([...statuses])}`).toBeGreaterThan(0);
    expect(await testApp().auth.getUserCount()).toBe(usersBefore + signUpsAccepted);
  }, 240_000);
});
