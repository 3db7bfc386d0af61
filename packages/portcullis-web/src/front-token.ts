import type { FrontToken } from "./types.js";

/**
 * Decodes a `front-token` header: standard base64 of UTF-8 JSON {uid, ate, up}. Returns undefined
 * for anything else (including the literal "remove"), so a garbled header never throws into the app.
 */
export function decodeFrontToken(value: string | null | undefined): FrontToken | undefined {
  if (value === null || value === undefined || value === "" || value === "remove") return undefined;
  try {
    const parsed: unknown = JSON.parse(utf8FromBase64(value));
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const { uid, ate, up } = parsed as Record<string, unknown>;
    if (typeof uid !== "string" || typeof ate !== "number" || typeof up !== "object" || up === null || Array.isArray(up)) return undefined;
    return { uid, ate, up: up as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

function utf8FromBase64(value: string): string {
  const binary = atob(value);
  if (typeof TextDecoder === "function") {
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  }
  // Runtimes without TextDecoder (older React Native engines): percent-encode each byte and let decodeURIComponent reassemble UTF-8.
  let percentEncoded = "";
  for (let i = 0; i < binary.length; i++) percentEncoded += "%" + binary.charCodeAt(i).toString(16).padStart(2, "0");
  return decodeURIComponent(percentEncoded);
}
