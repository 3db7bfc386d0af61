/**
 * The allow-list of URLs a reset-by-email link may send the user to. Matching is exact (scheme,
 * host, port, path) and entries carry no query or fragment: the redirect is built from the
 * configured entry, never from what the request sent, so no request can steer the user (and the
 * reset token in the query) anywhere else.
 */

/** Parses an absolute http(s) URL without credentials, query or fragment; undefined otherwise. */
function parseRedirectURL(value: string): URL | undefined {
  // `?` or `#` anywhere (even an empty query) is refused outright rather than normalised away.
  if (value.includes("?") || value.includes("#")) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.username !== "" || url.password !== "") return undefined;
  return url;
}

export class RedirectAllowList {
  private constructor(private readonly entries: ReadonlyMap<string, string>) {}

  /** Validates the configuration at init: a bad entry is a deployment bug, reported at start-up. */
  static fromConfig(input: { allowedRedirectURLs: readonly string[] } | undefined): RedirectAllowList {
    const entries = new Map<string, string>();
    if (input === undefined) return new RedirectAllowList(entries);
    if (!Array.isArray(input.allowedRedirectURLs) || input.allowedRedirectURLs.length === 0) {
      throw new Error("EmailPassword.init: resetPasswordRedirect.allowedRedirectURLs must be a non-empty array of URLs");
    }
    for (const entry of input.allowedRedirectURLs) {
      const url = typeof entry === "string" ? parseRedirectURL(entry) : undefined;
      if (url === undefined) {
        throw new Error(
          `EmailPassword.init: resetPasswordRedirect.allowedRedirectURLs entry ${JSON.stringify(entry)} must be an absolute http(s) URL without credentials, query or fragment`,
        );
      }
      entries.set(url.href, url.href);
    }
    return new RedirectAllowList(entries);
  }

  get isConfigured(): boolean {
    return this.entries.size > 0;
  }

  /** The configured entry `candidate` names exactly, in its normalised form; undefined when none does. */
  match(candidate: string): string | undefined {
    const url = parseRedirectURL(candidate);
    return url === undefined ? undefined : this.entries.get(url.href);
  }
}

/** `allowed` (from the list, so without a query) with the given parameters appended, in order. */
export function withQuery(allowed: string, params: readonly (readonly [string, string])[]): string {
  const url = new URL(allowed);
  for (const [key, value] of params) url.searchParams.append(key, value);
  return url.href;
}
