/**
 * Refresh-token rotation beyond the HTTP contract: theft of a rotated-away token, the absolute
 * lifetime, a rotation rolled back by the database, and that no token is a function of an earlier
 * one. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import pg from "pg";
import { systemRandom, type Random } from "../src/core/runtime.js";
import type { AuthEvent } from "../src/core/auth-events.js";
import { sha256Base64Url } from "../src/crypto/hash.js";
import { parseRefreshToken, unsealChild } from "../src/recipes/session/refresh-token.js";
import { databaseVariants, POSTGRES_BASE_URL, type TestDatabase } from "./helpers/databases.js";
import { credentials, startTestApp, type TestApp } from "./helpers/test-app.js";

const MINUTE = 60_000;
const variants = await databaseVariants();

/** Records every byte string the library draws from its injected CSPRNG. */
function recordingRandom(): Random & { drawn: Buffer[] } {
  const drawn: Buffer[] = [];
  return {
    drawn,
    bytes: (length) => {
      const bytes = systemRandom.bytes(length);
      drawn.push(Buffer.from(bytes));
      return bytes;
    },
    uuid: () => systemRandom.uuid(),
    int: (min, max) => systemRandom.int(min, max),
  };
}

/** Makes every update of a session's refresh-token columns fail after it ran, so its statement rolls back. */
async function failRotations(database: TestDatabase, on: boolean): Promise<void> {
  if (database.name === "sqlite") {
    const db = new Database(database.url.slice("sqlite:".length));
    try {
      db.exec(
        on
          ? `create trigger fail_rotation after update of refresh_token_hash2 on portcullis_sessions begin select raise(abort, 'injected failure'); end`
          : `drop trigger fail_rotation`,
      );
    } finally {
      db.close();
    }
    return;
  }
  const schema = new URL(database.url).searchParams.get("schema") as string;
  const client = new pg.Client({ connectionString: POSTGRES_BASE_URL });
  await client.connect();
  try {
    if (on) {
      await client.query(`create or replace function "${schema}".fail_rotation() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`);
      await client.query(`create trigger fail_rotation after update of refresh_token_hash2 on "${schema}".sessions for each row execute function "${schema}".fail_rotation()`);
    } else {
      await client.query(`drop trigger fail_rotation on "${schema}".sessions`);
    }
  } finally {
    await client.end();
  }
}

