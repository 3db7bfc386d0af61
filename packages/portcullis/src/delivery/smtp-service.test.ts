import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import type { SMTPServerOptions } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import type { EmailContent } from "./email-content.js";
import { SMTPService } from "./smtp-service.js";
import type { SMTPServiceInterface } from "./smtp-service.js";
import { resetPasswordEmailContent } from "./templates/reset-password.js";

interface ReceivedMail {
  mailFrom: string | undefined;
  rcptTo: string[];
  raw: string;
}

interface TestSmtpServer {
  port: number;
  received: ReceivedMail[];
  logins: Array<{ username: string | undefined; password: string | undefined }>;
  close(): Promise<void>;
}

const servers: TestSmtpServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startSmtpServer(extra: Partial<SMTPServerOptions> = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const logins: TestSmtpServer["logins"] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push({ username: auth.username ?? undefined, password: auth.password ?? undefined });
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
    ...extra,
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  const handle: TestSmtpServer = {
    port,
    received,
    logins,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  servers.push(handle);
  return handle;
}

/** A port that was free a moment ago and has nothing listening now. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

// Just enough MIME to read a nodemailer message back: unfolded headers, one level of multipart,
// quoted-printable or base64 bodies.
interface MimePart {
  headers: Map<string, string>;
  body: string;
}

function parseMime(raw: string): MimePart {
  const split = raw.indexOf("\r\n\r\n");
  const headerBlock = raw.slice(0, split);
  const headers = new Map<string, string>();
  for (const line of headerBlock.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(split + 4) };
}

function decodeBody(part: MimePart): string {
  const encoding = (part.headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  const decoded =
    encoding === "base64"
      ? Buffer.from(part.body.replace(/\s+/g, ""), "base64").toString("utf8")
      : encoding === "quoted-printable"
        ? decodeQuotedPrintable(part.body)
        : part.body;
  // SMTP carries CRLF line ends; compare against the LF text that was sent.
  return decoded.replace(/\r\n/g, "\n").replace(/\n$/, "");
}

function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i += 1) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === "=" && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i]!, "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

function partsOf(message: MimePart): MimePart[] {
  const contentType = message.headers.get("content-type") ?? "";
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) return [message];
  return message.body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((chunk) => parseMime(chunk.replace(/^\r\n/, "")));
}

function findPart(parts: MimePart[], type: string): string | undefined {
  const part = parts.find((p) => (p.headers.get("content-type") ?? "").startsWith(type));
  return part ? decodeBody(part) : undefined;
}

type ResetInput = { toEmail: string; passwordResetLink: string };

const link = "https://app.example.com/auth/reset-password?token=Zm9vYmFyYmF6cXV4&tenantId=public";

function serviceFor(port: number, extra: Partial<ConstructorParameters<typeof SMTPService<ResetInput>>[0]> = {}) {
  return new SMTPService<ResetInput>({
    smtpSettings: { host: "127.0.0.1", port, from: { name: "Acme Auth", email: "no-reply@acme.test" } },
    getContent: (input) =>
      resetPasswordEmailContent({
        appName: "Acme",
        toEmail: input.toEmail,
        passwordResetLink: input.passwordResetLink,
        validForMinutes: 30,
      }),
    ...extra,
  });
}

const send = (service: SMTPService<ResetInput>, toEmail = "jane@example.com") =>
  service.sendEmail({ toEmail, passwordResetLink: link, tenantId: "public", userContext: {} });

describe("SMTPService against a real SMTP server", () => {
  it("delivers an HTML and a text part that both carry the link", async () => {
    const server = await startSmtpServer();
    await send(serviceFor(server.port));

    expect(server.received).toHaveLength(1);
    const mail = server.received[0]!;
    expect(mail.mailFrom).toBe("no-reply@acme.test");
    expect(mail.rcptTo).toEqual(["jane@example.com"]);

    const message = parseMime(mail.raw);
    expect(message.headers.get("to")).toBe("jane@example.com");
    expect(message.headers.get("subject")).toBe("Reset your Acme password");
    expect(message.headers.get("from")).toBe("Acme Auth <no-reply@acme.test>");
    expect(message.headers.get("content-type")).toMatch(/^multipart\/alternative;/);

    const parts = partsOf(message);
    const text = findPart(parts, "text/plain");
    const html = findPart(parts, "text/html");
    expect(text).toContain(link);
    expect(text).not.toMatch(/<[a-z]/i);
    expect(html).toContain(`href="${link.replace("&", "&amp;")}"`);
    expect(server.logins).toEqual([]);
  });

  it("derives the text part from the HTML when getContent gives none", async () => {
    const server = await startSmtpServer();
    const service = new SMTPService<{ toEmail: string }>({
      smtpSettings: { host: "127.0.0.1", port: server.port, from: { name: "Acme", email: "no-reply@acme.test" } },
      getContent: (input) => ({
        toEmail: input.toEmail,
        subject: "Verify your email",
        isHtml: true,
        body: `<html><head><style>p{color:red}</style></head><body><p>Hello &amp; welcome.</p><p><a href="${link.replace("&", "&amp;")}">Verify</a></p></body></html>`,
      }),
    });
    await service.sendEmail({ toEmail: "jane@example.com", tenantId: "public", userContext: {} });

    const text = findPart(partsOf(parseMime(server.received[0]!.raw)), "text/plain");
    expect(text).toBe(`Hello & welcome.\n\nVerify: ${link}`);
  });

  it("sends plain-text content as a single text part", async () => {
    const server = await startSmtpServer();
    const service = new SMTPService<{ toEmail: string }>({
      smtpSettings: { host: "127.0.0.1", port: server.port, from: { name: "Acme", email: "no-reply@acme.test" } },
      getContent: (input) => ({ toEmail: input.toEmail, subject: "Plain", isHtml: false, body: `Open ${link}` }),
    });
    await service.sendEmail({ toEmail: "jane@example.com", tenantId: "public", userContext: {} });

    const message = parseMime(server.received[0]!.raw);
    expect(message.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(decodeBody(message)).toBe(`Open ${link}`);
  });

  it("lets override replace getContent, SuperTokens style", async () => {
    const server = await startSmtpServer();
    const seenContexts: Array<Record<string, unknown>> = [];
    const service = serviceFor(server.port, {
      override: (original) => ({
        ...original,
        async getContent(input) {
          seenContexts.push(input.userContext);
          const content = await original.getContent(input);
          return { ...content, subject: "Your Acme password reset link" };
        },
      }),
    });
    await service.sendEmail({
      toEmail: "jane@example.com",
      passwordResetLink: link,
      tenantId: "public",
      userContext: { requestId: "r-1" },
    });

    const message = parseMime(server.received[0]!.raw);
    expect(message.headers.get("subject")).toBe("Your Acme password reset link");
    expect(findPart(partsOf(message), "text/plain")).toContain(link);
    expect(seenContexts).toEqual([{ requestId: "r-1" }]);
  });

  it("lets override replace sendRawEmail and receive the userContext", async () => {
    const captured: Array<EmailContent & { userContext: Record<string, unknown> }> = [];
    const service = serviceFor(1, {
      override: (original): SMTPServiceInterface<ResetInput> => ({
        ...original,
        async sendRawEmail(input) {
          captured.push(input);
        },
      }),
    });
    await service.sendEmail({ toEmail: "jane@example.com", passwordResetLink: link, tenantId: "t1", userContext: { a: 1 } });
    expect(captured).toHaveLength(1);
    expect(captured[0]).toMatchObject({ toEmail: "jane@example.com", isHtml: true, userContext: { a: 1 } });
  });

  it("keeps sendEmail working when the service itself is spread by a recipe override", async () => {
    const server = await startSmtpServer();
    const service = serviceFor(server.port);
    const spread = { ...service };
    await spread.sendEmail({ toEmail: "jane@example.com", passwordResetLink: link, tenantId: "public", userContext: {} });
    expect(server.received).toHaveLength(1);
  });

  it("authenticates only when credentials are configured", async () => {
    const server = await startSmtpServer();
    const withUser = serviceFor(server.port, {
      smtpSettings: {
        host: "127.0.0.1",
        port: server.port,
        from: { name: "Acme", email: "no-reply@acme.test" },
        authUsername: "smtp-user",
        password: "smtp-pass",
      },
    });
    const passwordOnly = serviceFor(server.port, {
      smtpSettings: {
        host: "127.0.0.1",
        port: server.port,
        from: { name: "Acme", email: "no-reply@acme.test" },
        password: "smtp-pass-2",
      },
    });
    await send(withUser);
    await send(passwordOnly);
    expect(server.logins).toEqual([
      { username: "smtp-user", password: "smtp-pass" },
      { username: "no-reply@acme.test", password: "smtp-pass-2" },
    ]);
  });

  it("keeps a toEmail with a comma as one recipient", async () => {
    const server = await startSmtpServer();
    await expect(send(serviceFor(server.port), "victim@example.com, attacker@evil.test")).rejects.toThrow();
    // Whatever the server makes of it, the attacker's address is never a separate RCPT TO.
    expect(server.received.flatMap((m) => m.rcptTo)).not.toContain("attacker@evil.test");
  });

  it("rejects when nothing listens on the port", async () => {
    const port = await closedPort();
    await expect(send(serviceFor(port))).rejects.toMatchObject({ code: expect.stringMatching(/ECONNREFUSED|ESOCKET/) });
  });

  it("rejects when the server refuses the message", async () => {
    const server = await startSmtpServer({
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 }));
      },
    });
    await expect(send(serviceFor(server.port))).rejects.toThrow(/Mailbox unavailable|550/);
    expect(server.received).toHaveLength(0);
  });
});

describe("SMTPService configuration", () => {
  const from = { name: "Acme", email: "no-reply@acme.test" };
  const getContent = (): EmailContent => ({ toEmail: "a@b.c", subject: "s", body: "b", isHtml: false });

  it.each([
    [{ host: "", port: 25, from }],
    [{ host: "smtp.acme.test", port: 0, from }],
    [{ host: "smtp.acme.test", port: 70000, from }],
    [{ host: "smtp.acme.test", port: 25, from: { name: "Acme", email: "" } }],
    [{ host: "smtp.acme.test", port: 25, from, authUsername: "user" }],
  ])("refuses %j at construction", (smtpSettings) => {
    expect(() => new SMTPService({ smtpSettings, getContent })).toThrow(/SMTPService/);
  });

  it("does not connect anywhere until the first email", () => {
    expect(() => new SMTPService({ smtpSettings: { host: "smtp.invalid", port: 25, from }, getContent })).not.toThrow();
  });
});
