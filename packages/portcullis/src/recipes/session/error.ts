import { PortcullisError } from "../../core/errors.js";
import type { RecipeUserId } from "../../core/recipe-user-id.js";
import type { ClaimValidationError } from "./types.js";

export default class SessionError extends PortcullisError {
  static UNAUTHORISED = "UNAUTHORISED" as const;
  static TRY_REFRESH_TOKEN = "TRY_REFRESH_TOKEN" as const;
  static TOKEN_THEFT_DETECTED = "TOKEN_THEFT_DETECTED" as const;
  static INVALID_CLAIMS = "INVALID_CLAIMS" as const;
  static CLEAR_DUPLICATE_SESSION_COOKIES = "CLEAR_DUPLICATE_SESSION_COOKIES" as const;

  constructor(
    options:
      | { message: string; type: "UNAUTHORISED"; payload?: { clearTokens: boolean } }
      | { message: string; type: "TRY_REFRESH_TOKEN" }
      | {
          message: string;
          type: "TOKEN_THEFT_DETECTED";
          payload: { userId: string; recipeUserId: RecipeUserId; sessionHandle: string };
        }
      | { message: string; type: "INVALID_CLAIMS"; payload: ClaimValidationError[] }
      | { message: string; type: "CLEAR_DUPLICATE_SESSION_COOKIES" },
  ) {
    super(
      options.type === "UNAUTHORISED" && options.payload === undefined
        ? { ...options, payload: { clearTokens: true } }
        : (options as { message: string; type: string; payload?: unknown }),
    );
    this.fromRecipe = "session";
  }
}

export function unauthorised(message: string, clearTokens = true): SessionError {
  return new SessionError({ message, type: "UNAUTHORISED", payload: { clearTokens } });
}

export function tryRefreshToken(message: string): SessionError {
  return new SessionError({ message, type: "TRY_REFRESH_TOKEN" });
}
