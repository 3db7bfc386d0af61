import type { JSONObject } from "../../core/json.js";
import type { RecipeUserId } from "../../core/recipe-user-id.js";
import { makeRequestUserContext, makeUserContext, type UserContext } from "../../core/user-context.js";
import type { Clock } from "../../core/runtime.js";
import { mergeIntoPayload } from "./access-token.js";
import SessionError, { unauthorised } from "./error.js";
import type { SessionClaim } from "./claims/session-claim.js";
import { buildFrontToken, clearSession, setAccessToken, setAntiCsrfToken, setRefreshToken } from "./token-transport.js";
import type {
  RecipeInterface,
  ReqResInfo,
  SessionClaimValidator,
  SessionContainerInterface,
  TokenInfo,
  TypeNormalisedInput,
} from "./types.js";

export interface SessionState {
  accessToken: string;
  /** Milliseconds; with the payload it makes the front token, built only when a response needs it. */
  accessTokenExpiry: number;
  refreshToken: TokenInfo | undefined;
  antiCsrfToken: string | undefined;
  sessionHandle: string;
  userId: string;
  recipeUserId: RecipeUserId;
  accessTokenPayload: Record<string, unknown>;
  tenantId: string;
  accessAndFrontTokenUpdated: boolean;
}

/** The object routes receive as `req.session`. Writes to the response it is attached to. */
export class Session implements SessionContainerInterface {
  private reqResInfo: ReqResInfo | undefined;

  constructor(
    private readonly recipeImplementation: RecipeInterface,
    private readonly config: TypeNormalisedInput,
    private readonly clock: Clock,
    private state: SessionState,
  ) {}

  private context(userContext: Record<string, unknown> | undefined): UserContext {
    if (userContext !== undefined) return makeUserContext(userContext, this.clock);
    return this.reqResInfo !== undefined ? makeRequestUserContext(this.reqResInfo.req, undefined, this.clock) : makeUserContext(undefined, this.clock);
  }

  async revokeSession(userContext?: Record<string, unknown>): Promise<void> {
    const context = this.context(userContext);
    await this.recipeImplementation.revokeSession({ sessionHandle: this.state.sessionHandle, userContext: context });
    if (this.reqResInfo !== undefined) {
      clearSession(this.config, this.reqResInfo.req, this.reqResInfo.res, this.reqResInfo.transferMethod, context);
    }
  }

  async getSessionDataFromDatabase(userContext?: Record<string, unknown>): Promise<unknown> {
    return (await this.requireInformation(userContext)).sessionDataInDatabase;
  }

  async updateSessionDataInDatabase(newSessionData: unknown, userContext?: Record<string, unknown>): Promise<void> {
    const updated = await this.recipeImplementation.updateSessionDataInDatabase({
      sessionHandle: this.state.sessionHandle,
      newSessionData,
      userContext: this.context(userContext),
    });
    if (!updated) throw unauthorised("Session does not exist anymore");
  }

  getUserId(): string {
    return this.state.userId;
  }

  getRecipeUserId(): RecipeUserId {
    return this.state.recipeUserId;
  }

  getTenantId(): string {
    return this.state.tenantId;
  }

  getAccessTokenPayload(): Record<string, unknown> {
    return this.state.accessTokenPayload;
  }

  getHandle(): string {
    return this.state.sessionHandle;
  }

  getAccessToken(): string {
    return this.state.accessToken;
  }

  getAllSessionTokensDangerously(): ReturnType<SessionContainerInterface["getAllSessionTokensDangerously"]> {
    return {
      accessToken: this.state.accessToken,
      refreshToken: this.state.refreshToken?.token,
      antiCsrfToken: this.state.antiCsrfToken,
      frontToken: this.frontToken(),
      accessAndFrontTokenUpdated: this.state.accessAndFrontTokenUpdated,
    };
  }

  async mergeIntoAccessTokenPayload(accessTokenPayloadUpdate: JSONObject, userContext?: Record<string, unknown>): Promise<void> {
    const context = this.context(userContext);
    const merged = mergeIntoPayload(this.state.accessTokenPayload, accessTokenPayloadUpdate);
    const result = await this.recipeImplementation.regenerateAccessToken({
      accessToken: this.state.accessToken,
      newAccessTokenPayload: merged,
      userContext: context,
    });
    if (result === undefined) throw unauthorised("Session does not exist anymore");
    if (result.accessToken !== undefined) {
      this.applyNewAccessToken(result.accessToken, context);
    } else {
      this.state = { ...this.state, accessTokenPayload: { ...this.state.accessTokenPayload, ...merged } };
    }
  }

