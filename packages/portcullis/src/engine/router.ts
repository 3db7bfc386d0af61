import type { HTTPMethod } from "../http/base-request.js";
import type { RouteDefinition } from "./types.js";

export interface RouteMatch {
  route: RouteDefinition;
  /** The tenant segment from the path, or undefined when the route was matched without one. */
  tenantIdFromPath: string | undefined;
}

const TENANT_PREFIX = /^\/([a-zA-Z0-9-]+)(\/.*)$/;

export type Router = (pathname: string, method: HTTPMethod) => RouteMatch | undefined;

/**
 * FDI routing: path + method under apiBasePath. An exact match wins (tenant `public`); otherwise the
 * first segment may be a tenant id. Disabled routes do not match, so the host framework answers 404.
 * Every request of the app passes through here, so the table is built once.
 */
export function createRouter(routes: RouteDefinition[], apiBasePath: string): Router {
  const table = new Map<string, RouteDefinition>();
  for (const route of routes) if (!route.disabled) table.set(`${route.method} ${route.path}`, route);
  return (pathname, method) => {
    if (pathname !== apiBasePath && !pathname.startsWith(`${apiBasePath}/`)) return undefined;
    const rest = pathname.slice(apiBasePath.length) || "/";
    const exact = table.get(`${method} ${rest}`);
    if (exact !== undefined) return { route: exact, tenantIdFromPath: undefined };
    const prefixed = TENANT_PREFIX.exec(rest);
    if (prefixed === null) return undefined;
    const [, tenantId, remainder] = prefixed as unknown as [string, string, string];
    const route = table.get(`${method} ${remainder}`);
    return route === undefined ? undefined : { route, tenantIdFromPath: tenantId };
  };
}
