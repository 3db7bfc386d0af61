import { escapeHtml } from "./html.js";

/** The fields of a development-outbox message that the page shows. */
export interface OutboxEntry {
  channel: string;
  recipient: string;
  subject: string;
  textBody: string;
  htmlBody: string | undefined;
  createdAt: number;
}

/**
 * Locks the page down: it shows email bodies, which are third-party-shaped HTML. Nothing may run
 * (no script-src), nothing may be submitted, and the page itself may not be framed. The iframes'
 * `srcdoc` documents inherit this policy as well.
 */
export const OUTBOX_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data: http: https:; form-action 'none'; frame-ancestors 'none'";

export function renderOutboxPage(messages: OutboxEntry[]): string {
  const items = messages.length === 0 ? `<p class="empty">Nothing sent yet.</p>` : messages.map(renderMessage).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Outbox · Portcullis demo</title>
<link rel="icon" href="data:,">
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
  main { max-width: 860px; margin: 0 auto; padding: 24px 16px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  .hint { color: #5b6477; margin: 0 0 20px; }
  article { background: #fff; border: 1px solid #dde1e8; border-radius: 10px; padding: 16px; margin-bottom: 16px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 12px; }
  dt { color: #5b6477; }
  dd { margin: 0; overflow-wrap: anywhere; }
  iframe { width: 100%; height: 440px; resize: vertical; border: 1px solid #dde1e8; border-radius: 6px; background: #fff; }
  .empty { color: #5b6477; }
  a { color: #2856d8; }
</style>
</head>
<body>
<main>
  <h1>Development outbox</h1>
  <p class="hint">Emails the demo "sent" (no email service is configured), newest first. <a href="/">Back to the demo</a></p>
  ${items}
</main>
</body>
</html>
`;
}

function renderMessage(message: OutboxEntry): string {
  const sentAt = new Date(message.createdAt).toISOString();
  return `<article class="message">
  <dl>
    <dt>To</dt><dd class="recipient">${escapeHtml(message.recipient)}</dd>
    <dt>Subject</dt><dd class="subject">${escapeHtml(message.subject)}</dd>
    <dt>Sent</dt><dd><time datetime="${sentAt}">${sentAt.replace("T", " ").slice(0, 19)} UTC</time></dd>
  </dl>
  <iframe title="${escapeHtml(message.subject)}" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" srcdoc="${escapeHtml(emailDocument(message))}"></iframe>
</article>`;
}

/**
 * The document shown inside one iframe. The sandbox (no allow-scripts, no allow-same-origin)
 * keeps the email's markup from running code or reaching this origin. Links must leave the
 * frame to work (a page loaded inside the sandbox could not run its scripts), so a
 * `<base target="_blank">` is added and allow-popups-to-escape-sandbox lets them open as
 * ordinary pages in a new tab.
 */
function emailDocument(message: OutboxEntry): string {
  const base = `<base target="_blank">`;
  if (message.htmlBody === undefined) {
    return `<!doctype html><html><head><meta charset="utf-8">${base}</head><body style="font: 14px/1.5 system-ui, sans-serif"><pre style="white-space: pre-wrap">${linkify(message.textBody)}</pre></body></html>`;
  }
  // Emails are usually whole documents: the base element belongs in their head.
  const head = /<head(?:\s[^>]*)?>/i.exec(message.htmlBody);
  if (head === null) return base + message.htmlBody;
  const at = head.index + head[0].length;
  return message.htmlBody.slice(0, at) + base + message.htmlBody.slice(at);
}

/** Escapes plain text and turns its http(s) URLs into links (SMS and text-only emails). */
function linkify(text: string): string {
  const url = /https?:\/\/[^\s<>"']+/g;
  let html = "";
  let last = 0;
  for (const match of text.matchAll(url)) {
    html += escapeHtml(text.slice(last, match.index));
    const href = escapeHtml(match[0]);
    html += `<a href="${href}">${href}</a>`;
    last = match.index + match[0].length;
  }
  return html + escapeHtml(text.slice(last));
}
