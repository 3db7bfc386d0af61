import { fetchWithTimeout, originOf, validateTimeout } from "./http-send.js";
import {
  assertSendableSms,
  composeSmsService,
  type SmsContent,
  type SmsDeliveryInterface,
  type SmsServiceInterface,
} from "./sms-delivery.js";

export interface WebhookSmsSettings {
  /** Receives `POST` with JSON `{ to, body }`; any 2xx means accepted. */
  url: string;
  /** E.g. an authorization header for the receiving service. */
  headers?: Record<string, string> | undefined;
  /** Default 10000. */
  timeoutMs?: number | undefined;
}

export interface WebhookSmsServiceConfig<T> extends WebhookSmsSettings {
  getContent: (input: T & { userContext: Record<string, unknown> }) => SmsContent | Promise<SmsContent>;
  override?: ((originalImplementation: SmsServiceInterface<T>) => SmsServiceInterface<T>) | undefined;
}

/** Hands each SMS to your own HTTP endpoint (a gateway, a queue, another provider). */
export class WebhookSmsService<T> implements SmsDeliveryInterface<T> {
  readonly sendSms: SmsDeliveryInterface<T>["sendSms"];

  constructor(config: WebhookSmsServiceConfig<T>) {
    this.sendSms = composeSmsService(createWebhookImplementation(config), config.override).sendSms;
  }
}

function createWebhookImplementation<T>(config: WebhookSmsServiceConfig<T>): SmsServiceInterface<T> {
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    throw new Error("WebhookSmsService: url is not a valid URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("WebhookSmsService: url must be http(s)");
  const timeoutMs = validateTimeout("WebhookSmsService: timeoutMs", config.timeoutMs, 10_000);
  const headers = { ...config.headers, "content-type": "application/json" };
  return {
    async getContent(input) {
      return config.getContent(input);
    },
    async sendRawSms(input) {
      assertSendableSms(input);
      const response = await fetchWithTimeout(
        "WebhookSmsService: SMS not sent",
        url.href,
        { method: "POST", headers, body: JSON.stringify({ to: input.toPhoneNumber, body: input.body }) },
        timeoutMs,
      );
      await response.body?.cancel();
      if (!response.ok) {
        throw new Error(`WebhookSmsService: SMS not sent: ${originOf(url.href)} answered HTTP ${response.status}`);
      }
    },
  };
}
