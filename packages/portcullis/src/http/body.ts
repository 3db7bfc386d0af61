import { badInput } from "../core/errors.js";

/** Auth request bodies are tiny (a few form fields); anything bigger is refused unparsed. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Every FDI body is a JSON object; any other top level is refused like malformed JSON, whatever the bridge. */
export function parseJSONBody(raw: string): unknown {
  if (raw.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw) as unknown;
  } catch {
    throw badInput("Request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw badInput("Request body is not valid JSON");
  return parsed;
}

export function parseFormBody(raw: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(raw));
}
