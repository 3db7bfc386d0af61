/**
 * Escaping for text and attribute values in server-rendered HTML. Every character that can end a
 * text run or a quoted attribute is replaced, so one function serves both contexts (including
 * `srcdoc`, whose value the browser un-escapes once and then parses as a document).
 */
const REPLACEMENTS: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => REPLACEMENTS[char] ?? char);
}
