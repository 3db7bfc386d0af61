import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { TwilioService, type TwilioSettings } from "./twilio-service.js";
import { WebhookSmsService } from "./webhook-service.js";
import type { SmsContent } from "./sms-delivery.js";
import { TwilioService as PasswordlessTwilioService, SupertokensService } from "../../facade/passwordless-smsdelivery.js";

const ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
const AUTH_TOKEN = "s3cr3t-auth-token-0123456789abcdef";
const API_KEY = "SK0123456789abcdef0123456789abcdef";
const API_SECRET = "api-secret-0123456789";
const MESSAGING_SERVICE_SID = "MG0123456789abcdef0123456789abcdef";
const FROM = "+15005550006";

interface Received {
  path: string;
  contentType: string | undefined;
  fields: Record<string, string[]>;
}

interface Started {
  baseUrl: string;
  received: Received[];
}

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => handler(req, res, Buffer.concat(chunks).toString("utf8")));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function twilioError(res: ServerResponse, status: number, code: number, message: string) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
}

/** Checks each request as Twilio's Messages API does. */
async function startFakeTwilio(): Promise<Started> {
  const received: Received[] = [];
  const credentials = new Set([`${ACCOUNT_SID}:${AUTH_TOKEN}`, `${API_KEY}:${API_SECRET}`]);
  const baseUrl = await listen((req, res, body) => {
    const fields: Record<string, string[]> = {};
    for (const [key, value] of new URLSearchParams(body)) (fields[key] ??= []).push(value);
    received.push({ path: req.url ?? "", contentType: req.headers["content-type"], fields });
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? "");
    if (req.method !== "POST" || !match) return twilioError(res, 404, 20404, "The requested resource was not found");
    const auth = req.headers.authorization ?? "";
    const decoded = auth.startsWith("Basic ") ? Buffer.from(auth.slice(6), "base64").toString("utf8") : "";
    if (!credentials.has(decoded) || match[1] !== ACCOUNT_SID) return twilioError(res, 401, 20003, "Authenticate");
    if (req.headers["content-type"] !== "application/x-www-form-urlencoded") {
      return twilioError(res, 400, 20001, "Unsupported content type");
    }
    const one = (name: string) => (fields[name]?.length === 1 ? fields[name][0] : undefined);
    const to = one("To");
    // +15005550001 is Twilio's magic test number for an invalid To.
    if (to === undefined || !/^\+[1-9]\d{7,14}$/.test(to) || to === "+15005550001") {
      return twilioError(res, 400, 21211, `Invalid 'To' Phone Number: ${to ?? ""}`);
    }
    const messageBody = one("Body");
    if (messageBody === undefined || messageBody === "") return twilioError(res, 400, 21602, "Message body is required.");
    const from = one("From");
    const service = one("MessagingServiceSid");
    if ((from === undefined) === (service === undefined)) {
      return twilioError(res, 400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required");
    }
    res.writeHead(201, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        sid: `SM${"0".repeat(32)}`,
        account_sid: ACCOUNT_SID,
        to,
        from: from ?? null,
        messaging_service_sid: service ?? null,
        body: messageBody,
        status: "queued",
        num_segments: "1",
        direction: "outbound-api",
        api_version: "2010-04-01",
        date_created: new Date(0).toUTCString(),
        error_code: null,
        error_message: null,
        uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/SM${"0".repeat(32)}.json`,
      }),
    );
  });
  return { baseUrl, received };
}

type Input = { phoneNumber: string; code: string };
const getContent = (input: Input): SmsContent => ({ toPhoneNumber: input.phoneNumber, body: `Your code is ${input.code}` });

function service(settings: Partial<TwilioSettings>) {
  return new TwilioService<Input>({ twilioSettings: { accountSid: ACCOUNT_SID, ...settings }, getContent });
}

const send = (svc: { sendSms: TwilioService<Input>["sendSms"] }, phoneNumber = "+14155550123") =>
  svc.sendSms({ phoneNumber, code: "123456", userContext: {} });

describe("TwilioService against a Twilio-compatible server", () => {
  it("sends with From and the account's auth token", async () => {
    const twilio = await startFakeTwilio();
    await send(service({ authToken: AUTH_TOKEN, from: FROM, baseUrl: twilio.baseUrl }));
    expect(twilio.received).toEqual([
      {
        path: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`,
        contentType: "application/x-www-form-urlencoded",
        fields: { To: ["+14155550123"], Body: ["Your code is 123456"], From: [FROM] },
      },
    ]);
  });

  it("sends through a messaging service, authenticated with an API key", async () => {
    const twilio = await startFakeTwilio();
    await send(
      service({ apiKey: API_KEY, apiSecret: API_SECRET, messagingServiceSid: MESSAGING_SERVICE_SID, baseUrl: `${twilio.baseUrl}/` }),
    );
    expect(twilio.received[0]!.fields).toEqual({
      To: ["+14155550123"],
      Body: ["Your code is 123456"],
      MessagingServiceSid: [MESSAGING_SERVICE_SID],
    });
  });

  it("sends with a messaging service and the auth token", async () => {
    const twilio = await startFakeTwilio();
    await send(service({ authToken: AUTH_TOKEN, messagingServiceSid: MESSAGING_SERVICE_SID, baseUrl: twilio.baseUrl }));
    expect(twilio.received).toHaveLength(1);
  });

  it("a wrong token fails with Twilio's status and code, never the token", async () => {
    const twilio = await startFakeTwilio();
    const wrongToken = "wrong-token-abcdef0123456789";
    const error = await send(service({ authToken: wrongToken, from: FROM, baseUrl: twilio.baseUrl })).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("401");
    expect((error as Error).message).toContain("20003");
    expect((error as Error).message).toContain("Authenticate");
    expect((error as Error).message).not.toContain(wrongToken);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(wrongToken);
  });

  it("refuses a number that is not E.164 before sending", async () => {
    const twilio = await startFakeTwilio();
    const svc = service({ authToken: AUTH_TOKEN, from: FROM, baseUrl: twilio.baseUrl });
    for (const bad of ["4155550123", "+1 415 555 0123", "+1234567", "+1234567890123456", "+0123456789", "tel:+14155550123"]) {
      await expect(send(svc, bad)).rejects.toThrow(/E\.164/);
    }
    expect(twilio.received).toHaveLength(0);
  });

  it("the server's own validation errors come through with their code", async () => {
    const twilio = await startFakeTwilio();
    const error = await send(service({ authToken: AUTH_TOKEN, from: FROM, baseUrl: twilio.baseUrl }), "+15005550001").catch(
      (e: Error) => e,
    );
    expect((error as Error).message).toMatch(/HTTP 400, Twilio code 21211: Invalid 'To' Phone Number/);
    expect((error as Error).message).toContain("https://www.twilio.com/docs/errors/21211");
  });

  it("refuses an empty body before sending (Twilio would answer 21602)", async () => {
    const twilio = await startFakeTwilio();
    const svc = new TwilioService<Input>({
      twilioSettings: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, baseUrl: twilio.baseUrl },
      getContent: (input) => ({ toPhoneNumber: input.phoneNumber, body: "" }),
    });
    await expect(send(svc)).rejects.toThrow(/body is empty/);
    expect(twilio.received).toHaveLength(0);
  });

  it("a 500 with Twilio's JSON error carries its code and message", async () => {
    const baseUrl = await listen((_req, res) => twilioError(res, 500, 20500, "An internal server error has occurred"));
    await expect(send(service({ authToken: AUTH_TOKEN, from: FROM, baseUrl }))).rejects.toThrow(
      /HTTP 500, Twilio code 20500: An internal server error has occurred/,
    );
  });

  it("the SDK's opts.timeout sets the timeout", async () => {
    const baseUrl = await listen(() => undefined);
    await expect(send(service({ authToken: AUTH_TOKEN, from: FROM, baseUrl, opts: { timeout: 150 } }))).rejects.toThrow(/within 150 ms/);
  });

  it("a 500 answer is an error with the status", async () => {
    const baseUrl = await listen((_req, res) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end("internal error");
    });
    await expect(send(service({ authToken: AUTH_TOKEN, from: FROM, baseUrl }))).rejects.toThrow(/HTTP 500/);
  });

  it("a provider that does not answer times out with a clear error", async () => {
    const baseUrl = await listen(() => {
      /* never answers */
    });
    const started = performance.now();
    await expect(send(service({ authToken: AUTH_TOKEN, from: FROM, baseUrl, timeoutMs: 300 }))).rejects.toThrow(
      /no answer from http:\/\/127\.0\.0\.1:\d+ within 300 ms/,
    );
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("a refused connection is a clear error", async () => {
    const baseUrl = await listen(() => undefined);
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    await expect(send(service({ authToken: AUTH_TOKEN, from: FROM, baseUrl }))).rejects.toThrow(/could not reach http:\/\/127\.0\.0\.1/);
  });

  it("validates the settings at construction", () => {
    expect(() => service({ authToken: AUTH_TOKEN })).toThrow(/exactly one of twilioSettings\.from .*messagingServiceSid/);
    expect(() => service({ authToken: AUTH_TOKEN, from: FROM, messagingServiceSid: MESSAGING_SERVICE_SID })).toThrow(/not both/);
    expect(() => service({ from: FROM })).toThrow(/authToken/);
    expect(() => service({ apiKey: API_KEY, from: FROM })).toThrow(/apiKey and apiSecret go together/);
    expect(() => service({ authToken: AUTH_TOKEN, apiKey: API_KEY, apiSecret: API_SECRET, from: FROM })).toThrow(/not both/);
    expect(() => service({ authToken: AUTH_TOKEN, from: FROM, baseUrl: "not a url" })).toThrow(/baseUrl/);
    expect(() => service({ authToken: AUTH_TOKEN, from: FROM, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => new TwilioService<Input>({ twilioSettings: { accountSid: "", authToken: AUTH_TOKEN, from: FROM }, getContent })).toThrow(
      /accountSid/,
    );
  });

  it("override can replace getContent (the SDK's pattern)", async () => {
    const twilio = await startFakeTwilio();
    const svc = new TwilioService<Input>({
      twilioSettings: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, baseUrl: twilio.baseUrl },
      getContent,
      override: (original) => ({ ...original, getContent: async (input) => ({ toPhoneNumber: input.phoneNumber, body: "custom" }) }),
    });
    await send(svc);
    expect(twilio.received[0]!.fields.Body).toEqual(["custom"]);
  });
});

describe("portcullis/recipe/passwordless/smsdelivery", () => {
  it("TwilioService sends the default login text for a passwordless input", async () => {
    const twilio = await startFakeTwilio();
    const svc = new PasswordlessTwilioService({
      twilioSettings: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, baseUrl: twilio.baseUrl },
      appName: "Acme",
    });
    await svc.sendSms({
      type: "PASSWORDLESS_LOGIN",
      phoneNumber: "+447700900123",
      userInputCode: "482913",
      codeLifetime: 900_000,
      preAuthSessionId: "pre",
      tenantId: "public",
      userContext: {},
    });
    expect(twilio.received[0]!.fields.To).toEqual(["+447700900123"]);
    expect(twilio.received[0]!.fields.Body![0]).toBe("Your Acme login code is 482913. It expires in 15 minutes. Don't share it.");
  });

  it("SupertokensService explains that it is not available", () => {
    expect(() => new SupertokensService("key")).toThrow(/not available in Portcullis.*TwilioService/);
  });
});

