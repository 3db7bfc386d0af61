import type { BaseRequest } from "../http/base-request.js";
import { systemClock, type Clock } from "./runtime.js";

/** Carried through every override, claim and delivery call of one operation. */
export type UserContext = Record<string, unknown> & { _brand?: "UserContext" };

interface DefaultContext {
  request?: BaseRequest;
  keepCacheAlive?: boolean;
  /** The instance's clock, for code that only sees the user context (claims and their validators). */
  clock?: Clock;
}

/** `clock` is the acting instance's: stamped once, so claims read time from it rather than Date.now(). */
export function makeUserContext(input: Record<string, unknown> | undefined, clock?: Clock): UserContext {
  const context = (input ?? {}) as UserContext;
  if (clock !== undefined && defaultsOf(context)?.clock === undefined) context["_default"] = { ...defaultsOf(context), clock };
  return context;
}

/**
 * Runs on every request. The defaults are built in one literal when the caller brought none: a
 * spread followed by added keys costs about a microsecond, a noticeable share of a verifySession.
 */
export function makeRequestUserContext(request: BaseRequest, input?: Record<string, unknown>, clock?: Clock): UserContext {
  const context = (input ?? {}) as UserContext;
  const defaults = defaultsOf(context);
  const merged: DefaultContext =
    defaults === undefined ? { clock, request, keepCacheAlive: true } : { ...defaults, clock: defaults.clock ?? clock, request, keepCacheAlive: true };
  context["_default"] = merged;
  return context;
}

/** The clock of the instance acting in this operation; the system clock outside any instance. */
export function clockOf(userContext: Record<string, unknown> | undefined): Clock {
  return defaultsOf(userContext)?.clock ?? systemClock;
}

function defaultsOf(userContext: Record<string, unknown> | undefined): DefaultContext | undefined {
  return userContext?.["_default"] as DefaultContext | undefined;
}

export function getRequestFromUserContext(userContext: Record<string, unknown> | undefined): BaseRequest | undefined {
  return defaultsOf(userContext)?.request;
}