  /** Adopts a replacement access token and, if attached, writes it to the response with a new front token. */
  applyNewAccessToken(accessToken: TokenInfo, userContext: UserContext): void {
    const payload = decodePayload(accessToken.token);
    this.state = {
      ...this.state,
      accessToken: accessToken.token,
      accessTokenPayload: payload,
      accessTokenExpiry: accessToken.expiry,
      accessAndFrontTokenUpdated: true,
    };
    if (this.reqResInfo !== undefined) {
      setAccessToken(
        this.config,
        this.reqResInfo.req,
        this.reqResInfo.res,
        accessToken.token,
        this.frontToken(),
        this.reqResInfo.transferMethod,
        this.clock.now(),
        userContext,
      );
    }
  }

  async getTimeCreated(userContext?: Record<string, unknown>): Promise<number> {
    return (await this.requireInformation(userContext)).timeCreated;
  }

  async getExpiry(userContext?: Record<string, unknown>): Promise<number> {
    return (await this.requireInformation(userContext)).expiry;
  }

  async assertClaims(claimValidators: SessionClaimValidator[], userContext?: Record<string, unknown>): Promise<void> {
    const context = this.context(userContext);
    const result = await this.recipeImplementation.validateClaims({
      userId: this.state.userId,
      recipeUserId: this.state.recipeUserId,
      accessTokenPayload: this.state.accessTokenPayload,
      claimValidators,
      userContext: context,
    });
    if (result.accessTokenPayloadUpdate !== undefined) {
      await this.mergeIntoAccessTokenPayload(result.accessTokenPayloadUpdate as JSONObject, context);
    }
    if (result.invalidClaims.length > 0) {
      throw new SessionError({ message: "INVALID_CLAIMS", type: "INVALID_CLAIMS", payload: result.invalidClaims });
    }
  }

  async fetchAndSetClaim<T>(claim: SessionClaim<T>, userContext?: Record<string, unknown>): Promise<void> {
    const context = this.context(userContext);
    const update = await claim.build(this.state.userId, this.state.recipeUserId, this.state.tenantId, this.state.accessTokenPayload as JSONObject, context);
    await this.mergeIntoAccessTokenPayload(update, context);
  }

  async setClaimValue<T>(claim: SessionClaim<T>, value: T, userContext?: Record<string, unknown>): Promise<void> {
    const context = this.context(userContext);
    await this.mergeIntoAccessTokenPayload(claim.addToPayload_internal({}, value, context), context);
  }

  async getClaimValue<T>(claim: SessionClaim<T>, userContext?: Record<string, unknown>): Promise<T | undefined> {
    return claim.getValueFromPayload(this.state.accessTokenPayload as JSONObject, this.context(userContext));
  }

  async removeClaim(claim: SessionClaim<unknown>, userContext?: Record<string, unknown>): Promise<void> {
    const context = this.context(userContext);
    await this.mergeIntoAccessTokenPayload(claim.removeFromPayloadByMerge_internal({}, context), context);
  }

  attachToRequestResponse(reqResInfo: ReqResInfo, userContext?: Record<string, unknown>): void {
    this.reqResInfo = reqResInfo;
    if (!this.state.accessAndFrontTokenUpdated) return;
    const context = this.context(userContext);
    const { req, res, transferMethod } = reqResInfo;
    setAccessToken(this.config, req, res, this.state.accessToken, this.frontToken(), transferMethod, this.clock.now(), context);
    if (this.state.refreshToken !== undefined) {
      setRefreshToken(this.config, req, res, this.state.refreshToken.token, this.state.refreshToken.expiry, transferMethod, context);
    }
    if (this.state.antiCsrfToken !== undefined) setAntiCsrfToken(res, this.state.antiCsrfToken);
  }

  private frontToken(): string {
    return buildFrontToken(this.state.userId, this.state.accessTokenExpiry, this.state.accessTokenPayload);
  }

  private async requireInformation(userContext: Record<string, unknown> | undefined) {
    const information = await this.recipeImplementation.getSessionInformation({
      sessionHandle: this.state.sessionHandle,
      userContext: this.context(userContext),
    });
    if (information === undefined) throw unauthorised("Session does not exist anymore");
    return information;
  }
}

export function decodePayload(accessToken: string): Record<string, unknown> {
  const part = accessToken.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
}
