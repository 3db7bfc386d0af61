import { badInput } from "../core/errors.js";

/** Auth request bodies are tiny (a few form fields); anything bigger is refused unparsed. */
export const MAX_BODY_BYTES = 64 * 1024;

export function parseJSONBody(raw: string): unknown {
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw badInput("Request body is not valid JSON");
  }
}

export function parseFormBody(raw: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(raw));
}
