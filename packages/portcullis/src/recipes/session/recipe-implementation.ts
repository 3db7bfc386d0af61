import type { JSONObject } from "../../core/json.js";
import { RecipeUserId } from "../../core/recipe-user-id.js";
import type { Clock } from "../../core/runtime.js";
import { getRequestFromUserContext } from "../../core/user-context.js";
import type { Engine } from "../../engine/types.js";
import type { Storage } from "../../storage/storage.js";
import { mergeIntoPayload, stripProtectedProps } from "./access-token.js";
import { unauthorised } from "./error.js";
import { resolveAntiCsrf } from "./config.js";
import { Session } from "./session-container.js";
import type { CreateOrRefreshResult, SessionService } from "./session-service.js";
import type { RecipeInterface, SessionInformation, TypeNormalisedInput } from "./types.js";

export interface SessionRecipeDeps {
  service: SessionService;
  storage: Storage;
  clock: Clock;
  config: TypeNormalisedInput;
  issuer: string;
  /** Resolved lazily: the final, overridden implementation sessions call back into. */
  getImplementation: () => RecipeInterface;
  emit: Engine["emit"];
}

function sessionFromResult(deps: SessionRecipeDeps, result: CreateOrRefreshResult): Session {
  return new Session(deps.getImplementation(), deps.config, deps.clock, {
    accessToken: result.accessToken.token,
    accessTokenExpiry: result.accessToken.expiry,
    refreshToken: result.refreshToken,
    antiCsrfToken: result.antiCsrfToken,
    sessionHandle: result.session.handle,
    userId: result.session.userId,
    recipeUserId: result.session.recipeUserId,
    accessTokenPayload: result.accessTokenPayload,
    tenantId: result.session.tenantId,
    accessAndFrontTokenUpdated: true,
  });
}

