import { describe, expect, it } from "vitest";
import { createOutboxEmailSender } from "./outbox-service.js";
import type { OutboxMessage } from "./outbox-service.js";
import { resetPasswordEmailContent } from "./templates/reset-password.js";

const link = "https://app.example.com/auth/reset-password?token=c2VjcmV0LXJlc2V0LXRva2Vu&tenantId=public";

function setup() {
  const stored: OutboxMessage[] = [];
  const lines: string[] = [];
  const sender = createOutboxEmailSender({
    insert: async (message) => {
      stored.push(message);
    },
    now: () => 1_700_000_000_000,
    log: (line) => lines.push(line),
  });
  return { sender, stored, lines };
}

describe("createOutboxEmailSender", () => {
  it("stores the whole message and logs one line without the body", async () => {
    const { sender, stored, lines } = setup();
    const content = resetPasswordEmailContent({
      appName: "Acme",
      toEmail: "jane@example.com",
      passwordResetLink: link,
      validForMinutes: 15,
    });
    await sender.send(content);

    expect(stored).toHaveLength(1);
    const message = stored[0]!;
    expect(message).toMatchObject({
      channel: "email",
      recipient: "jane@example.com",
      subject: "Reset your Acme password",
      createdAt: 1_700_000_000_000,
      htmlBody: content.body,
      textBody: content.textBody,
    });
    expect(message.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(message.textBody).toContain(link);

    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toContain("jane@example.com");
    expect(line).toContain("Reset your Acme password");
    expect(line).toContain("development outbox");
    expect(line).toContain(message.id);
    expect(line).not.toContain(link);
    expect(line).not.toContain("c2VjcmV0LXJlc2V0LXRva2Vu");
  });

  it("gives every message its own id", async () => {
    const { sender, stored } = setup();
    const content = { toEmail: "a@example.com", subject: "Hi", body: "plain body", isHtml: false };
    await sender.send(content);
    await sender.send(content);
    expect(stored[0]!.id).not.toBe(stored[1]!.id);
    expect(stored[0]).toMatchObject({ textBody: "plain body", htmlBody: undefined });
  });

  it("derives a text body from HTML-only content", async () => {
    const { sender, stored } = setup();
    await sender.send({ toEmail: "a@example.com", subject: "Hi", body: "<p>Code: <b>123456</b></p>", isHtml: true });
    expect(stored[0]).toMatchObject({ textBody: "Code: 123456", htmlBody: "<p>Code: <b>123456</b></p>" });
  });

  it("cannot be made to forge log lines through the recipient or subject", async () => {
    const { sender, lines } = setup();
    await sender.send({
      toEmail: "a@example.com\n[portcullis] fake line",
      subject: "Hi\u2028there",
      body: "x",
      isHtml: false,
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/[\n\r\u2028]/);
  });

  it("rejects and logs nothing when the insert fails", async () => {
    const lines: string[] = [];
    const sender = createOutboxEmailSender({
      insert: () => Promise.reject(new Error("disk full")),
      now: () => 0,
      log: (line) => lines.push(line),
    });
    await expect(sender.send({ toEmail: "a@example.com", subject: "Hi", body: "x", isHtml: false })).rejects.toThrow(
      "disk full",
    );
    expect(lines).toEqual([]);
  });
});
