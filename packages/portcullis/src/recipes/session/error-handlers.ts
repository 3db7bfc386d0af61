import type { NormalisedErrorHandlers } from "./types.js";

/** The exact bodies the frontend SDKs match on. */
export function defaultErrorHandlers(sessionExpiredStatusCode: number, invalidClaimStatusCode: number): NormalisedErrorHandlers {
  return {
    onUnauthorised: async (_message, _req, res) => {
      res.setStatusCode(sessionExpiredStatusCode);
      res.sendJSONResponse({ message: "unauthorised" });
    },
    onTryRefreshToken: async (_message, _req, res) => {
      res.setStatusCode(sessionExpiredStatusCode);
      res.sendJSONResponse({ message: "try refresh token" });
    },
    onTokenTheftDetected: async (_sessionHandle, _userId, _recipeUserId, _req, res) => {
      res.setStatusCode(sessionExpiredStatusCode);
      res.sendJSONResponse({ message: "token theft detected" });
    },
    onInvalidClaim: async (validationErrors, _req, res) => {
      res.setStatusCode(invalidClaimStatusCode);
      res.sendJSONResponse({ message: "invalid claim", claimValidationErrors: validationErrors });
    },
    onClearDuplicateSessionCookies: async (message, _req, res) => {
      res.setStatusCode(200);
      res.sendJSONResponse({ message });
    },
  };
}
