/**
 * The request each method sends and how it reads the answer, for the routes of the issue-8
 * contract. A scripted fetch stands in for the server: these check the mapping only; the
 * examples/test/web-client*.test.ts files run the same methods against a real Portcullis.
 */
import { describe, expect, it } from "vitest";
import { createClient } from "./client.js";
import { memoryStorage } from "./storage.js";

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

function scripted(answer: (request: Seen) => { status?: number; body: unknown; headers?: Record<string, string> }) {
  const seen: Seen[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request: Seen = {
      method: init?.method ?? "GET",
      url: String(input),
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    };
    seen.push(request);
    const reply = answer(request);
    return new Response(JSON.stringify(reply.body), { status: reply.status ?? 200, headers: reply.headers ?? {} });
  };
  return { seen, fetch: fetch as typeof globalThis.fetch };
}

function clientWith(server: ReturnType<typeof scripted>, tenantId?: string) {
  return createClient({ apiDomain: "https://api.example.com", apiBasePath: "/auth", tokenTransfer: "header", storage: memoryStorage(), fetch: server.fetch, ...(tenantId ? { tenantId } : {}) });
}

describe("seed 001 reset methods", () => {
  it("sendResetPwdEmail posts {email, redirectURL} to the tenant's reset/email route", async () => {
    const server = scripted(() => ({ body: { status: "OK" } }));
    const result = await clientWith(server, "acme").auth.sendResetPwdEmail("a@example.com", "http://localhost:3001/auth-redirect");
    expect(result).toEqual({ data: {}, errors: null });
    expect(server.seen[0]).toMatchObject({
      method: "POST",
      url: "https://api.example.com/auth/acme/user/password/reset/email",
      headers: { rid: "emailpassword", "fdi-version": "3.1,4.0,4.1,4.2", "st-auth-mode": "header", "content-type": "application/json" },
      body: { email: "a@example.com", redirectURL: "http://localhost:3001/auth-redirect" },
    });
  });

  it("sendResetPwdEmail maps the refusals", async () => {
    for (const [status, code] of [
      ["INVALID_REDIRECT_URL_ERROR", "INVALID_REDIRECT_URL"],
      ["EMAIL_NOT_VERIFIED_ERROR", "EMAIL_NOT_VERIFIED"],
      ["EMAIL_VERIFICATION_NOT_ENABLED_ERROR", "EMAIL_VERIFICATION_NOT_ENABLED"],
    ]) {
      const server = scripted(() => ({ body: { status, message: `server says ${status}` } }));
      const result = await clientWith(server).auth.sendResetPwdEmail("a@example.com", "https://evil.example/x");
      expect(result.data).toBeNull();
      expect(result.errors).toMatchObject({ code, message: `server says ${status}` });
    }
  });

  it("resetPwdWithToken posts the token and the password form field", async () => {
    const server = scripted(() => ({ body: { status: "RESET_PASSWORD_INVALID_TOKEN_ERROR" } }));
    const result = await clientWith(server).auth.resetPwdWithToken("tok123", "new-pass-1");
    expect(result.errors?.code).toBe("INVALID_TOKEN");
    expect(server.seen[0]).toMatchObject({
      url: "https://api.example.com/auth/user/password/reset",
      body: { method: "token", token: "tok123", formFields: [{ id: "password", value: "new-pass-1" }] },
    });
  });

  it("sendResetPwdCode and resetPwdWithCode use the phonepassword routes", async () => {
    const server = scripted((request) =>
      request.url.endsWith("/reset/code")
        ? { body: { status: "PHONE_NOT_VERIFIED_ERROR", message: "Verify your phone first" } }
        : { body: { status: "EXPIRED_CODE_ERROR", failedCodeInputAttemptCount: 1, maximumCodeInputAttempts: 5 } },
    );
    const client = clientWith(server);
    expect((await client.auth.sendResetPwdCode("+14155550100")).errors).toMatchObject({ code: "PHONE_NOT_VERIFIED", message: "Verify your phone first" });
    expect((await client.auth.resetPwdWithCode("+14155550100", "123456", "new-pass-1")).errors).toMatchObject({
      code: "EXPIRED_CODE",
      failedCodeInputAttemptCount: 1,
      maximumCodeInputAttempts: 5,
    });
    expect(server.seen.map((s) => [s.url, s.headers["rid"], s.body])).toEqual([
      ["https://api.example.com/auth/phonepassword/reset/code", "phonepassword", { phoneNumber: "+14155550100" }],
      ["https://api.example.com/auth/phonepassword/reset", "phonepassword", { phoneNumber: "+14155550100", code: "123456", newPassword: "new-pass-1" }],
    ]);
  });
});

