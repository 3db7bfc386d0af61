import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentials, startConformanceApp, type MountApp, type TestApp } from "../conformance-app.js";
import { sqliteFileDatabase, type TestDatabase } from "../databases.js";
import { decodeFrontToken, decodeJwtPart, parseSetCookie } from "../http-client.js";

/** Sessions over HTTP (FDI 4.2 tokens, refresh, sign-out, theft detection), over whatever framework `mount` uses. */
export function describeSessionContract(mount: MountApp, makeDatabase: () => TestDatabase): void {
describe("sessions", () => {
  let database: TestDatabase;
  let app: TestApp;
  let counter = 0;

  beforeAll(async () => {
    database = makeDatabase();
    app = await startConformanceApp(mount, { database: database.url });
  });
  afterAll(async () => {
    await app.close();
    await database.cleanup();
  });

  /** Signs up a fresh user in header mode and returns its tokens. */
  async function headerSession() {
    const client = app.client({ "st-auth-mode": "header", rid: "emailpassword" });
    const response = await client.post("/auth/signup", credentials(`user${++counter}-${Date.now()}@example.com`, "password123"));
    expect(response.status).toBe(200);
    expect(response.body.status).toBe("OK");
    return {
      client,
      userId: response.body.user.id as string,
      accessToken: response.headers.get("st-access-token") as string,
      refreshToken: response.headers.get("st-refresh-token") as string,
    };
  }

  const refresh = (app: TestApp, refreshToken: string) =>
    app.client({ rid: "session" }).post("/auth/session/refresh", {}, { authorization: `Bearer ${refreshToken}` });
  const callProtected = (path: string, accessToken: string) => app.client().get(path, { authorization: `Bearer ${accessToken}` });

  it("issues a v5 RS256 access token with the FDI claims and a matching front token", async () => {
    const { accessToken, userId, client } = await headerSession();
    const header = decodeJwtPart(accessToken, 0);
    expect(header).toMatchObject({ alg: "RS256", typ: "JWT", version: "5" });
    expect(String(header["kid"])).toMatch(/^d-\d+$/);
    const payload = decodeJwtPart(accessToken, 1);
    expect(payload).toMatchObject({ sub: userId, rsub: userId, tId: "public", parentRefreshTokenHash1: null, antiCsrfToken: null, iss: "http://localhost/auth" });
    expect(typeof payload["sessionHandle"]).toBe("string");
    expect(payload["refreshTokenHash1"]).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(payload["exp"]) - Number(payload["iat"])).toBe(900);
    void client;
  });

  it("serves the signing key at /auth/jwt/jwks.json and the token verifies against it", async () => {
    const { accessToken } = await headerSession();
    const response = await app.client().get("/auth/jwt/jwks.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const { createPublicKey, verify } = await import("node:crypto");
    const kid = decodeJwtPart(accessToken, 0)["kid"];
    const jwk = response.body.keys.find((key: { kid: string }) => key.kid === kid);
    expect(jwk).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    const [h, p, s] = accessToken.split(".") as [string, string, string];
    expect(verify("sha256", Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: "jwk" }), Buffer.from(s, "base64url"))).toBe(true);
  });

  it("rotates the refresh token and promotes the child on first use", async () => {
    const { refreshToken, userId } = await headerSession();
    const first = await refresh(app, refreshToken);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({});
    const frontToken = decodeFrontToken(first.headers.get("front-token") as string);
    expect(frontToken.uid).toBe(userId);
    const child = first.headers.get("st-refresh-token") as string;
    expect(child).not.toBe(refreshToken);
    const childAccess = first.headers.get("st-access-token") as string;
    expect(decodeJwtPart(childAccess, 1)["parentRefreshTokenHash1"]).toMatch(/^[0-9a-f]{64}$/);
    // First use of the new access token confirms the child and hands back a parent-less token.
    const used = await callProtected("/protected", childAccess);
    expect(used.status).toBe(200);
    const replacement = used.headers.get("st-access-token");
    expect(replacement).toBeTruthy();
    expect(decodeJwtPart(replacement as string, 1)["parentRefreshTokenHash1"]).toBeNull();
    // The parent is now spent: presenting it again is theft.
    const replay = await refresh(app, refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({ message: "token theft detected" });
  });

  it("revokes the whole session when a spent refresh token is reused", async () => {
    const { refreshToken, accessToken } = await headerSession();
    const second = (await refresh(app, refreshToken)).headers.get("st-refresh-token") as string;
    const third = await refresh(app, second);
    expect(third.status).toBe(200);
    const newest = third.headers.get("st-refresh-token") as string;

    const reuse = await refresh(app, refreshToken);
    expect(reuse.status).toBe(401);
    expect(reuse.body).toEqual({ message: "token theft detected" });
    expect(reuse.headers.get("front-token")).toBe("remove");
    expect(reuse.headers.get("st-refresh-token")).toBe("");

    // The legitimate holder's newest token dies with the session.
    const afterTheft = await refresh(app, newest);
    expect(afterTheft.status).toBe(401);
    expect(afterTheft.body).toEqual({ message: "unauthorised" });
    expect((await callProtected("/protected-db", accessToken)).status).toBe(401);
  });

  it("lets two concurrent refreshes with one token both succeed and keeps the session alive", async () => {
    const { refreshToken } = await headerSession();
    const [a, b] = await Promise.all([refresh(app, refreshToken), refresh(app, refreshToken)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const childA = a.headers.get("st-refresh-token") as string;
    const childB = b.headers.get("st-refresh-token") as string;
    // Both tabs may go on with whichever answer they kept.
    const nextA = await refresh(app, childA);
    const nextB = await refresh(app, childB);
    expect(nextA.status).toBe(200);
    expect(nextB.status).toBe(200);
    expect((await callProtected("/protected-db", nextB.headers.get("st-access-token") as string)).status).toBe(200);
  });

  it("survives ten concurrent refreshes and ten concurrent first uses of the child", async () => {
    const { refreshToken } = await headerSession();
    const results = await Promise.all(Array.from({ length: 10 }, () => refresh(app, refreshToken)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const children = results.map((r) => r.headers.get("st-refresh-token") as string);
    const promoted = await Promise.all(children.map((child) => refresh(app, child)));
    expect(promoted.map((r) => r.status)).toEqual(Array(10).fill(200));
  });

  it("gives ten concurrent refreshes with the current token one and the same child, which refreshes on", async () => {
    const { refreshToken } = await headerSession();
    const results = await Promise.all(Array.from({ length: 10 }, () => refresh(app, refreshToken)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const children = new Set(results.map((r) => r.headers.get("st-refresh-token")));
    expect(children.size).toBe(1);
    const [child] = [...children] as [string];
    expect(child).not.toBe(refreshToken);
    const next = await refresh(app, child);
    expect(next.status).toBe(200);
    expect((await callProtected("/protected-db", next.headers.get("st-access-token") as string)).status).toBe(200);
    // The child's use spent its parent.
    expect((await refresh(app, refreshToken)).body).toEqual({ message: "token theft detected" });
  });

  it("rejects an expired access token with 'try refresh token' and verifies again after refresh", async () => {
    const { accessToken, refreshToken } = await headerSession();
    app.clock.advance(901_000);
    try {
      const expired = await callProtected("/protected", accessToken);
      expect(expired.status).toBe(401);
      expect(expired.body).toEqual({ message: "try refresh token" });
      const refreshed = await refresh(app, refreshToken);
      expect(refreshed.status).toBe(200);
      expect((await callProtected("/protected", refreshed.headers.get("st-access-token") as string)).status).toBe(200);
    } finally {
      app.clock.advance(-901_000);
    }
  });

  it("rejects tampered, unsigned and foreign-key tokens", async () => {
    const { accessToken } = await headerSession();
    const [h, p, s] = accessToken.split(".") as [string, string, string];
    const payload = decodeJwtPart(accessToken, 1);
    const forgedPayload = Buffer.from(JSON.stringify({ ...payload, sub: "someone-else" })).toString("base64url");
    const tampered = await callProtected("/protected", `${h}.${forgedPayload}.${s}`);
    expect(tampered.status).toBe(401);
    expect(tampered.body).toEqual({ message: "try refresh token" });

    const noneHeader = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT", version: "5", kid: "d-1" })).toString("base64url");
    const unsigned = await app.client().get("/protected", { authorization: `Bearer ${noneHeader}.${p}.` });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body).toEqual({ message: "unauthorised" });

    const foreignKid = Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT", version: "5", kid: "d-123" })).toString("base64url");
    const foreign = await callProtected("/protected", `${foreignKid}.${p}.${s}`);
    expect(foreign.status).toBe(401);
    expect(foreign.body).toEqual({ message: "try refresh token" });
  });

  it("answers 401 unauthorised without a session, and lets optional routes through", async () => {
    const missing = await app.client().get("/protected");
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ message: "unauthorised" });
    const optional = await app.client().get("/optional");
    expect(optional.status).toBe(200);
    expect(optional.body).toEqual({});
    const noRefresh = await app.client().post("/auth/session/refresh", {});
    expect(noRefresh.status).toBe(401);
    expect(noRefresh.body).toEqual({ message: "unauthorised" });
    expect(noRefresh.headers.get("front-token")).toBe("remove");
  });

  it("signs out: revokes the session and clears the tokens", async () => {
    const { accessToken, refreshToken } = await headerSession();
    const signOut = await app.client().post("/auth/signout", {}, { authorization: `Bearer ${accessToken}`, rid: "session" });
    expect(signOut.status).toBe(200);
    expect(signOut.body).toEqual({ status: "OK" });
    expect(signOut.headers.get("front-token")).toBe("remove");
    expect(signOut.headers.get("st-access-token")).toBe("");
    expect((await refresh(app, refreshToken)).status).toBe(401);
    expect((await callProtected("/protected-db", accessToken)).status).toBe(401);
    // A stateless route keeps accepting the token until it expires: that is the documented trade-off.
    expect((await callProtected("/protected", accessToken)).status).toBe(200);
  });

  it("uses HttpOnly cookies with the FDI names, paths and attributes in cookie mode", async () => {
    const client = app.client({ "st-auth-mode": "cookie", rid: "emailpassword" });
    const response = await client.post("/auth/signup", credentials(`cookie${++counter}-${Date.now()}@example.com`, "password123"));
    expect(response.status).toBe(200);
    const cookies = new Map(response.setCookies.map((line) => [parseSetCookie(line).name, parseSetCookie(line)]));
    const access = cookies.get("sAccessToken");
    const refreshCookie = cookies.get("sRefreshToken");
    expect(access?.attributes.get("path")).toBe("/");
    expect(access?.attributes.get("httponly")).toBe(true);
    expect(access?.attributes.get("samesite")).toBe("Lax");
    expect(access?.attributes.has("secure")).toBe(false);
    expect(Date.parse(String(access?.attributes.get("expires")))).toBeGreaterThan(Date.now() + 300 * 24 * 3600 * 1000);
    expect(refreshCookie?.attributes.get("path")).toBe("/auth/session/refresh");
    expect(refreshCookie?.attributes.get("httponly")).toBe(true);
    expect(response.headers.get("st-access-token")).toBeNull();
    const exposed = (response.headers.get("access-control-expose-headers") ?? "").split(",").map((v) => v.trim());
    expect(exposed).toContain("front-token");
    const front = decodeFrontToken(response.headers.get("front-token") as string);
    expect(front.up["sub"]).toBe(response.body.user.id);
    expect(typeof front.up["iat"]).toBe("number");
    expect(front.ate).toBe(Number(front.up["exp"]) * 1000);

    expect((await client.get("/protected")).status).toBe(200);
    const refreshed = await client.post("/auth/session/refresh", {}, { rid: "session" });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get("front-token")).not.toBe("remove");
    expect((await client.get("/protected")).status).toBe(200);
    const signOut = await client.post("/auth/signout", {}, { rid: "session" });
    expect(signOut.body).toEqual({ status: "OK" });
    expect(client.cookie("sAccessToken")).toBeUndefined();
    expect(client.cookie("sRefreshToken")).toBeUndefined();
  });

  it("creates header-mode sessions when st-auth-mode is absent", async () => {
    const response = await app.client().post("/auth/signup", credentials(`nomode${++counter}-${Date.now()}@example.com`, "password123"));
    expect(response.headers.get("st-access-token")).toBeTruthy();
    expect(response.setCookies.filter((c) => c.startsWith("sAccessToken="))).toHaveLength(0);
  });
});
}

/** Anti-CSRF modes need their own instances (session settings differ); SQLite is enough for them. */
export function describeAntiCsrfContract(mount: MountApp): void {
describe("anti-CSRF", () => {
  let database: TestDatabase;
  afterAll(async () => database?.cleanup());

  it("VIA_TOKEN: a cookie request without the anti-csrf header is refused; with it, accepted", async () => {
    database = sqliteFileDatabase();
    const app = await startConformanceApp(mount, { database: database.url, session: { antiCsrf: "VIA_TOKEN" } });
    try {
      const client = app.client({ "st-auth-mode": "cookie" });
      const signUp = await client.post("/auth/signup", credentials("csrf@example.com", "password123"));
      const antiCsrf = signUp.headers.get("anti-csrf") as string;
      expect(antiCsrf).toBeTruthy();
      expect((await client.post("/protected", {})).body).toEqual({ message: "try refresh token" });
      expect((await client.post("/protected", {}, { "anti-csrf": antiCsrf })).status).toBe(200);
      // GETs are not checked by default.
      expect((await client.get("/protected")).status).toBe(200);
      const refreshed = await client.post("/auth/session/refresh", {}, { "anti-csrf": antiCsrf });
      expect(refreshed.status).toBe(200);
      const nextAntiCsrf = refreshed.headers.get("anti-csrf") as string;
      expect(nextAntiCsrf).toBeTruthy();
      // Last, because a failed refresh clears the cookies: the refresh also needs the header.
      const withoutHeader = await client.post("/auth/session/refresh", {});
      expect(withoutHeader.status).toBe(401);
      expect(withoutHeader.body).toEqual({ message: "unauthorised" });
    } finally {
      await app.close();
    }
  });

  it("VIA_CUSTOM_HEADER, the default for a cross-site website: requests need the rid header", async () => {
    const db = sqliteFileDatabase();
    // Cross-site cookies must be SameSite=None, which requires Secure.
    const app = await startConformanceApp(mount, { database: db.url, websiteDomain: "https://app.example.org", session: { cookieSecure: true } });
    try {
      const client = app.client({ "st-auth-mode": "cookie" });
      const signUp = await client.post("/auth/signup", credentials("header@example.com", "password123"));
      const accessCookie = parseSetCookie(signUp.setCookies.find((c) => c.startsWith("sAccessToken=")) as string);
      expect(accessCookie.attributes.get("samesite")).toBe("None");
      expect(accessCookie.attributes.get("secure")).toBe(true);
      expect((await client.post("/protected", {})).body).toEqual({ message: "try refresh token" });
      expect((await client.post("/protected", {}, { rid: "anti-csrf" })).status).toBe(200);
      expect((await client.post("/auth/session/refresh", {})).body).toEqual({ message: "unauthorised" });
    } finally {
      await app.close();
      await db.cleanup();
    }
  });
});
}
