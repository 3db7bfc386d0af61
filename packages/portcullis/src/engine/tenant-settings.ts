import { UnknownTenantError } from "../core/errors.js";
import { getRequestFromUserContext, type UserContext } from "../core/user-context.js";
import type { NormalisedAppInfo } from "./app-info.js";
import type { CoreSettings, Engine, RouteDefinition, TenantDirectory, TenantOverrides, TenantSettings } from "./types.js";

/**
 * A tenant's overrides over the instance's settings. The access-token lifetime is capped at the
 * instance's, because signing keys are kept only as long as that: a longer-lived token would
 * outlive the key that verifies it.
 */
export function effectiveTenantSettings(tenantId: string, overrides: TenantOverrides, instance: CoreSettings, defaultOrigin: string): TenantSettings {
  const core = { ...instance, ...overrides.core };
  core.accessTokenValidity = Math.min(core.accessTokenValidity, instance.accessTokenValidity);
  return {
    tenantId,
    firstFactors: overrides.firstFactors,
    websiteOrigin: overrides.websiteDomain ?? defaultOrigin,
    core,
    inviteOnly: overrides.inviteOnly,
  };
}

/** Whether the tenant allows any of these first factors (all of them when it names none). */
export function allowsAnyFirstFactor(settings: TenantSettings, factors: readonly string[]): boolean {
  return settings.firstFactors === undefined || factors.some((factor) => settings.firstFactors?.includes(factor) === true);
}

/**
 * `engine.tenantSettings`: one read of the tenant per call, shared by the callers within one
 * request (keyed by the request's userContext, which lives as long as the request). Nothing is
 * kept across requests, so a change made through any instance applies to the next request.
 */
export function createTenantSettingsReader(input: {
  directory: () => TenantDirectory | undefined;
  appInfo: NormalisedAppInfo;
  settings: CoreSettings;
}): (tenantId: string, userContext?: UserContext) => Promise<TenantSettings> {
  const perRequest = new WeakMap<UserContext, Map<string, Promise<TenantOverrides | undefined>>>();
  const read = (tenantId: string): Promise<TenantOverrides | undefined> => {
    const directory = input.directory();
    if (directory === undefined) return Promise.resolve(tenantId === "public" ? {} : undefined);
    return directory.overrides(tenantId);
  };
  return async (tenantId, userContext) => {
    let overrides: Promise<TenantOverrides | undefined>;
    const request = getRequestFromUserContext(userContext);
    if (userContext !== undefined && request !== undefined) {
      let memo = perRequest.get(userContext);
      if (memo === undefined) perRequest.set(userContext, (memo = new Map()));
      const cached = memo.get(tenantId);
      overrides = cached ?? read(tenantId);
      if (cached === undefined) {
        const requestMemo = memo;
        requestMemo.set(tenantId, overrides);
        // A failed read is not remembered: the next caller tries again. (This handler also keeps
        // the failure from counting as unhandled; the caller below still receives it.)
        overrides.catch(() => requestMemo.delete(tenantId));
      }
    } else overrides = read(tenantId);
    const found = await overrides;
    if (found === undefined) throw new UnknownTenantError(tenantId);
    return effectiveTenantSettings(tenantId, found, input.settings, input.appInfo.getOrigin({ request, userContext: userContext ?? {} }));
  };
}

/** What a route of a login method the tenant switched off answers (HTTP 200, as FDI business outcomes). */
export function loginMethodDisabledResponse(tenantId: string): { status: "GENERAL_ERROR"; message: string } {
  return { status: "GENERAL_ERROR", message: `This sign-in method is not enabled for tenant ${tenantId}` };
}

/**
 * The route, answering GENERAL_ERROR (which every FDI client shows as a message) when the
 * request's tenant allows none of `factors`. web-js hides such methods already when it reads
 * /loginmethods; this stops a client that calls the route anyway.
 */
export function whenTenantAllows(engine: Engine, factors: readonly string[], route: RouteDefinition): RouteDefinition {
  return {
    ...route,
    handle: async (input) => {
      const settings = await engine.tenantSettings(input.tenantId, input.userContext);
      if (!allowsAnyFirstFactor(settings, factors)) return input.res.sendJSONResponse(loginMethodDisabledResponse(input.tenantId));
      return route.handle(input);
    },
  };
}
