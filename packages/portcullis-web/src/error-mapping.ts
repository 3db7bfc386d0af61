import type { AuthError, ErrorCode } from "./types.js";

/** Server statuses that map one to one onto a client code. */
const STATUS_CODES: Record<string, ErrorCode> = {
  WRONG_CREDENTIALS_ERROR: "WRONG_CREDENTIALS",
  SIGN_UP_NOT_ALLOWED: "SIGN_UP_NOT_ALLOWED",
  SIGN_IN_NOT_ALLOWED: "SIGN_IN_NOT_ALLOWED",
  SIGN_IN_UP_NOT_ALLOWED: "SIGN_IN_UP_NOT_ALLOWED",
  PASSWORD_RESET_NOT_ALLOWED: "PASSWORD_RESET_NOT_ALLOWED",
  EMAIL_NOT_VERIFIED_ERROR: "EMAIL_NOT_VERIFIED",
  PHONE_NOT_VERIFIED_ERROR: "PHONE_NOT_VERIFIED",
  EMAIL_VERIFICATION_NOT_ENABLED_ERROR: "EMAIL_VERIFICATION_NOT_ENABLED",
  INVALID_REDIRECT_URL_ERROR: "INVALID_REDIRECT_URL",
  INCORRECT_CODE_ERROR: "INCORRECT_CODE",
  INCORRECT_USER_INPUT_CODE_ERROR: "INCORRECT_CODE",
  EXPIRED_CODE_ERROR: "EXPIRED_CODE",
  EXPIRED_USER_INPUT_CODE_ERROR: "EXPIRED_CODE",
  RESTART_FLOW_ERROR: "RESTART_FLOW",
  RESET_PASSWORD_INVALID_TOKEN_ERROR: "INVALID_TOKEN",
  EMAIL_VERIFICATION_INVALID_TOKEN_ERROR: "INVALID_TOKEN",
  PASSWORD_POLICY_VIOLATED_ERROR: "PASSWORD_POLICY_VIOLATED",
};

/** Fallback messages for statuses that carry none of their own. */
const DEFAULT_MESSAGES: Partial<Record<ErrorCode, string>> = {
  NETWORK_ERROR: "The server could not be reached",
  UNAUTHORISED: "You are not signed in",
  WRONG_CREDENTIALS: "Incorrect credentials",
  INCORRECT_CODE: "Incorrect code",
  EXPIRED_CODE: "The code has expired",
  RESTART_FLOW: "Please start again",
  INVALID_TOKEN: "The link is invalid or has expired",
  INVALID_REDIRECT_URL: "The redirect URL is not allowed",
  EMAIL_NOT_VERIFIED: "The email address is not verified",
  PHONE_NOT_VERIFIED: "The phone number is not verified",
  EMAIL_VERIFICATION_NOT_ENABLED: "Email verification is not enabled",
  INVALID_CLAIM: "The session does not meet a requirement of this request",
  SERVER_ERROR: "The server failed to answer",
  UNEXPECTED_RESPONSE: "The server sent an unexpected answer",
  BAD_REQUEST: "The request was rejected",
};

/** The fixed FDI strings for a taken identifier: worth a code of their own, since "sign in instead" is the usual reaction. */
const ALREADY_EXISTS: Record<string, ErrorCode> = {
  "This email already exists. Please sign in instead.": "EMAIL_ALREADY_EXISTS",
  "This phone number already exists. Please sign in instead.": "PHONE_NUMBER_ALREADY_EXISTS",
};

export function authError(code: ErrorCode, message?: string, extra: Omit<AuthError, "code" | "message"> = {}): AuthError {
  return { code, message: message ?? DEFAULT_MESSAGES[code] ?? code, ...extra };
}

export interface ServerAnswer {
  httpStatus: number;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
  retryAfter: string | null;
}

/**
 * The error an answer means, or null for a 200 `status: "OK"` (and for a 200 without status, like
 * refresh's `{}`). Callers decide which non-OK statuses are data rather than errors before calling this.
 */
