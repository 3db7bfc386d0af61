// The outbox renders untrusted-shaped strings (recipients, subjects, email HTML) into a page:
// these checks pin the escaping, including the double layer inside srcdoc.
import { describe, expect, it } from "vitest";
import { renderOutboxPage, type OutboxEntry } from "../src/outbox-page.js";

const message = (overrides: Partial<OutboxEntry>): OutboxEntry => ({
  channel: "email",
  recipient: "a@example.com",
  subject: "Hello",
  textBody: "text",
  htmlBody: undefined,
  createdAt: Date.UTC(2025, 0, 2, 3, 4, 5),
  ...overrides,
});

/** Reads the first srcdoc attribute back the way a browser would (entity-decoded). */
function srcdocOf(html: string): string {
  const raw = /srcdoc="([^"]*)"/.exec(html)?.[1] ?? "";
  return raw.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

describe("renderOutboxPage", () => {
  it("escapes recipient and subject in text and attributes", () => {
    const html = renderOutboxPage([message({ recipient: `x"<img src=x onerror=1>@e.com`, subject: `"><script>alert(1)</script>` })]);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("2025-01-02 03:04:05 UTC");
  });

  it("puts the email HTML in a sandboxed srcdoc, byte for byte, with links opening outside the frame", () => {
    const body = `<!DOCTYPE html><html><head><title>t</title></head><body><a href="http://localhost/auth/reset-password?token=a&amp;tenantId=public">it's "here"</a></body></html>`;
    const html = renderOutboxPage([message({ htmlBody: body })]);
    expect(html).toContain(`sandbox="allow-popups allow-popups-to-escape-sandbox"`);
    expect(srcdocOf(html)).toBe(body.replace("<head>", `<head><base target="_blank">`));
  });

  it("shows text-only messages escaped, with their URLs as links", () => {
    const html = renderOutboxPage([message({ textBody: `Code <b>1</b>: http://localhost/r?token=a&tenantId=public\nbye` })]);
    const doc = srcdocOf(html);
    expect(doc).toContain("Code &lt;b&gt;1&lt;/b&gt;: ");
    expect(doc).toContain(`<a href="http://localhost/r?token=a&amp;tenantId=public">http://localhost/r?token=a&amp;tenantId=public</a>`);
  });

  it("says so when nothing was sent", () => {
    expect(renderOutboxPage([])).toContain("Nothing sent yet.");
  });
});
