import { describe, expect, it } from "vitest";
import type { Log } from "../../core/log.js";
import type { OutboxMessage } from "../../storage/storage.js";
import { createDevelopmentOutbox } from "../development-outbox.js";
import { passwordlessLoginSmsContent, type PasswordlessLoginSmsInput } from "../templates/passwordless-login-sms.js";
import { outboxSmsDelivery } from "./outbox-sms-service.js";
import { resolveSmsDelivery, type SmsDeliveryInterface } from "./sms-delivery.js";

function setup(production = false, allowInProduction = false) {
  const rows: OutboxMessage[] = [];
  const lines: string[] = [];
  const log: Log = {
    debug: () => undefined,
    info: (line) => lines.push(line),
    warn: () => undefined,
    error: () => undefined,
    debugEnabled: false,
  };
  const outbox = createDevelopmentOutbox({
    store: {
      insert: async (message) => {
        rows.push(message);
      },
      listNewest: async (limit) => [...rows].sort((a, b) => b.createdAt - a.createdAt).slice(0, limit),
      deleteCreatedBefore: async () => 0,
    },
    clock: { now: () => 1_700_000_000_000 },
    log,
    options: { allowInProduction },
    production,
  });
  return { outbox, rows, lines };
}

const input: PasswordlessLoginSmsInput = {
  type: "PASSWORDLESS_LOGIN",
  phoneNumber: "+14155550123",
  userInputCode: "482913",
  urlWithLinkCode: "https://app.example.com/auth/verify?preAuthSessionId=pre#linkcode",
  codeLifetime: 600_000,
  preAuthSessionId: "pre",
  tenantId: "public",
};

describe("SMS in the development outbox", () => {
  it("is the default delivery: stored with channel sms, listed next to emails, the code kept out of the log", async () => {
    const { outbox, rows, lines } = setup();
    const delivery = resolveSmsDelivery<PasswordlessLoginSmsInput>(
      undefined,
      outboxSmsDelivery(outbox, (i) => passwordlessLoginSmsContent("Acme", i)),
    );
    await outbox.send({ toEmail: "jane@example.com", subject: "Hi", body: "x", isHtml: false });
    await delivery.sendSms({ ...input, userContext: {} });

    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ channel: "sms", recipient: "+14155550123", htmlBody: undefined });
    expect(rows[1]!.textBody).toBe(
      "Your Acme login code is 482913. Or open: https://app.example.com/auth/verify?preAuthSessionId=pre#linkcode It expires in 10 minutes. Don't share it.",
    );
    expect((await outbox.list(10)).map((m) => m.channel).sort()).toEqual(["email", "sms"]);
    const smsLine = lines[1]!;
    expect(smsLine).toContain("+14155550123");
    expect(smsLine).toContain(rows[1]!.id);
    expect(smsLine).not.toContain("482913");
    expect(smsLine).not.toContain("linkcode");
  });

  it("refuses a number that is not E.164, as a real provider would", async () => {
    const { outbox, rows } = setup();
    const delivery = outboxSmsDelivery<PasswordlessLoginSmsInput>(outbox, (i) => passwordlessLoginSmsContent("Acme", i));
    await expect(delivery.sendSms({ ...input, phoneNumber: "415-555-0123", userContext: {} })).rejects.toThrow(/E\.164/);
    expect(rows).toHaveLength(0);
  });

  it("keeps the production guard: SMS falling back to the outbox fails start-up unless opted in", () => {
    expect(() => setup(true).outbox.assertAllowedFor("passwordless SMS", "smsDelivery: { service: new TwilioService(...) }")).toThrow(
      /production.*passwordless SMS.*smsDelivery/s,
    );
    expect(() => setup(true, true).outbox.assertAllowedFor("passwordless SMS", "smsDelivery")).not.toThrow();
    expect(() => setup(false).outbox.assertAllowedFor("passwordless SMS", "smsDelivery")).not.toThrow();
  });

  it("the app's override wraps the resolved service, and a bad override fails at init", async () => {
    const { outbox, rows } = setup();
    const fallback = outboxSmsDelivery<PasswordlessLoginSmsInput>(outbox, (i) => passwordlessLoginSmsContent("Acme", i));
    const seen: string[] = [];
    const delivery = resolveSmsDelivery<PasswordlessLoginSmsInput>(
      {
        override: (original) => ({
          sendSms: async (i) => {
            seen.push(i.phoneNumber);
            await original.sendSms(i);
          },
        }),
      },
      fallback,
    );
    await delivery.sendSms({ ...input, userContext: {} });
    expect(seen).toEqual(["+14155550123"]);
    expect(rows).toHaveLength(1);
    expect(() =>
      resolveSmsDelivery<PasswordlessLoginSmsInput>({ override: () => ({}) as SmsDeliveryInterface<PasswordlessLoginSmsInput> }, fallback),
    ).toThrow(/sendSms/);
  });
});
