import { describe, expect, it } from "vitest";
import { errorFromAnswer, type ServerAnswer } from "./error-mapping.js";

const ok = (body: unknown, retryAfter: string | null = null): ServerAnswer => ({ httpStatus: 200, body, retryAfter });

describe("errorFromAnswer", () => {
  it("is null for OK and for a 200 without status (refresh's {})", () => {
    expect(errorFromAnswer(ok({ status: "OK", user: {} }))).toBeNull();
    expect(errorFromAnswer(ok({}))).toBeNull();
  });

  it("maps every business status of the contract to its code", () => {
    const cases: [string, string][] = [
      ["WRONG_CREDENTIALS_ERROR", "WRONG_CREDENTIALS"],
      ["EMAIL_NOT_VERIFIED_ERROR", "EMAIL_NOT_VERIFIED"],
      ["PHONE_NOT_VERIFIED_ERROR", "PHONE_NOT_VERIFIED"],
      ["EMAIL_VERIFICATION_NOT_ENABLED_ERROR", "EMAIL_VERIFICATION_NOT_ENABLED"],
      ["INVALID_REDIRECT_URL_ERROR", "INVALID_REDIRECT_URL"],
      ["INCORRECT_CODE_ERROR", "INCORRECT_CODE"],
      ["INCORRECT_USER_INPUT_CODE_ERROR", "INCORRECT_CODE"],
      ["EXPIRED_CODE_ERROR", "EXPIRED_CODE"],
      ["EXPIRED_USER_INPUT_CODE_ERROR", "EXPIRED_CODE"],
      ["RESTART_FLOW_ERROR", "RESTART_FLOW"],
      ["RESET_PASSWORD_INVALID_TOKEN_ERROR", "INVALID_TOKEN"],
      ["EMAIL_VERIFICATION_INVALID_TOKEN_ERROR", "INVALID_TOKEN"],
      ["PASSWORD_POLICY_VIOLATED_ERROR", "PASSWORD_POLICY_VIOLATED"],
      ["SIGN_UP_NOT_ALLOWED", "SIGN_UP_NOT_ALLOWED"],
      ["SIGN_IN_NOT_ALLOWED", "SIGN_IN_NOT_ALLOWED"],
      ["SIGN_IN_UP_NOT_ALLOWED", "SIGN_IN_UP_NOT_ALLOWED"],
      ["PASSWORD_RESET_NOT_ALLOWED", "PASSWORD_RESET_NOT_ALLOWED"],
    ];
    for (const [status, code] of cases) {
      const error = errorFromAnswer(ok({ status }));
      expect(error?.code, status).toBe(code);
      expect(error?.message, status).toMatch(/\S/);
    }
  });

  it("keeps the server's message, reason or failureReason, and the attempt counts", () => {
    expect(errorFromAnswer(ok({ status: "INVALID_REDIRECT_URL_ERROR", message: "Not allowed: x" }))?.message).toBe("Not allowed: x");
    expect(errorFromAnswer(ok({ status: "SIGN_IN_NOT_ALLOWED", reason: "ERR_CODE_008" }))?.message).toBe("ERR_CODE_008");
    expect(errorFromAnswer(ok({ status: "PASSWORD_POLICY_VIOLATED_ERROR", failureReason: "Too short" }))?.message).toBe("Too short");
    expect(errorFromAnswer(ok({ status: "INCORRECT_CODE_ERROR", failedCodeInputAttemptCount: 2, maximumCodeInputAttempts: 5 }))).toMatchObject({
      code: "INCORRECT_CODE",
      failedCodeInputAttemptCount: 2,
      maximumCodeInputAttempts: 5,
      httpStatus: 200,
    });
  });

  it("tells a limited request (GENERAL_ERROR + Retry-After) from a plain GENERAL_ERROR", () => {
    expect(errorFromAnswer(ok({ status: "GENERAL_ERROR", message: "Too many attempts" }, "42"))).toMatchObject({
      code: "RATE_LIMITED",
      message: "Too many attempts",
      retryAfterSeconds: 42,
    });
    expect(errorFromAnswer(ok({ status: "GENERAL_ERROR", message: "Not invited" }))).toMatchObject({ code: "GENERAL_ERROR", message: "Not invited" });
    expect(errorFromAnswer({ httpStatus: 429, body: undefined, retryAfter: "3" })).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 3 });
  });

  it("maps FIELD_ERROR with its fields, and the fixed taken-identifier texts to their own codes", () => {
    expect(errorFromAnswer(ok({ status: "FIELD_ERROR", formFields: [{ id: "email", error: "Email is invalid" }] }))).toMatchObject({
      code: "FIELD_ERROR",
      message: "Email is invalid",
      fields: [{ id: "email", error: "Email is invalid" }],
    });
    const email = ok({ status: "FIELD_ERROR", formFields: [{ id: "email", error: "This email already exists. Please sign in instead." }] });
    expect(errorFromAnswer(email)?.code).toBe("EMAIL_ALREADY_EXISTS");
    const phone = ok({ status: "FIELD_ERROR", formFields: [{ id: "phoneNumber", error: "This phone number already exists. Please sign in instead." }] });
    expect(errorFromAnswer(phone)?.code).toBe("PHONE_NUMBER_ALREADY_EXISTS");
    expect(errorFromAnswer(ok({ status: "FIELD_ERROR", formFields: "nonsense" }))).toMatchObject({ code: "FIELD_ERROR", fields: [] });
  });

  it("maps HTTP errors: 401, 403 claims (st-ev → EMAIL_NOT_VERIFIED), 400 with the server message, 5xx", () => {
    expect(errorFromAnswer({ httpStatus: 401, body: { message: "unauthorised" }, retryAfter: null })).toMatchObject({ code: "UNAUTHORISED", httpStatus: 401 });
    expect(errorFromAnswer({ httpStatus: 401, body: { message: "token theft detected" }, retryAfter: null })).toMatchObject({
      code: "UNAUTHORISED",
      message: "token theft detected",
    });
    const ev = { message: "invalid claim", claimValidationErrors: [{ id: "st-ev", reason: { message: "wrong value" } }] };
    expect(errorFromAnswer({ httpStatus: 403, body: ev, retryAfter: null })).toMatchObject({ code: "EMAIL_NOT_VERIFIED", claimValidationErrors: ev.claimValidationErrors });
    const role = { message: "invalid claim", claimValidationErrors: [{ id: "st-role" }] };
    expect(errorFromAnswer({ httpStatus: 403, body: role, retryAfter: null })?.code).toBe("INVALID_CLAIM");
    expect(errorFromAnswer({ httpStatus: 400, body: { message: "Please provide preAuthSessionId" }, retryAfter: null })).toMatchObject({
      code: "BAD_REQUEST",
      message: "Please provide preAuthSessionId",
    });
    expect(errorFromAnswer({ httpStatus: 500, body: undefined, retryAfter: null })?.code).toBe("SERVER_ERROR");
  });

  it("calls unknown statuses and non-JSON 200s unexpected rather than success", () => {
    expect(errorFromAnswer(ok({ status: "SOMETHING_NEW" }))).toMatchObject({ code: "UNEXPECTED_RESPONSE", message: "Unexpected status SOMETHING_NEW" });
    expect(errorFromAnswer(ok(undefined))?.code).toBe("UNEXPECTED_RESPONSE");
    expect(errorFromAnswer({ httpStatus: 302, body: undefined, retryAfter: null })?.code).toBe("UNEXPECTED_RESPONSE");
  });
});