describe.each(variants.map((make) => [make().name, make] as const))("refresh-token rotation on %s", (_name, makeDatabase) => {
  let database: TestDatabase;
  let app: TestApp;
  const random = recordingRandom();
  const events: AuthEvent[] = [];
  let counter = 0;

  beforeAll(async () => {
    database = makeDatabase();
    // A short absolute lifetime (1 h) inside a longer sliding one (30 min, renewed on every refresh).
    app = await startTestApp({
      database: database.url,
      core: { refreshTokenValidity: 30, sessionAbsoluteLifetime: 60 },
      random,
      onEvent: (event) => {
        events.push(event);
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await database?.cleanup();
  });

  async function signUp() {
    const response = await app.client({ "st-auth-mode": "header" }).post("/auth/signup", credentials(`rotation${++counter}-${Date.now()}@example.com`, "password123"));
    expect(response.status).toBe(200);
    return { refreshToken: response.headers.get("st-refresh-token") as string, accessToken: response.headers.get("st-access-token") as string };
  }
  const refresh = (refreshToken: string) =>
    app.client({ rid: "session", "st-auth-mode": "header" }).post("/auth/session/refresh", {}, { authorization: `Bearer ${refreshToken}` });

  it("refuses a token presented after two rotations, revokes the session and reports the reuse", async () => {
    const { refreshToken: r0 } = await signUp();
    const r1 = (await refresh(r0)).headers.get("st-refresh-token") as string;
    const second = await refresh(r1);
    const r2 = second.headers.get("st-refresh-token") as string;
    expect(second.status).toBe(200);
    const handle = parseRefreshToken(r2)?.sessionHandle as string;

    const replay = await refresh(r0);
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({ message: "token theft detected" });
    expect(replay.headers.get("st-refresh-token")).toBe("");
    expect(events).toContainEqual(expect.objectContaining({ type: "session.refresh-token-reuse", sessionHandle: handle }));
    expect(await app.auth.engine.storage.sessions.get(handle)).toBeUndefined();
    // The current token died with the session, and so does the one before it.
    expect((await refresh(r2)).body).toEqual({ message: "unauthorised" });
    expect((await refresh(r1)).body).toEqual({ message: "unauthorised" });
  });

  it("keeps a session alive through ten concurrent refreshes with the current token", async () => {
    const { refreshToken } = await signUp();
    const results = await Promise.all(Array.from({ length: 10 }, () => refresh(refreshToken)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const children = [...new Set(results.map((r) => r.headers.get("st-refresh-token") as string))];
    expect(children).toHaveLength(1);
    const next = await refresh(children[0] as string);
    expect(next.status).toBe(200);
    expect((await refresh(next.headers.get("st-refresh-token") as string)).status).toBe(200);
  });

  it("ends a session that keeps refreshing at its absolute lifetime", async () => {
    const { refreshToken } = await signUp();
    const start = app.clock.now();
    let token = refreshToken;
    const handle = parseRefreshToken(refreshToken)?.sessionHandle as string;
    const session = app.auth.getRecipe<import("../src/recipes/session/session-recipe.js").SessionRecipe>("session")!.recipeInterfaceImpl;
    try {
      // Every 20 minutes, well inside the 30-minute sliding window: alive until the hour is up.
      for (let elapsed = 20; elapsed < 60; elapsed += 20) {
        app.clock.set(start + elapsed * MINUTE);
        const response = await refresh(token);
        expect(response.status).toBe(200);
        token = response.headers.get("st-refresh-token") as string;
      }
      // The session's reported expiry is its absolute end, not the slid one.
      const info = await session.getSessionInformation({ sessionHandle: handle, userContext: {} });
      expect(info?.expiry).toBe((info?.timeCreated as number) + 60 * MINUTE);
      app.clock.set(start + 60 * MINUTE);
      expect(await session.getSessionInformation({ sessionHandle: handle, userContext: {} })).toBeUndefined();
      const over = await refresh(token);
      expect(over.status).toBe(401);
      expect(over.body).toEqual({ message: "unauthorised" });
    } finally {
      app.clock.set(start);
    }
  });

  it("does not take a rotation the database rolled back for theft: the presented token stays valid", async () => {
    const { refreshToken: r0 } = await signUp();
    await failRotations(database, true);
    try {
      const failed = await refresh(r0);
      expect(failed.status).toBe(500);
    } finally {
      await failRotations(database, false);
    }
    const retried = await refresh(r0);
    expect(retried.status).toBe(200);
    const r1 = retried.headers.get("st-refresh-token") as string;

    // The first use of the child rolled back: the child stays usable, its parent is not spent yet.
    await failRotations(database, true);
    try {
      expect((await refresh(r1)).status).toBe(500);
    } finally {
      await failRotations(database, false);
    }
    expect((await refresh(r0)).headers.get("st-refresh-token")).toBe(r1);
    const next = await refresh(r1);
    expect(next.status).toBe(200);
    expect((await refresh(next.headers.get("st-refresh-token") as string)).status).toBe(200);
  });

  it("mints every child from fresh CSPRNG bytes: no past token computes a later one", async () => {
    const { refreshToken: r0 } = await signUp();
    const r1 = (await refresh(r0)).headers.get("st-refresh-token") as string;
    const r2 = (await refresh(r1)).headers.get("st-refresh-token") as string;
    const [t0, t1, t2] = [r0, r1, r2].map((token) => parseRefreshToken(token)!);
    const drawn = new Set(random.drawn.filter((bytes) => bytes.length === 32).map((bytes) => bytes.toString("base64url")));
    for (const token of [t0, t1, t2]) {
      // Each secret is 32 bytes the injected CSPRNG produced, carried whole and alone in the token.
      expect(drawn.has(token!.secret)).toBe(true);
      expect(token!.legacyParentSecret).toBeUndefined();
    }
    // Not the former derivation, and no token carries an earlier one.
    expect(t1!.secret).not.toBe(sha256Base64Url(`portcullis/refresh-child/${t0!.secret}`));
    expect(r2).not.toContain(t1!.secret);
    expect(r2).not.toContain(t0!.secret);

    // The database keeps the pending child only sealed under its parent: nothing else opens it.
    const record = await app.auth.engine.storage.sessions.get(t2!.sessionHandle);
    const sealed = record?.sealedPendingRefreshToken as string;
    expect(JSON.stringify(record)).not.toContain(t2!.secret);
    const again = await refresh(r1);
    expect(again.headers.get("st-refresh-token")).toBe(r2);
    const stored = (await app.auth.engine.storage.sessions.get(t2!.sessionHandle))?.sealedPendingRefreshToken as string;
    expect(stored).toBe(sealed);
    expect(unsealChild(t1!, stored)?.secret).toBe(t2!.secret);
    expect(unsealChild(t0!, stored)).toBeUndefined();
    expect(unsealChild({ ...t1!, secret: systemRandom.bytes(32).toString("base64url") }, stored)).toBeUndefined();
  });
});
