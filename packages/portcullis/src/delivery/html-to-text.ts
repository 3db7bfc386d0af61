const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

// <a ... href="url" ...>label</a>, with the href in double or single quotes.
const ANCHOR = /<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>([\s\S]*?)<\/a\s*>/gi;

/**
 * Plain-text alternative for an HTML email. Links keep their URL ("label: url") because the text
 * part exists mostly so the reset or verification link still works in clients that show no HTML.
 */
export function htmlToText(html: string): string {
  const withoutTags = html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<(head|style|script|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, "")
    .replace(ANCHOR, (_match: string, dq: unknown, sq: unknown, label: unknown) =>
      linkText(stripTags(String(label)).trim(), String(dq ?? sq ?? "")),
    )
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(?:p|div|h[1-6]|li|tr|table|blockquote|ul|ol)\s*>/gi, "\n\n")
    .replace(/<[^>]*>/g, "");

  return decodeEntities(withoutTags)
    .split("\n")
    .map((line) => line.replace(/[ \t\f\v\r]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function linkText(label: string, href: string): string {
  if (label === "" || label === href) return href;
  return `${label}: ${href}`;
}

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, "");
}

// One pass, so "&amp;lt;" becomes the text "&lt;" and never "<".
function decodeEntities(text: string): string {
  return text.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (entity, name: string) => {
    if (name.startsWith("#")) {
      const codePoint = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
  });
}
