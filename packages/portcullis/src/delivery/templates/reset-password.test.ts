import { describe, expect, it } from "vitest";
import { htmlToText } from "../html-to-text.js";
import { resetPasswordEmailContent } from "./reset-password.js";

const link = "https://app.example.com/auth/reset-password?token=abc123&tenantId=public";
const base = { appName: "Acme", toEmail: "jane@example.com", passwordResetLink: link, validForMinutes: 30 };

describe("resetPasswordEmailContent", () => {
  it("builds an HTML email with a button, the raw link and a text part", () => {
    const content = resetPasswordEmailContent(base);
    expect(content.subject).toBe("Reset your Acme password");
    expect(content.toEmail).toBe("jane@example.com");
    expect(content.isHtml).toBe(true);

    const escapedLink = "https://app.example.com/auth/reset-password?token=abc123&amp;tenantId=public";
    expect(content.body.split(`href="${escapedLink}"`)).toHaveLength(3);
    expect(content.body).toContain(`>${escapedLink}</a>`);
    expect(content.body).toContain("expires in 30 minutes");
    expect(content.body).not.toContain(link);

    expect(content.textBody).toContain(`\n${link}\n`);
    expect(content.textBody).toContain("expires in 30 minutes");
    expect(content.textBody).not.toMatch(/<|&amp;/);
  });

  it("HTML-escapes every interpolated value", () => {
    const content = resetPasswordEmailContent({
      ...base,
      appName: `Acme <script>alert("x")</script>`,
      toEmail: "a<b>@x.com",
      passwordResetLink: `https://app.example.com/reset?t="><img src=x onerror=alert(1)>`,
    });
    expect(content.body).toContain("a&lt;b&gt;@x.com");
    expect(content.body).not.toContain("a<b>");
    expect(content.body).toContain("Acme &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(content.body).not.toContain("<script");
    expect(content.body).not.toContain("<img");
    expect(content.body).toContain('href="https://app.example.com/reset?t=&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    // The text part is not HTML, so it carries the values as they are.
    expect(content.textBody).toContain("a<b>@x.com");
  });

  it("keeps the text part in step with the HTML", () => {
    const content = resetPasswordEmailContent(base);
    const derived = htmlToText(content.body);
    expect(derived).toContain(link);
    expect(derived).toContain("jane@example.com");
  });

  it("refuses links that are not http(s)", () => {
    expect(() => resetPasswordEmailContent({ ...base, passwordResetLink: "javascript:alert(1)" })).toThrow(/http/);
    expect(() => resetPasswordEmailContent({ ...base, passwordResetLink: "/relative/path" })).toThrow(/absolute/);
  });

  it("keeps the subject on one line and words the validity", () => {
    const content = resetPasswordEmailContent({ ...base, appName: "Acme\r\nBcc: x@evil.test", validForMinutes: 1 });
    expect(content.subject).toBe("Reset your Acme Bcc: x@evil.test password");
    expect(content.textBody).toContain("expires in 1 minute ");
    expect(() => resetPasswordEmailContent({ ...base, validForMinutes: 0 })).toThrow(RangeError);
  });
});