export function errorFromAnswer(answer: ServerAnswer): AuthError | null {
  const { httpStatus } = answer;
  const body = (typeof answer.body === "object" && answer.body !== null ? answer.body : {}) as Record<string, unknown>;
  const serverMessage = typeof body["message"] === "string" ? body["message"] : undefined;
  const http = { httpStatus };

  if (httpStatus === 401) return authError("UNAUTHORISED", serverMessage === "unauthorised" ? undefined : serverMessage, http);
  if (httpStatus === 403) return claimError(body, http);
  if (httpStatus === 429) return authError("RATE_LIMITED", serverMessage ?? "Too many requests", { ...http, ...retryAfterOf(answer) });
  if (httpStatus >= 500) return authError("SERVER_ERROR", undefined, http);
  if (httpStatus >= 400) return authError("BAD_REQUEST", serverMessage, http);
  if (httpStatus < 200 || httpStatus >= 300 || answer.body === undefined) return authError("UNEXPECTED_RESPONSE", undefined, http);

  const status = body["status"];
  if (status === undefined || status === "OK") return null;
  if (typeof status !== "string") return authError("UNEXPECTED_RESPONSE", undefined, http);
  if (status === "GENERAL_ERROR") {
    // The server's limits answer GENERAL_ERROR + Retry-After (so the official clients show the text); nothing else sets the header.
    if (answer.retryAfter !== null) return authError("RATE_LIMITED", serverMessage ?? "Too many requests", { ...http, ...retryAfterOf(answer) });
    return authError("GENERAL_ERROR", serverMessage ?? "Something went wrong", http);
  }
  if (status === "FIELD_ERROR") return fieldError(body, http);
  const code = STATUS_CODES[status];
  if (code === undefined) return authError("UNEXPECTED_RESPONSE", `Unexpected status ${status}`, http);
  return authError(code, serverMessage ?? stringOf(body["reason"]) ?? stringOf(body["failureReason"]), { ...http, ...attemptsOf(body) });
}

function fieldError(body: Record<string, unknown>, http: { httpStatus: number }): AuthError {
  const fields = Array.isArray(body["formFields"])
    ? (body["formFields"] as unknown[]).filter(isFieldError).map((field) => ({ id: field.id, error: field.error }))
    : [];
  const taken = fields.map((field) => ALREADY_EXISTS[field.error]).find((code) => code !== undefined);
  const message = fields.map((field) => field.error).join("; ") || "A form field is invalid";
  return authError(taken ?? "FIELD_ERROR", message, { ...http, fields });
}

function claimError(body: Record<string, unknown>, http: { httpStatus: number }): AuthError {
  const failures = Array.isArray(body["claimValidationErrors"])
    ? (body["claimValidationErrors"] as unknown[]).filter(
        (entry): entry is { id: string; reason?: unknown } => typeof entry === "object" && entry !== null && typeof (entry as { id?: unknown }).id === "string",
      )
    : [];
  // st-ev is the email-verification claim: the one failure apps handle specially (send them to verify).
  const code: ErrorCode = failures.some((failure) => failure.id === "st-ev") ? "EMAIL_NOT_VERIFIED" : "INVALID_CLAIM";
  return authError(code, undefined, { ...http, claimValidationErrors: failures });
}

function isFieldError(value: unknown): value is { id: string; error: string } {
  if (typeof value !== "object" || value === null) return false;
  const { id, error } = value as Record<string, unknown>;
  return typeof id === "string" && typeof error === "string";
}

function attemptsOf(body: Record<string, unknown>): Pick<AuthError, "failedCodeInputAttemptCount" | "maximumCodeInputAttempts"> {
  const failed = body["failedCodeInputAttemptCount"];
  const maximum = body["maximumCodeInputAttempts"];
  return {
    ...(typeof failed === "number" ? { failedCodeInputAttemptCount: failed } : {}),
    ...(typeof maximum === "number" ? { maximumCodeInputAttempts: maximum } : {}),
  };
}

function retryAfterOf(answer: ServerAnswer): Pick<AuthError, "retryAfterSeconds"> {
  const seconds = answer.retryAfter === null ? NaN : Number(answer.retryAfter);
  return Number.isFinite(seconds) ? { retryAfterSeconds: seconds } : {};
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
