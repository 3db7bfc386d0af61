/** Small guards and phrasings the email templates share. */

// The link is built from configuration, but an href is also an injection point: only web URLs go in.
export function requireWebLink(link: string, name: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new TypeError(`${name} must be an absolute URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`${name} must be an http(s) URL`);
  }
  return link;
}

// The app name also lands in the Subject header, where a line break has no business.
export function singleLine(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

export function describeMinutes(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes <= 0) {
    throw new RangeError("validForMinutes must be a positive number");
  }
  const rounded = Math.round(minutes);
  return rounded === 1 ? "1 minute" : `${rounded} minutes`;
}

/**
 * The frame every default email shares: a centred card with inline styles (mail clients drop
 * <style>). `title` and `bodyHtml` must already be escaped.
 */
export function emailLayout(title: string, bodyHtml: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f5f7;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background-color:#f4f5f7;padding:32px 16px;">
<tr><td align="center">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:520px;background-color:#ffffff;border-radius:8px;padding:32px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1f2933;">
<tr><td>
<h1 style="margin:0 0 16px;font-size:20px;line-height:28px;font-weight:600;">${title}</h1>
${bodyHtml}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>`;
}
