import { authError } from "./error-mapping.js";
import { decodeFrontToken } from "./front-token.js";
import type { RefreshLock } from "./refresh-lock.js";
import type { SessionStore } from "./storage.js";
import type { AuthError, FrontToken, TokenTransfer } from "./types.js";

/** The FDI versions supertokens-web-js 0.16 declares; the server takes the highest. */
export const FDI_VERSION = "3.1,4.0,4.1,4.2";

export interface TransportConfig {
  apiOrigin: string;
  apiBasePath: string;
  tokenTransfer: TokenTransfer;
  store: SessionStore;
  lock: RefreshLock;
  fetch: typeof fetch;
  onSessionExpired: (() => void) | undefined;
}

export interface OutgoingRequest {
  method: "GET" | "POST";
  url: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Merged over the session headers (e.g. rid). */
  headers?: Record<string, string>;
}

export type RefreshOutcome = { kind: "refreshed" } | { kind: "expired" } | { kind: "failed"; error: AuthError };

/**
 * Sends requests the way supertokens-website does: session headers on the way out, tokens from
 * the response headers kept, and on a 401 one shared refresh followed by one retry.
 */
export class SessionTransport {
  private inflightRefresh: Promise<RefreshOutcome> | undefined;
  /** The session last reported to onSessionExpired, so concurrent failures of one session report it once. */
  private expiredSession: string | undefined;

  constructor(private readonly config: TransportConfig) {}

  get refreshUrl(): string {
    return `${this.config.apiOrigin}${this.config.apiBasePath}/session/refresh`;
  }

  /** Whether a URL goes to the API origin (only those get the tokens). */
  isApiUrl(url: string): boolean {
    return originOf(url) === this.config.apiOrigin;
  }

  /** Resolves to the final response, or to a NETWORK_ERROR when the server could not be reached. */
  async send(request: OutgoingRequest): Promise<Response | AuthError> {
    const before = await this.snapshot();
    const first = await this.sendOnce(request.method, request.url, await this.headersFor(request), jsonBody(request));
    if (!(first instanceof Response) || first.status !== 401) return first;

    const outcome = await this.refreshAfter401(before);
    if (outcome.kind === "failed") return outcome.error;
    if (outcome.kind === "expired") return first;
    // One retry only: a second 401 is the answer (the session cannot be made valid for this request).
    return this.sendOnce(request.method, request.url, await this.headersFor(request), jsonBody(request));
  }

