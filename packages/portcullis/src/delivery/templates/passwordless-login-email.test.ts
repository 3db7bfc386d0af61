import { describe, expect, it } from "vitest";
import { passwordlessLoginEmailContent } from "./passwordless-login-email.js";

describe("passwordlessLoginEmailContent", () => {
  const base = { appName: "Acme <Corp>", toEmail: "ada@example.com", codeLifetime: 600_000 };

  it("carries the code and the link, escaped in HTML and plain in the text part", () => {
    const content = passwordlessLoginEmailContent({ ...base, userInputCode: "012345", urlWithLinkCode: "https://app.example.com/auth/verify?preAuthSessionId=a&tenantId=public#x&y" });
    expect(content.subject).toBe("Sign in to Acme <Corp>");
    expect(content.body).toContain("Sign in to Acme &lt;Corp&gt;");
    expect(content.body).toContain("012345");
    expect(content.body).toContain('href="https://app.example.com/auth/verify?preAuthSessionId=a&amp;tenantId=public#x&amp;y"');
    expect(content.textBody).toContain("Your sign-in code is 012345");
    expect(content.textBody).toContain("https://app.example.com/auth/verify?preAuthSessionId=a&tenantId=public#x&y");
    expect(content.textBody).toContain("It expires in 10 minutes.");
  });

  it("sends only what the flow calls for", () => {
    const codeOnly = passwordlessLoginEmailContent({ ...base, userInputCode: "123456" });
    expect(codeOnly.textBody).not.toContain("http");
    const linkOnly = passwordlessLoginEmailContent({ ...base, urlWithLinkCode: "https://app.example.com/auth/verify#abc" });
    expect(linkOnly.textBody).not.toMatch(/\d{6}/);
    expect(linkOnly.textBody).toContain("Open this link to sign in:");
  });

  it("refuses a link that is not a web URL", () => {
    expect(() => passwordlessLoginEmailContent({ ...base, urlWithLinkCode: "javascript:alert(1)" })).toThrow("urlWithLinkCode must be an http(s) URL");
  });
});
