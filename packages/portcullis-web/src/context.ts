import type { ApiCaller } from "./api-call.js";
import type { SessionStore } from "./storage.js";
import type { SessionTransport } from "./session-transport.js";

/** What every group of auth methods works with. */
export interface MethodContext {
  api: ApiCaller;
  transport: SessionTransport;
  store: SessionStore;
  /** The configured tenant, else the page URL's `tenantId`, else "public". */
  tenantId(): string;
  /** The page URL in a browser; undefined elsewhere (then the URL must be passed in). */
  currentUrl(): string | undefined;
}

/** `{id, value}` form fields as the FDI routes take them. */
export function formFields(fields: Record<string, string>): { formFields: { id: string; value: string }[] } {
  return { formFields: Object.entries(fields).map(([id, value]) => ({ id, value })) };
}