  /** Like fetch, for the app's own API routes: session headers added and the 401 → refresh → retry cycle done. */
  async fetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = String(input);
    if (!this.isApiUrl(url)) return this.config.fetch(url, init);
    const before = await this.snapshot();
    const attempt = async () => {
      const headers = new Headers(init.headers);
      for (const [name, value] of Object.entries(await this.sessionHeaders())) if (!headers.has(name)) headers.set(name, value);
      if (!headers.has("rid")) headers.set("rid", "anti-csrf");
      const response = await this.config.fetch(url, { ...init, headers, credentials: this.credentials() });
      await this.keepTokens(response);
      return response;
    };
    const first = await attempt();
    if (first.status !== 401) return first;
    const outcome = await this.refreshAfter401(before);
    return outcome.kind === "refreshed" ? attempt() : first;
  }

  async frontToken(): Promise<FrontToken | undefined> {
    return decodeFrontToken(await this.config.store.get("frontToken"));
  }

  /**
   * One refresh for all the callers that saw a 401 with the same tokens: callers in this realm
   * share the promise; other tabs wait on the lock and then find the tokens already replaced.
   */
  refreshAfter401(tokensWhenSent: string): Promise<RefreshOutcome> {
    this.inflightRefresh ??= this.config.lock
      .withLock(async (): Promise<RefreshOutcome> => {
        const now = await this.snapshot();
        if (now !== tokensWhenSent) {
          // Someone refreshed (or signed out) since the request left: retry with what is stored now.
          return now === EMPTY ? { kind: "expired" } : { kind: "refreshed" };
        }
        return this.refresh();
      })
      .finally(() => {
        this.inflightRefresh = undefined;
      });
    return this.inflightRefresh;
  }

  /** The stored tokens as one string, to tell whether they changed while a request was out. */
  async snapshot(): Promise<string> {
    const [frontToken, accessToken] = await Promise.all([this.config.store.get("frontToken"), this.config.store.get("accessToken")]);
    return frontToken === null && accessToken === null ? EMPTY : `${frontToken ?? ""}|${accessToken ?? ""}`;
  }

  private async refresh(): Promise<RefreshOutcome> {
    const { store, tokenTransfer } = this.config;
    const [frontToken, refreshToken, antiCsrf] = await Promise.all([store.get("frontToken"), store.get("refreshToken"), store.get("antiCsrf")]);
    const session = frontToken ?? refreshToken ?? undefined;
    if (tokenTransfer === "header" && refreshToken === null) return this.expire(session);

    const headers: Record<string, string> = { rid: "session", "fdi-version": FDI_VERSION, "st-auth-mode": tokenTransfer };
    if (tokenTransfer === "header" && refreshToken !== null) headers["authorization"] = `Bearer ${refreshToken}`;
    if (antiCsrf !== null) headers["anti-csrf"] = antiCsrf;
    const response = await this.sendOnce("POST", this.refreshUrl, headers, undefined);
    if (!(response instanceof Response)) return { kind: "failed", error: response };
    if (response.status === 401) return this.expire(session);
    if (response.status !== 200) return { kind: "failed", error: authError("SERVER_ERROR", `Session refresh failed with HTTP ${response.status}`, { httpStatus: response.status }) };
    // A 200 refresh must carry a front token (FDI §2.7); without one the client cannot know the session.
    if ((await this.frontToken()) === undefined) return this.expire(session);
    return { kind: "refreshed" };
  }

  private async expire(session: string | undefined): Promise<RefreshOutcome> {
    await this.config.store.clearSession();
    this.signalExpired(session);
    return { kind: "expired" };
  }

  /** Tells the app once per session that it must sign in again; nothing for a client that had no session. */
  private signalExpired(session: string | undefined): void {
    if (session === undefined || session === this.expiredSession) return;
    this.expiredSession = session;
    this.config.onSessionExpired?.();
  }

  private async sendOnce(method: string, url: string, headers: Record<string, string>, body: string | undefined): Promise<Response | AuthError> {
    let response: Response;
    try {
      response = await this.config.fetch(url, { method, headers, credentials: this.credentials(), ...(body !== undefined ? { body } : {}) });
    } catch (error) {
      return authError("NETWORK_ERROR", error instanceof Error && error.message !== "" ? `The server could not be reached: ${error.message}` : undefined);
    }
    await this.keepTokens(response);
    return response;
  }

  private async headersFor(request: OutgoingRequest): Promise<Record<string, string>> {
    return {
      ...(await this.sessionHeaders()),
      ...(request.body !== undefined ? { "content-type": "application/json" } : {}),
      ...request.headers,
    };
  }

  private async sessionHeaders(): Promise<Record<string, string>> {
    const { store, tokenTransfer } = this.config;
    const headers: Record<string, string> = { "fdi-version": FDI_VERSION, "st-auth-mode": tokenTransfer };
    const [accessToken, antiCsrf] = await Promise.all([store.get("accessToken"), store.get("antiCsrf")]);
    if (tokenTransfer === "header" && accessToken !== null) headers["authorization"] = `Bearer ${accessToken}`;
    if (antiCsrf !== null) headers["anti-csrf"] = antiCsrf;
    return headers;
  }

  /** Cookie mode needs the browser to send and accept the HttpOnly cookies; header mode must not mix them in. */
  private credentials(): RequestCredentials {
    return this.config.tokenTransfer === "cookie" ? "include" : "omit";
  }

  /** FDI §2.3: front-token (or "remove"), st-access-token / st-refresh-token ("" clears), anti-csrf. */
  private async keepTokens(response: Response): Promise<void> {
    const { store, tokenTransfer } = this.config;
    const { headers } = response;
    const frontToken = headers.get("front-token");
    if (frontToken === "remove") {
      const session = (await store.get("frontToken")) ?? (await store.get("refreshToken")) ?? undefined;
      await store.clearSession();
      // FDI §2.13: "remove" on a 401 means the server ended the session (revoked, theft); on other answers it is a sign-out.
      if (response.status === 401) this.signalExpired(session);
      return;
    }
    if (frontToken !== null) await store.set("frontToken", frontToken);
    if (tokenTransfer === "header") {
      const accessToken = headers.get("st-access-token");
      const refreshToken = headers.get("st-refresh-token");
      if (accessToken !== null) await store.set("accessToken", accessToken === "" ? null : accessToken);
      if (refreshToken !== null) await store.set("refreshToken", refreshToken === "" ? null : refreshToken);
    }
    const antiCsrf = headers.get("anti-csrf");
    if (antiCsrf !== null) await store.set("antiCsrf", antiCsrf === "" ? null : antiCsrf);
  }
}

const EMPTY = "";

/**
 * "https://API.example.com:443/x" → "https://api.example.com". Parsed by hand because React
 * Native's URL does not implement `origin`; default ports are dropped as URL would.
 */
export function originOf(url: string): string | undefined {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#@]+@)?([^/?#]+)/i.exec(url.trim());
  if (match === null) return undefined;
  const scheme = match[1]!.toLowerCase();
  const host = match[3]!.toLowerCase();
  const defaultPort = scheme === "https" ? ":443" : scheme === "http" ? ":80" : undefined;
  return `${scheme}://${defaultPort !== undefined && host.endsWith(defaultPort) ? host.slice(0, -defaultPort.length) : host}`;
}

function jsonBody(request: OutgoingRequest): string | undefined {
  return request.body === undefined ? undefined : JSON.stringify(request.body);
}
