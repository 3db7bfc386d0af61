import { hash as bcryptHash } from "@node-rs/bcrypt";
import { beforeAll, describe, expect, it } from "vitest";
import { databaseVariants, sqliteFileDatabase } from "./helpers/databases.js";
import { decodeJwtPart } from "./helpers/http-client.js";
import { credentials, startTestApp, useSqliteTestApp, type TestApp } from "./helpers/test-app.js";
import type { EmailPasswordRecipe } from "../src/recipes/emailpassword/emailpassword-recipe.js";

describe("password storage", () => {
  // This block times the hashing of wrong passwords (15 in a row for one account): the sign-in
  // throttle would answer them without hashing, so it is off here (tested in abuse-limits.test.ts).
  const getApp = useSqliteTestApp({ limits: false });
  let app: TestApp;
  beforeAll(() => {
    app = getApp();
  });
  const recipe = () => app.auth.getRecipe<EmailPasswordRecipe>("emailpassword") as EmailPasswordRecipe;

  it("stores argon2id PHC strings at OWASP parameters", async () => {
    const signUp = await app.client().post("/auth/signup", credentials("phc@example.com", "password123"));
    const hash = await app.auth.engine.storage.credentials.getSecretHash(signUp.body.user.id);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("verifies an imported bcrypt hash and upgrades it to argon2id at sign-in", async () => {
    const imported = await recipe().importUserWithPasswordHash({ email: "legacy@example.com", passwordHash: await bcryptHash("legacyPass1", { cost: 10 }) });
    if (imported.status !== "OK") throw new Error(imported.status);
    const userId = imported.user.id;
    expect(await app.auth.engine.storage.credentials.getSecretHash(userId)).toMatch(/^\$2[aby]\$10\$/);
    expect((await app.client().post("/auth/signin", credentials("legacy@example.com", "wrongPass1"))).body.status).toBe("WRONG_CREDENTIALS_ERROR");
    expect(await app.auth.engine.storage.credentials.getSecretHash(userId)).toMatch(/^\$2[aby]\$/);
    expect((await app.client().post("/auth/signin", credentials("legacy@example.com", "legacyPass1"))).body.status).toBe("OK");
    expect(await app.auth.engine.storage.credentials.getSecretHash(userId)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await app.client().post("/auth/signin", credentials("legacy@example.com", "legacyPass1"))).body.status).toBe("OK");
    expect((await recipe().importUserWithPasswordHash({ email: "x@example.com", passwordHash: "plaintext" })).status).toBe("INVALID_PASSWORD_HASH_ERROR");
  });

  it("treats composed and decomposed accents as the same password (NFKC)", async () => {
    await app.client().post("/auth/signup", credentials("nfkc@example.com", "caf\u00e9caf\u00e9123"));
    expect((await app.client().post("/auth/signin", credentials("nfkc@example.com", "cafe\u0301cafe\u0301123"))).body.status).toBe("OK");
  });

  it("spends a hash on unknown emails too, so they cost what a wrong password costs", async () => {
    await app.client().post("/auth/signup", credentials("timing@example.com", "password123"));
    const time = async (email: string) => {
      const started = performance.now();
      await app.client().post("/auth/signin", credentials(email, "wrongpassword1"));
      return performance.now() - started;
    };
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 15; i++) {
      wrong.push(await time("timing@example.com"));
      unknown.push(await time(`ghost${i}@example.com`));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    // Without the dummy hash an unknown email answers in ~1 ms against ~20 ms for a wrong password.
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.5);
    expect(median(unknown)).toBeLessThan(median(wrong) * 2);
  });
});

describe("access-token verification cost", () => {
  it("touches the database only with checkDatabase or on the first use after a refresh", async () => {
    const database = sqliteFileDatabase();
    const app = await startTestApp({ database: database.url });
    try {
      const signUp = await app.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials("nodb@example.com", "password123"));
      const accessToken = signUp.headers.get("st-access-token") as string;
      const sessions = app.auth.engine.storage.sessions;
      const original = sessions.get.bind(sessions);
      let reads = 0;
      sessions.get = async (handle: string) => {
        reads++;
        return original(handle);
      };
      for (let i = 0; i < 5; i++) expect((await app.client().get("/protected", { authorization: `Bearer ${accessToken}` })).status).toBe(200);
      expect(reads).toBe(0);
      expect((await app.client().get("/protected-db", { authorization: `Bearer ${accessToken}` })).status).toBe(200);
      expect(reads).toBe(1);
    } finally {
      await app.close();
      await database.cleanup();
    }
  });
});

