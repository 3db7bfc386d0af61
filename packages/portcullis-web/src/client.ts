import { ApiCaller } from "./api-call.js";
import type { MethodContext } from "./context.js";
import { emailPasswordMethods } from "./email-password.js";
import { emailVerificationMethods } from "./email-verification.js";
import { passwordlessMethods } from "./passwordless.js";
import { phonePasswordMethods } from "./phone-password.js";
import { createRefreshLock } from "./refresh-lock.js";
import { sessionMethods } from "./session-methods.js";
import { originOf, SessionTransport } from "./session-transport.js";
import { browserCookieStorage, browserLocalStorage, memoryStorage, SessionStore } from "./storage.js";
import type { ClientOptions, TokenTransfer } from "./types.js";

export type AuthMethods = ReturnType<typeof emailPasswordMethods> &
  ReturnType<typeof phonePasswordMethods> &
  ReturnType<typeof passwordlessMethods> &
  ReturnType<typeof emailVerificationMethods> &
  ReturnType<typeof sessionMethods>;

export interface PortcullisClient {
  auth: AuthMethods;
  /** fetch for the app's own API: on apiDomain it adds the session and refreshes on a 401; elsewhere it is plain fetch. */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>;
  readonly tokenTransfer: TokenTransfer;
}

export function createClient(options: ClientOptions): PortcullisClient {
  const apiOrigin = originOf(options.apiDomain);
  if (apiOrigin === undefined) throw new TypeError(`apiDomain must be an absolute URL such as "https://api.example.com", got "${options.apiDomain}"`);
  const apiBasePath = normaliseBasePath(options.apiBasePath ?? "/auth");
  const prefix = options.storageKeyPrefix ?? "portcullis";
  const local = browserLocalStorage();
  const browserDefault = options.tokenTransfer === "cookie" ? (browserCookieStorage() ?? local) : local;
  const store = new SessionStore(options.storage ?? browserDefault ?? memoryStorage(), prefix);
  const fetchImpl = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const transport = new SessionTransport({
    apiOrigin,
    apiBasePath,
    tokenTransfer: options.tokenTransfer,
    store,
    // Named per API so two clients of different backends do not wait for each other.
    lock: createRefreshLock(`${prefix}-refresh:${apiOrigin}${apiBasePath}`, local),
    fetch: fetchImpl,
    onSessionExpired: options.onSessionExpired,
  });
  const context: MethodContext = {
    api: new ApiCaller(transport, apiOrigin, apiBasePath),
    transport,
    store,
    tenantId: () => options.tenantId ?? tenantFromPage() ?? "public",
    currentUrl,
  };
  return {
    auth: {
      ...emailPasswordMethods(context),
      ...phonePasswordMethods(context),
      ...passwordlessMethods(context),
      ...emailVerificationMethods(context),
      ...sessionMethods(context),
    },
    fetch: (input, init) => transport.fetch(input, init),
    tokenTransfer: options.tokenTransfer,
  };
}

/** "/auth/" → "/auth", "auth" → "/auth", "/" → "". */
export function normaliseBasePath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, "");
  if (trimmed === "") return "";
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

function currentUrl(): string | undefined {
  const href = (globalThis as { location?: { href?: unknown } }).location?.href;
  return typeof href === "string" ? href : undefined;
}

/** web-js takes the tenant from the page URL's `tenantId` (emailed links carry it). */
function tenantFromPage(): string | undefined {
  const href = currentUrl();
  if (href === undefined) return undefined;
  try {
    return new URL(href).searchParams.get("tenantId") ?? undefined;
  } catch {
    return undefined;
  }
}
