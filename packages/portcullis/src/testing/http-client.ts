/**
 * A tiny HTTP client for tests that behaves like a browser where it matters: it keeps cookies
 * (honouring Path and deletion by epoch expiry) and optionally holds header-mode tokens.
 */
export interface HttpResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
  setCookies: string[];
}

interface StoredCookie {
  value: string;
  path: string;
}

/** How requests leave the client: the global fetch for a server, or a handler called in-process. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export class TestClient {
  readonly cookies = new Map<string, StoredCookie>();

  constructor(
    readonly baseUrl: string,
    private readonly defaultHeaders: Record<string, string> = {},
    private readonly send: FetchLike = (url, init) => fetch(url, init),
  ) {}

  async request(method: string, path: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...this.defaultHeaders, ...options.headers };
    const cookieHeader = this.cookieHeaderFor(path);
    if (cookieHeader !== "" && headers["cookie"] === undefined) headers["cookie"] = cookieHeader;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await this.send(this.baseUrl + path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    const setCookies = response.headers.getSetCookie();
    this.store(setCookies);
    let parsed: any = undefined;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text, setCookies };
  }

  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResponse> {
    return this.request("POST", path, { body: body ?? {}, ...(headers !== undefined ? { headers } : {}) });
  }

  get(path: string, headers?: Record<string, string>): Promise<HttpResponse> {
    return this.request("GET", path, headers !== undefined ? { headers } : {});
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  private cookieHeaderFor(path: string): string {
    const pathname = new URL(path, "http://x").pathname;
    return [...this.cookies.entries()]
      .filter(([, cookie]) => pathname === cookie.path || pathname.startsWith(cookie.path.endsWith("/") ? cookie.path : `${cookie.path}/`) || cookie.path === "/")
      .map(([name, cookie]) => `${name}=${encodeURIComponent(cookie.value)}`)
      .join("; ");
  }

  private store(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(";").map((part) => part.trim());
      const separator = (pair ?? "").indexOf("=");
      const name = (pair ?? "").slice(0, separator);
      const value = decodeURIComponent((pair ?? "").slice(separator + 1));
      const path = attributes.find((a) => a.toLowerCase().startsWith("path="))?.slice(5) ?? "/";
      const expires = attributes.find((a) => a.toLowerCase().startsWith("expires="))?.slice(8);
      if (value === "" || (expires !== undefined && Date.parse(expires) <= Date.now())) this.cookies.delete(name);
      else this.cookies.set(name, { value, path });
    }
  }
}

export function parseSetCookie(line: string): { name: string; value: string; attributes: Map<string, string | true> } {
  const [pair, ...rest] = line.split(";").map((part) => part.trim());
  const separator = (pair ?? "").indexOf("=");
  const attributes = new Map<string, string | true>();
  for (const attribute of rest) {
    const index = attribute.indexOf("=");
    if (index === -1) attributes.set(attribute.toLowerCase(), true);
    else attributes.set(attribute.slice(0, index).toLowerCase(), attribute.slice(index + 1));
  }
  return { name: (pair ?? "").slice(0, separator), value: decodeURIComponent((pair ?? "").slice(separator + 1)), attributes };
}

export function decodeFrontToken(value: string): { uid: string; ate: number; up: Record<string, unknown> } {
  return JSON.parse(Buffer.from(value, "base64").toString("utf8"));
}

export function decodeJwtPart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[index] ?? "", "base64url").toString("utf8"));
}
