import { fetchWithTimeout, validateTimeout } from "./http-send.js";
import {
  assertSendableSms,
  composeSmsService,
  type SmsContent,
  type SmsDeliveryInterface,
  type SmsServiceInterface,
} from "./sms-delivery.js";

/**
 * SuperTokens' `twilioSettings`, sent with `fetch` to Twilio's REST API (no twilio SDK).
 * Authenticate with `authToken`, or with an API key (`apiKey` + `apiSecret`); send from `from`
 * or through `messagingServiceSid`, exactly one of the two.
 */
export interface TwilioSettings {
  accountSid: string;
  authToken?: string | undefined;
  apiKey?: string | undefined;
  apiSecret?: string | undefined;
  from?: string | undefined;
  messagingServiceSid?: string | undefined;
  /** Portcullis addition: a Twilio-compatible API. Default `https://api.twilio.com`. */
  baseUrl?: string | undefined;
  /** Portcullis addition: how long one send may take. Default 10000. */
  timeoutMs?: number | undefined;
  /**
   * The SDK passes these to the twilio client. Only `timeout` (ms) applies here; the rest
   * (region, edge, proxies, …) have no equivalent and are ignored.
   */
  opts?: { timeout?: number | undefined; [option: string]: unknown } | undefined;
}

export interface TwilioServiceConfig<T> {
  twilioSettings: TwilioSettings;
  getContent: (input: T & { userContext: Record<string, unknown> }) => SmsContent | Promise<SmsContent>;
  override?: ((originalImplementation: SmsServiceInterface<T>) => SmsServiceInterface<T>) | undefined;
}

const DEFAULT_BASE_URL = "https://api.twilio.com";
const DEFAULT_TIMEOUT_MS = 10_000;

export class TwilioService<T> implements SmsDeliveryInterface<T> {
  // An arrow property rather than a method: overrides do `{ ...originalImplementation }`.
  readonly sendSms: SmsDeliveryInterface<T>["sendSms"];

  constructor(config: TwilioServiceConfig<T>) {
    const original = createTwilioImplementation(config);
    this.sendSms = composeSmsService(original, config.override).sendSms;
  }
}

interface ValidSettings {
  messagesUrl: string;
  authorization: string;
  secret: string;
  sender: ["From" | "MessagingServiceSid", string];
  timeoutMs: number;
}

function validateTwilioSettings(settings: TwilioSettings | undefined): ValidSettings {
  if (settings === undefined || settings === null || typeof settings !== "object") {
    throw new Error("TwilioService: twilioSettings is required");
  }
  const { accountSid, authToken, apiKey, apiSecret, from, messagingServiceSid } = settings;
  if (typeof accountSid !== "string" || accountSid === "") throw new Error("TwilioService: twilioSettings.accountSid is required");
  const hasFrom = from !== undefined && from !== "";
  const hasService = messagingServiceSid !== undefined && messagingServiceSid !== "";
  if (hasFrom === hasService) {
    throw new Error(
      "TwilioService: set exactly one of twilioSettings.from (the sending number) and twilioSettings.messagingServiceSid" +
        (hasFrom ? ", not both" : ""),
    );
  }
  let user: string;
  let secret: string;
  if (apiKey !== undefined || apiSecret !== undefined) {
    if (!apiKey || !apiSecret) throw new Error("TwilioService: twilioSettings.apiKey and apiSecret go together");
    if (authToken !== undefined) throw new Error("TwilioService: set either twilioSettings.authToken or apiKey/apiSecret, not both");
    [user, secret] = [apiKey, apiSecret];
  } else {
    if (!authToken) throw new Error("TwilioService: twilioSettings.authToken (or apiKey and apiSecret) is required");
    [user, secret] = [accountSid, authToken];
  }
  let base: URL;
  try {
    base = new URL(settings.baseUrl ?? DEFAULT_BASE_URL);
  } catch {
    throw new Error("TwilioService: twilioSettings.baseUrl is not a valid URL");
  }
  if (base.protocol !== "https:" && base.protocol !== "http:") throw new Error("TwilioService: twilioSettings.baseUrl must be http(s)");
  const root = base.href.replace(/\/+$/, "");
  return {
    messagesUrl: `${root}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`,
    authorization: `Basic ${Buffer.from(`${user}:${secret}`, "utf8").toString("base64")}`,
    secret,
    sender: hasFrom ? ["From", from!] : ["MessagingServiceSid", messagingServiceSid!],
    timeoutMs: validateTimeout(
      "TwilioService: twilioSettings.timeoutMs",
      settings.timeoutMs ?? settings.opts?.timeout,
      DEFAULT_TIMEOUT_MS,
    ),
  };
}

function createTwilioImplementation<T>(config: TwilioServiceConfig<T>): SmsServiceInterface<T> {
  const settings = validateTwilioSettings(config.twilioSettings);
  return {
    async getContent(input) {
      return config.getContent(input);
    },
    async sendRawSms(input) {
      assertSendableSms(input);
      const form = new URLSearchParams({ To: input.toPhoneNumber, Body: input.body, [settings.sender[0]]: settings.sender[1] });
      const response = await fetchWithTimeout(
        "TwilioService: SMS not sent",
        settings.messagesUrl,
        {
          method: "POST",
          headers: {
            authorization: settings.authorization,
            "content-type": "application/x-www-form-urlencoded",
            accept: "application/json",
          },
          body: form.toString(),
        },
        settings.timeoutMs,
      );
      if (response.ok) {
        await response.body?.cancel();
        return;
      }
      throw new Error(redact(await describeTwilioError(response), settings.secret));
    },
  };
}

async function describeTwilioError(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  let detail = "";
  try {
    const parsed = JSON.parse(text) as { code?: unknown; message?: unknown; more_info?: unknown };
    const parts: string[] = [];
    if (parsed.code !== undefined && parsed.code !== null) parts.push(`code ${String(parsed.code)}`);
    if (typeof parsed.message === "string") parts.push(parsed.message);
    detail = parts.join(": ");
    if (typeof parsed.more_info === "string") detail += ` (${parsed.more_info})`;
  } catch {
    detail = text.slice(0, 200);
  }
  return `TwilioService: SMS not sent: HTTP ${response.status}${detail === "" ? "" : `, Twilio ${detail}`}`;
}

// Belt and braces: the secret is never put into a message, but a provider could echo it back.
function redact(message: string, secret: string): string {
  return secret.length >= 4 ? message.split(secret).join("[redacted]") : message;
}
