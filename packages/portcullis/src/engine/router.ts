import type { HTTPMethod } from "../framework/base-request.js";
import type { RouteDefinition } from "./types.js";

export interface RouteMatch {
  route: RouteDefinition;
  /** The tenant segment from the path, or undefined when the route was matched without one. */
  tenantIdFromPath: string | undefined;
}

const TENANT_PREFIX = /^\/([a-zA-Z0-9-]+)(\/.*)$/;

/**
 * FDI routing: path + method under apiBasePath. An exact match wins (tenant `public`); otherwise the
 * first segment may be a tenant id. Disabled routes do not match, so the host framework answers 404.
 */
export function matchRoute(routes: RouteDefinition[], apiBasePath: string, pathname: string, method: HTTPMethod): RouteMatch | undefined {
  if (pathname !== apiBasePath && !pathname.startsWith(`${apiBasePath}/`)) return undefined;
  const rest = pathname.slice(apiBasePath.length) || "/";
  const active = routes.filter((route) => !route.disabled && route.method === method);
  const exact = active.find((route) => route.path === rest);
  if (exact !== undefined) return { route: exact, tenantIdFromPath: undefined };
  const prefixed = TENANT_PREFIX.exec(rest);
  if (prefixed === null) return undefined;
  const [, tenantId, remainder] = prefixed as unknown as [string, string, string];
  const route = active.find((candidate) => candidate.path === remainder);
  return route === undefined ? undefined : { route, tenantIdFromPath: tenantId };
}