export function createSessionRecipeImplementation(deps: SessionRecipeDeps): RecipeInterface {
  const { service, storage, clock, config } = deps;
  return {
    async createNewSession({ userId, recipeUserId, accessTokenPayload, sessionDataInDatabase, disableAntiCsrf, tenantId, userContext }) {
      const request = getRequestFromUserContext(userContext);
      const antiCsrf = resolveAntiCsrf(config, request, userContext);
      const userDataInJWT = { ...stripProtectedProps((accessTokenPayload ?? {}) as Record<string, unknown>) };
      if (userDataInJWT["iss"] === undefined) userDataInJWT["iss"] = deps.issuer;
      const result = await service.create({
        userId,
        recipeUserId,
        tenantId,
        userDataInJWT,
        sessionData: (sessionDataInDatabase ?? {}) as Record<string, unknown>,
        enableAntiCsrf: disableAntiCsrf !== true && antiCsrf === "VIA_TOKEN",
        useStaticKey: !config.useDynamicAccessTokenSigningKey,
        userContext,
      });
      return sessionFromResult(deps, result);
    },

    getGlobalClaimValidators({ claimValidatorsAddedByOtherRecipes }) {
      return claimValidatorsAddedByOtherRecipes;
    },

    async getSession({ accessToken, antiCsrfToken, options, userContext }) {
      if (accessToken === undefined) {
        if (options?.sessionRequired === false) return undefined;
        throw unauthorised("Session does not exist. Are you sending the session tokens in the request with the appropriate token transfer method?", false);
      }
      const request = getRequestFromUserContext(userContext);
      const result = await service.verify({
        accessToken,
        antiCsrfToken,
        doAntiCsrfCheck: options?.antiCsrfCheck !== false,
        antiCsrf: resolveAntiCsrf(config, request, userContext),
        checkDatabase: options?.checkDatabase === true,
        useDynamicSigningKey: config.useDynamicAccessTokenSigningKey,
      });
      const token = result.accessToken?.token ?? accessToken;
      const expiry = result.accessToken?.expiry ?? result.session.expiryTime;
      return new Session(deps.getImplementation(), config, clock, {
        accessToken: token,
        accessTokenExpiry: expiry,
        refreshToken: undefined,
        antiCsrfToken,
        sessionHandle: result.session.handle,
        userId: result.session.userId,
        recipeUserId: result.session.recipeUserId,
        // The verified payload is shared and frozen; each session gets its own copy.
        accessTokenPayload: { ...result.accessTokenPayload },
        tenantId: result.session.tenantId,
        accessAndFrontTokenUpdated: result.accessToken !== undefined,
      });
    },

    async refreshSession({ refreshToken, antiCsrfToken, disableAntiCsrf }) {
      const result = await service.refresh({ refreshToken, antiCsrfToken, disableAntiCsrf });
      return sessionFromResult(deps, result);
    },

    async getSessionInformation({ sessionHandle }): Promise<SessionInformation | undefined> {
      const record = await storage.sessions.get(sessionHandle);
      if (record === undefined || !service.isLive(record, clock.now())) return undefined;
      return {
        sessionHandle: record.sessionHandle,
        userId: record.userId,
        recipeUserId: new RecipeUserId(record.recipeUserId),
        sessionDataInDatabase: record.sessionData,
        expiry: service.endOf(record),
        customClaimsInAccessTokenPayload: record.accessTokenPayload,
        timeCreated: record.createdAt,
        tenantId: record.tenantId,
      };
    },

    async revokeAllSessionsForUser({ userId, tenantId, revokeAcrossAllTenants }) {
      const revoked = await storage.sessions.revokeForUser(userId, revokeAcrossAllTenants === true ? undefined : tenantId);
      if (revoked.length > 0) deps.emit({ type: "session.revoked", sessionHandles: revoked, userId, ...(revokeAcrossAllTenants === true ? {} : { tenantId }) });
      return revoked;
    },

    async getAllSessionHandlesForUser({ userId, tenantId, fetchAcrossAllTenants }) {
      return storage.sessions.listHandlesForUser(userId, fetchAcrossAllTenants === true ? undefined : tenantId, clock.now());
    },

    async revokeSession({ sessionHandle }) {
      const revoked = await storage.sessions.revoke([sessionHandle]);
      if (revoked.length > 0) deps.emit({ type: "session.revoked", sessionHandles: revoked });
      return revoked.length === 1;
    },

    async revokeMultipleSessions({ sessionHandles }) {
      const revoked = await storage.sessions.revoke(sessionHandles);
      if (revoked.length > 0) deps.emit({ type: "session.revoked", sessionHandles: revoked });
      return revoked;
    },

    async updateSessionDataInDatabase({ sessionHandle, newSessionData }) {
      return storage.sessions.updateData(sessionHandle, (newSessionData ?? {}) as Record<string, unknown>);
    },

    async mergeIntoAccessTokenPayload(this: RecipeInterface, { sessionHandle, accessTokenPayloadUpdate, userContext }) {
      const information = await this.getSessionInformation({ sessionHandle, userContext });
      if (information === undefined) return false;
      const merged = mergeIntoPayload(information.customClaimsInAccessTokenPayload as Record<string, unknown>, accessTokenPayloadUpdate);
      return storage.sessions.updatePayload(sessionHandle, merged);
    },

    async regenerateAccessToken({ accessToken, newAccessTokenPayload }) {
      const stripped = newAccessTokenPayload === undefined ? undefined : stripProtectedProps(newAccessTokenPayload as Record<string, unknown>);
      const result = await service.regenerate(accessToken, stripped);
      if (result === undefined) return undefined;
      return { status: "OK", session: result.session, ...(result.accessToken !== undefined ? { accessToken: result.accessToken } : {}) };
    },

    async validateClaims({ userId, recipeUserId, accessTokenPayload, claimValidators, userContext }) {
      let payload = accessTokenPayload as JSONObject;
      let update: JSONObject | undefined;
      for (const validator of claimValidators) {
        if ("claim" in validator && (await validator.shouldRefetch(payload, userContext))) {
          const tenantId = String(payload["tId"] ?? "public");
          const value = await validator.claim.fetchValue(userId, recipeUserId, tenantId, payload, userContext);
          if (value !== undefined) {
            payload = validator.claim.addToPayload_internal(payload, value, userContext);
            update = validator.claim.addToPayload_internal(update ?? {}, value, userContext);
          }
        }
      }
      const invalidClaims = [];
      for (const validator of claimValidators) {
        const result = await validator.validate(payload, userContext);
        if (!result.isValid) invalidClaims.push({ id: validator.id, reason: result.reason });
      }
      return { invalidClaims, ...(update !== undefined ? { accessTokenPayloadUpdate: update } : {}) };
    },

    async fetchAndSetClaim(this: RecipeInterface, { sessionHandle, claim, userContext }) {
      const information = await this.getSessionInformation({ sessionHandle, userContext });
      if (information === undefined) return false;
      const update = await claim.build(information.userId, information.recipeUserId, information.tenantId, information.customClaimsInAccessTokenPayload as JSONObject, userContext);
      return this.mergeIntoAccessTokenPayload({ sessionHandle, accessTokenPayloadUpdate: update, userContext });
    },

    async setClaimValue(this: RecipeInterface, { sessionHandle, claim, value, userContext }) {
      return this.mergeIntoAccessTokenPayload({ sessionHandle, accessTokenPayloadUpdate: claim.addToPayload_internal({}, value, userContext), userContext });
    },

    async getClaimValue(this: RecipeInterface, { sessionHandle, claim, userContext }) {
      const information = await this.getSessionInformation({ sessionHandle, userContext });
      if (information === undefined) return { status: "SESSION_DOES_NOT_EXIST_ERROR" };
      return { status: "OK", value: claim.getValueFromPayload(information.customClaimsInAccessTokenPayload as JSONObject, userContext) };
    },

    async removeClaim(this: RecipeInterface, { sessionHandle, claim, userContext }) {
      return this.mergeIntoAccessTokenPayload({ sessionHandle, accessTokenPayloadUpdate: claim.removeFromPayloadByMerge_internal({}, userContext), userContext });
    },
  };
}

