import { describe, expect, it } from "vitest";
import { resolveEmailDelivery } from "./email-delivery.js";
import type { EmailDeliveryInterface } from "./email-delivery.js";

type Input = { user: { email: string } };
type Sent = Input & { tenantId: string; userContext: Record<string, unknown> };

function recorder(label: string, log: string[]): EmailDeliveryInterface<Input> {
  return {
    async sendEmail(input) {
      log.push(`${label}:${input.user.email}:${input.tenantId}`);
    },
  };
}

const message: Sent = { user: { email: "jane@example.com" }, tenantId: "public", userContext: {} };

describe("resolveEmailDelivery", () => {
  it("uses the fallback when nothing is configured", async () => {
    const log: string[] = [];
    await resolveEmailDelivery(undefined, recorder("fallback", log)).sendEmail(message);
    await resolveEmailDelivery({}, recorder("fallback", log)).sendEmail(message);
    expect(log).toEqual(["fallback:jane@example.com:public", "fallback:jane@example.com:public"]);
  });

  it("prefers the configured service", async () => {
    const log: string[] = [];
    await resolveEmailDelivery({ service: recorder("service", log) }, recorder("fallback", log)).sendEmail(message);
    expect(log).toEqual(["service:jane@example.com:public"]);
  });

  it("applies override on top of the service", async () => {
    const log: string[] = [];
    const delivery = resolveEmailDelivery<Input>(
      {
        service: recorder("service", log),
        override: (original) => ({
          ...original,
          async sendEmail(input) {
            log.push("before");
            await original.sendEmail({ ...input, tenantId: "rewritten" });
          },
        }),
      },
      recorder("fallback", log),
    );
    await delivery.sendEmail(message);
    expect(log).toEqual(["before", "service:jane@example.com:rewritten"]);
  });

  it("applies override on top of the fallback too", async () => {
    const log: string[] = [];
    const delivery = resolveEmailDelivery<Input>(
      { override: (original) => ({ sendEmail: (input) => original.sendEmail({ ...input, user: { email: "x@y.z" } }) }) },
      recorder("fallback", log),
    );
    await delivery.sendEmail(message);
    expect(log).toEqual(["fallback:x@y.z:public"]);
  });

  it("refuses an override that returns no sendEmail", () => {
    const broken = (() => ({})) as unknown as (o: EmailDeliveryInterface<Input>) => EmailDeliveryInterface<Input>;
    expect(() => resolveEmailDelivery({ override: broken }, recorder("fallback", []))).toThrow(/sendEmail/);
  });
});
