/** Network failures and timeouts of an SMS provider call, as one clear error. */
export async function fetchWithTimeout(
  what: string,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: "error", signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const name = (error as { name?: unknown } | null)?.name;
    if (name === "TimeoutError" || name === "AbortError") {
      throw new Error(`${what}: no answer from ${originOf(url)} within ${timeoutMs} ms`, { cause: error });
    }
    const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new Error(`${what}: could not reach ${originOf(url)} (${reason})`, { cause: error });
  }
}

/** Origin only: a webhook URL may carry a token in its path or query. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "the configured URL";
  }
}

export function validateTimeout(name: string, value: number | undefined, fallback: number): number {
  const timeoutMs = value ?? fallback;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error(`${name} must be a positive number of milliseconds`);
  return timeoutMs;
}