describe("WebhookSmsService", () => {
  it("POSTs JSON { to, body } with the configured headers", async () => {
    const received: Array<{ method: string | undefined; headers: IncomingMessage["headers"]; body: string }> = [];
    const url = await listen((req, res, body) => {
      received.push({ method: req.method, headers: req.headers, body });
      res.writeHead(202);
      res.end();
    });
    const svc = new WebhookSmsService<Input>({ url: `${url}/sms`, headers: { authorization: "Bearer hook-token" }, getContent });
    await send(svc);
    expect(received).toHaveLength(1);
    expect(received[0]!.method).toBe("POST");
    expect(received[0]!.headers["content-type"]).toBe("application/json");
    expect(received[0]!.headers.authorization).toBe("Bearer hook-token");
    expect(JSON.parse(received[0]!.body)).toEqual({ to: "+14155550123", body: "Your code is 123456" });
  });

  it("a non-2xx answer is an error naming the status, not the URL's path", async () => {
    const url = await listen((_req, res) => {
      res.writeHead(503);
      res.end("down");
    });
    const error = await send(new WebhookSmsService<Input>({ url: `${url}/hook/secret-path`, getContent })).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/HTTP 503/);
    expect((error as Error).message).not.toContain("secret-path");
  });

  it("times out and refuses bad numbers and configs", async () => {
    const url = await listen(() => undefined);
    const svc = new WebhookSmsService<Input>({ url, timeoutMs: 200, getContent });
    await expect(send(svc)).rejects.toThrow(/within 200 ms/);
    await expect(send(svc, "0800 123")).rejects.toThrow(/E\.164/);
    expect(() => new WebhookSmsService<Input>({ url: "ftp://example.com", getContent })).toThrow(/http/);
  });
});