describe("signing keys", () => {
  it("rotates the dynamic key and keeps publishing the previous one while its tokens may live", async () => {
    const database = sqliteFileDatabase();
    const app = await startTestApp({ database: database.url, core: { accessTokenSigningKeyUpdateInterval: 1 } });
    try {
      const client = app.client({ "st-auth-mode": "header" });
      const first = await client.post("/auth/signup", credentials("keys@example.com", "password123"));
      const firstKid = decodeJwtPart(first.headers.get("st-access-token") as string, 0)["kid"] as string;
      // Just into the next rotation slot: tokens signed at the end of the previous one are still alive.
      const firstSlotStart = Number(firstKid.slice(2));
      app.clock.set(firstSlotStart + 3600 * 1000 + 1000);
      const second = await client.post("/auth/signin", credentials("keys@example.com", "password123"));
      const secondToken = second.headers.get("st-access-token") as string;
      const secondKid = decodeJwtPart(secondToken, 0)["kid"];
      expect(secondKid).not.toBe(firstKid);
      const kids = (await client.get("/auth/jwt/jwks.json")).body.keys.map((key: { kid: string }) => key.kid);
      expect(kids).toEqual([secondKid, firstKid]);
      expect((await client.get("/protected", { authorization: `Bearer ${secondToken}` })).status).toBe(200);
      // One interval plus one access-token lifetime later, the old key is no longer published.
      app.clock.set(firstSlotStart + 2 * 3600 * 1000 + 901 * 1000);
      const later = (await client.get("/auth/jwt/jwks.json")).body.keys.map((key: { kid: string }) => key.kid);
      expect(later).not.toContain(firstKid);
    } finally {
      await app.close();
      await database.cleanup();
    }
  });
});

const variants = await databaseVariants();

describe.each(variants.map((make) => [make().name, make] as const))("two instances on one %s database", (_name, makeDatabase) => {
  it("share users, signing keys and sessions (stateless app instances)", async () => {
    const database = makeDatabase();
    const [a, b] = await Promise.all([startTestApp({ database: database.url }), startTestApp({ database: database.url })]);
    try {
      const signUp = await a.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials("shared@example.com", "password123"));
      const accessToken = signUp.headers.get("st-access-token") as string;
      const refreshToken = signUp.headers.get("st-refresh-token") as string;
      // Instance B verifies A's token: it loads the key A created from the database.
      expect((await b.client().get("/protected", { authorization: `Bearer ${accessToken}` })).status).toBe(200);
      expect((await b.client().post("/auth/signin", credentials("shared@example.com", "password123"))).body.status).toBe("OK");
      const refreshed = await b.client().post("/auth/session/refresh", {}, { authorization: `Bearer ${refreshToken}` });
      expect(refreshed.status).toBe(200);
      const child = refreshed.headers.get("st-refresh-token") as string;
      expect((await a.client().post("/auth/session/refresh", {}, { authorization: `Bearer ${child}` })).status).toBe(200);
      // The spent token is detected as theft on either instance.
      expect((await a.client().post("/auth/session/refresh", {}, { authorization: `Bearer ${refreshToken}` })).body).toEqual({ message: "token theft detected" });
    } finally {
      await a.close();
      await b.close();
      await database.cleanup();
    }
  });
});

describe("expired sessions", () => {
  it("are swept from the database by a later session creation", async () => {
    const database = sqliteFileDatabase();
    const app = await startTestApp({ database: database.url, core: { refreshTokenValidity: 60 } });
    try {
      const client = app.client({ "st-auth-mode": "header" });
      const first = await client.post("/auth/signup", credentials("sweep@example.com", "password123"));
      const handle = decodeJwtPart(first.headers.get("st-access-token") as string, 1)["sessionHandle"] as string;
      expect(await app.auth.engine.storage.sessions.get(handle)).toBeDefined();
      app.clock.advance(2 * 3600 * 1000);
      await client.post("/auth/signin", credentials("sweep@example.com", "password123"));
      for (let attempt = 0; attempt < 50 && (await app.auth.engine.storage.sessions.get(handle)) !== undefined; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await app.auth.engine.storage.sessions.get(handle)).toBeUndefined();
    } finally {
      await app.close();
      await database.cleanup();
    }
  });
});
