import { getDomain } from "tldts";
import type { BaseRequest } from "../http/base-request.js";
import type { UserContext } from "../core/user-context.js";

export interface AppInfo {
  appName: string;
  apiDomain: string;
  // `| undefined` on the optional fields: values read from process.env must type-check under exactOptionalPropertyTypes.
  websiteDomain?: string | undefined;
  origin?: string | ((input: { request: BaseRequest | undefined; userContext: UserContext }) => string) | undefined;
  apiBasePath?: string | undefined;
  websiteBasePath?: string | undefined;
  apiGatewayPath?: string | undefined;
}

export interface NormalisedAppInfo {
  appName: string;
  apiDomain: string;
  /** Where links in emails point; may depend on the request (per-tenant domains). */
  getOrigin(input: { request: BaseRequest | undefined; userContext: UserContext }): string;
  apiBasePath: string;
  websiteBasePath: string;
  apiGatewayPath: string;
}

export function normaliseDomain(input: string): string {
  let value = input.trim();
  if (value === "") throw new Error("Please provide a valid domain name");
  if (!/^https?:\/\//.test(value)) {
    const host = value.split("/")[0] ?? value;
    value = (isLocalHost(host.split(":")[0] ?? host) ? "http://" : "https://") + value;
  }
  const url = new URL(value);
  return `${url.protocol}//${url.host}`;
}

/** "" for the root, otherwise a leading slash and no trailing slash. */
export function normalisePath(input: string): string {
  let value = input.trim();
  if (value === "" || value === "/") return "";
  if (!value.startsWith("/")) value = `/${value}`;
  return value.replace(/\/+$/, "");
}

export function isLocalHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.endsWith(".localhost");
}

/** Hostname of a normalised origin (`scheme://host[:port]`), without a URL parse. */
export function hostnameOf(origin: string): string {
  const host = origin.slice(origin.indexOf("//") + 2);
  return host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : (host.split(":")[0] ?? host);
}

export function normaliseAppInfo(appInfo: AppInfo): NormalisedAppInfo {
  if (appInfo === undefined) throw new Error("Please provide the appInfo object when calling supertokens.init");
  if (!appInfo.appName) throw new Error("Please provide your appName inside the appInfo object when calling supertokens.init");
  if (!appInfo.apiDomain) throw new Error("Please provide your apiDomain inside the appInfo object when calling supertokens.init");
  if (appInfo.origin === undefined && appInfo.websiteDomain === undefined) {
    throw new Error("Please provide either origin or websiteDomain inside the appInfo object when calling supertokens.init");
  }
  const origin = appInfo.origin;
  const websiteDomain = appInfo.websiteDomain !== undefined ? normaliseDomain(appInfo.websiteDomain) : undefined;
  return {
    appName: appInfo.appName,
    apiDomain: normaliseDomain(appInfo.apiDomain),
    getOrigin: (input) => {
      if (typeof origin === "function") return normaliseDomain(origin(input));
      if (typeof origin === "string") return normaliseDomain(origin);
      return websiteDomain as string;
    },
    apiBasePath: normalisePath(appInfo.apiBasePath ?? "/auth"),
    websiteBasePath: normalisePath(appInfo.websiteBasePath ?? "/auth"),
    apiGatewayPath: normalisePath(appInfo.apiGatewayPath ?? ""),
  };
}

/**
 * The scheme and registrable domain of an origin, used only to decide whether API and website are
 * "same site" (and so whether cookies can be SameSite=Lax). Local hosts and IPs count as one site
 * for development.
 */
export function siteOf(domain: string): string {
  const url = new URL(domain);
  const host = url.hostname;
  if (isLocalHost(host)) return `${url.protocol}//localhost-or-ip`;
  // A site is the registrable domain by the public-suffix list, its private section included:
  // a.github.io and b.github.io are two sites, app.example.co.uk and api.example.co.uk one.
  return `${url.protocol}//${getDomain(host, { allowPrivateDomains: true }) ?? host}`;
}
