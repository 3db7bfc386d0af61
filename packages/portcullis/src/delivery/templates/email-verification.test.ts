import { describe, expect, it } from "vitest";
import { emailVerificationEmailContent } from "./email-verification.js";
import { describeLifetime } from "./template-text.js";

describe("emailVerificationEmailContent", () => {
  const base = { appName: "Acme <Corp>", toEmail: "ada<x>@example.com", linkLifetime: 86_400_000 };

  it("carries the link, escaped in HTML and plain in the text part, with the lifetime in words", () => {
    const content = emailVerificationEmailContent({ ...base, emailVerifyLink: "https://app.example.com/auth/verify-email?token=abc&tenantId=public" });
    expect(content.subject).toBe("Verify your email for Acme <Corp>");
    expect(content.toEmail).toBe("ada<x>@example.com");
    expect(content.body).toContain("Verify your email for Acme &lt;Corp&gt;");
    expect(content.body).toContain("<strong>ada&lt;x&gt;@example.com</strong>");
    expect(content.body).toContain('href="https://app.example.com/auth/verify-email?token=abc&amp;tenantId=public"');
    expect(content.textBody).toContain("https://app.example.com/auth/verify-email?token=abc&tenantId=public");
    expect(content.textBody).toContain("It expires in 1 day and works once");
  });

  it("refuses a link that is not a web URL", () => {
    expect(() => emailVerificationEmailContent({ ...base, emailVerifyLink: "javascript:alert(1)" })).toThrow("emailVerifyLink must be an http(s) URL");
  });

  it("words lifetimes in the largest whole unit", () => {
    expect(describeLifetime(86_400_000)).toBe("1 day");
    expect(describeLifetime(2 * 86_400_000)).toBe("2 days");
    expect(describeLifetime(3_600_000)).toBe("1 hour");
    expect(describeLifetime(6 * 3_600_000)).toBe("6 hours");
    expect(describeLifetime(90 * 60_000)).toBe("90 minutes");
    expect(describeLifetime(1)).toBe("1 minute");
  });
});