describe("phone + password and email verification", () => {
  it("signs up with phoneNumber/password form fields and keeps the header-mode tokens", async () => {
    const server = scripted((request) =>
      request.url.endsWith("/signup")
        ? { body: { status: "OK", user: { id: "u1" } }, headers: { "st-access-token": "AT", "st-refresh-token": "RT", "front-token": btoa(JSON.stringify({ uid: "u1", ate: Date.now() + 60_000, up: {} })) } }
        : { body: { status: "PHONE_ALREADY_VERIFIED_ERROR" } },
    );
    const client = clientWith(server);
    const signUp = await client.auth.signUpWithPhone("+14155550100", "pass-word-1");
    expect(signUp).toEqual({ data: { user: { id: "u1" } }, errors: null });
    expect(server.seen[0]?.body).toEqual({ formFields: [{ id: "phoneNumber", value: "+14155550100" }, { id: "password", value: "pass-word-1" }] });
    expect(await client.auth.sendPhoneVerificationCode()).toEqual({ data: { alreadyVerified: true }, errors: null });
    expect(server.seen[1]).toMatchObject({ url: "https://api.example.com/auth/phonepassword/verify/code", headers: { authorization: "Bearer AT", rid: "phonepassword" }, body: {} });
    expect(await client.auth.getUserId()).toEqual({ data: "u1", errors: null });
  });

  it("maps a taken phone number and a wrong verification code", async () => {
    const server = scripted((request) =>
      request.url.endsWith("/signup")
        ? { body: { status: "FIELD_ERROR", formFields: [{ id: "phoneNumber", error: "This phone number already exists. Please sign in instead." }] } }
        : { body: { status: "INCORRECT_CODE_ERROR", failedCodeInputAttemptCount: 1, maximumCodeInputAttempts: 5 } },
    );
    const client = clientWith(server);
    expect((await client.auth.signUpWithPhone("+14155550100", "pass-word-1")).errors?.code).toBe("PHONE_NUMBER_ALREADY_EXISTS");
    expect((await client.auth.verifyPhone("000000")).errors).toMatchObject({ code: "INCORRECT_CODE", failedCodeInputAttemptCount: 1 });
    expect(server.seen[1]).toMatchObject({ url: "https://api.example.com/auth/phonepassword/verify", body: { code: "000000" } });
  });

  it("email verification: token route without a tenant segment, verify with the tenant, isVerified by GET", async () => {
    const server = scripted((request) =>
      request.method === "GET" ? { body: { status: "OK", isVerified: false } } : request.url.endsWith("/token") ? { body: { status: "OK" } } : { body: { status: "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR" } },
    );
    const client = clientWith(server, "acme");
    expect(await client.auth.sendVerificationEmail()).toEqual({ data: { alreadyVerified: false }, errors: null });
    expect((await client.auth.verifyEmail("t0k")).errors?.code).toBe("INVALID_TOKEN");
    expect(await client.auth.isEmailVerified()).toEqual({ data: { isVerified: false }, errors: null });
    expect(server.seen.map((s) => [s.method, s.url, s.headers["rid"], s.body])).toEqual([
      ["POST", "https://api.example.com/auth/user/email/verify/token", "emailverification", {}],
      ["POST", "https://api.example.com/auth/acme/user/email/verify", "emailverification", { method: "token", token: "t0k" }],
      ["GET", "https://api.example.com/auth/user/email/verify", "emailverification", undefined],
    ]);
    expect((await client.auth.verifyEmail()).errors?.code).toBe("INVALID_LINK");
  });

  it("changePassword picks the phonepassword route for a phone user, in the session's tenant", async () => {
    const frontToken = btoa(JSON.stringify({ uid: "u1", ate: Date.now() + 60_000, up: { rsub: "u1", tId: "acme" } }));
    const server = scripted((request) =>
      request.url.endsWith("/session/user")
        ? { body: { status: "OK", user: { id: "u1", loginMethods: [{ recipeId: "phonepassword", recipeUserId: "u1" }] } } }
        : request.url.endsWith("/signin")
          ? { body: { status: "OK", user: {} }, headers: { "front-token": frontToken, "st-access-token": "AT", "st-refresh-token": "RT" } }
          : { body: { status: "WRONG_CREDENTIALS_ERROR" } },
    );
    const client = clientWith(server);
    await client.auth.signInWithPhone("+14155550100", "x");
    expect((await client.auth.changePassword("old", "new-pass-2")).errors?.code).toBe("WRONG_CREDENTIALS");
    expect(server.seen[2]).toMatchObject({
      url: "https://api.example.com/auth/acme/phonepassword/password/change",
      headers: { rid: "phonepassword" },
      body: { oldPassword: "old", newPassword: "new-pass-2" },
    });
  });
});

describe("transport failures", () => {
  it("a fetch that throws is NETWORK_ERROR, never an exception", async () => {
    const client = createClient({
      apiDomain: "https://api.example.com",
      tokenTransfer: "header",
      storage: memoryStorage(),
      fetch: (async () => {
        throw new TypeError("fetch failed");
      }) as typeof fetch,
    });
    const result = await client.auth.signInWithEmail("a@example.com", "pw");
    expect(result.data).toBeNull();
    expect(result.errors).toMatchObject({ code: "NETWORK_ERROR", message: "The server could not be reached: fetch failed" });
  });

  it("passwordless resend and consume without a pending attempt are RESTART_FLOW; a URL without a link code is INVALID_LINK", async () => {
    const server = scripted(() => ({ body: { status: "OK" } }));
    const client = clientWith(server);
    expect((await client.auth.resendPasswordlessCode()).errors?.code).toBe("RESTART_FLOW");
    expect((await client.auth.consumePasswordlessCode("123456")).errors?.code).toBe("RESTART_FLOW");
    expect((await client.auth.consumeMagicLink("https://app.example.com/auth/verify?preAuthSessionId=abc")).errors?.code).toBe("INVALID_LINK");
    expect(server.seen).toHaveLength(0);
  });
});
