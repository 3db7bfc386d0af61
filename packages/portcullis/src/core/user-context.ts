import type { BaseRequest } from "../http/base-request.js";

/** Carried through every override, claim and delivery call of one operation. */
export type UserContext = Record<string, unknown> & { _brand?: "UserContext" };

interface DefaultContext {
  request?: BaseRequest;
  keepCacheAlive?: boolean;
}

export function makeUserContext(input: Record<string, unknown> | undefined): UserContext {
  return (input ?? {}) as UserContext;
}

export function makeRequestUserContext(request: BaseRequest, input?: Record<string, unknown>): UserContext {
  const context = makeUserContext(input);
  context["_default"] = { ...(context["_default"] as DefaultContext | undefined), request, keepCacheAlive: true };
  return context;
}

export function getRequestFromUserContext(userContext: Record<string, unknown> | undefined): BaseRequest | undefined {
  const defaults = userContext?.["_default"] as DefaultContext | undefined;
  return defaults?.request;
}
