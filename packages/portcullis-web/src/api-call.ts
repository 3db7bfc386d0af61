import { errorFromAnswer } from "./error-mapping.js";
import type { SessionTransport } from "./session-transport.js";
import type { AuthError, Result } from "./types.js";

export interface RouteCall {
  /** The recipe id web-js would send in `rid`. */
  rid: string;
  method: "GET" | "POST";
  /** The route under apiBasePath, e.g. "/signin". */
  path: string;
  /** Tenant-scoped routes get `/<tenant>` after apiBasePath unless the tenant is "public" (FDI §1.3). */
  tenantId?: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Non-OK statuses that are data for this route (e.g. EMAIL_ALREADY_VERIFIED_ERROR), not errors. */
  okStatuses?: string[];
}

export type Body = Record<string, unknown>;

/** Builds route URLs and turns answers into `{ data, errors }`. */
export class ApiCaller {
  constructor(
    readonly transport: SessionTransport,
    private readonly apiOrigin: string,
    private readonly apiBasePath: string,
  ) {}

  url(call: Pick<RouteCall, "path" | "tenantId" | "query">): string {
    const tenant = call.tenantId === undefined || call.tenantId === "public" ? "" : `/${encodeURIComponent(call.tenantId)}`;
    const query = call.query === undefined ? "" : `?${new URLSearchParams(call.query).toString()}`;
    return `${this.apiOrigin}${this.apiBasePath}${tenant}${call.path}${query}`;
  }

  async call(call: RouteCall): Promise<Result<Body>> {
    const response = await this.transport.send({
      method: call.method,
      url: this.url(call),
      headers: { rid: call.rid },
      // web-js sends an empty POST body as {} (FDI §1.4).
      ...(call.method === "POST" ? { body: call.body ?? {} } : {}),
    });
    if (!(response instanceof Response)) return failure(response);
    const body = await readJson(response);
    const status = typeof body === "object" && body !== null ? (body as Body)["status"] : undefined;
    if (response.status === 200 && typeof status === "string" && call.okStatuses?.includes(status)) return success(body as Body);
    const error = errorFromAnswer({ httpStatus: response.status, body, retryAfter: response.headers.get("retry-after") });
    return error === null ? success(body as Body) : failure(error);
  }
}

export function success<T>(data: T): Result<T> {
  return { data, errors: null };
}

export function failure<T = never>(errors: AuthError): Result<T> {
  return { data: null, errors };
}

/** Maps a successful result's data; errors pass through. */
export function mapData<A, B>(result: Result<A>, map: (data: A) => B): Result<B> {
  return result.errors === null ? success(map(result.data)) : result;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    const text = await response.text();
    return text === "" ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}
