import { loadDriver } from "../core/load-driver.js";
import type { EmailContent } from "./email-content.js";
import type { EmailDeliveryInterface } from "./email-delivery.js";
import { htmlToText } from "./html-to-text.js";

export interface SMTPSettings {
  host: string;
  port: number;
  from: { name: string; email: string };
  /** true for implicit TLS (usually port 465); otherwise nodemailer upgrades with STARTTLS when offered. */
  secure?: boolean | undefined;
  /** Defaults to `from.email` when only `password` is given, as in SuperTokens. */
  authUsername?: string | undefined;
  password?: string | undefined;
}

/** What `override` receives and returns; spread the original to replace one of the two steps. */
export interface SMTPServiceInterface<T> {
  sendRawEmail(input: EmailContent & { userContext: Record<string, unknown> }): Promise<void>;
  getContent(input: T & { userContext: Record<string, unknown> }): Promise<EmailContent>;
}

export interface SMTPServiceConfig<T> {
  smtpSettings: SMTPSettings;
  getContent: (input: T) => EmailContent | Promise<EmailContent>;
  override?: (originalImplementation: SMTPServiceInterface<T>) => SMTPServiceInterface<T>;
}

export class SMTPService<T> implements EmailDeliveryInterface<T> {
  readonly #implementation: SMTPServiceInterface<T>;

  constructor(config: SMTPServiceConfig<T>) {
    const original = createSmtpImplementation(config);
    this.#implementation = config.override ? config.override(original) : original;
  }

  // An arrow property rather than a method: recipe overrides do `{ ...originalImplementation }`,
  // and a spread copies own properties only.
  readonly sendEmail = async (input: T & { tenantId: string; userContext: Record<string, unknown> }): Promise<void> => {
    const content = await this.#implementation.getContent(input);
    await this.#implementation.sendRawEmail({ ...content, userContext: input.userContext });
  };
}

function createSmtpImplementation<T>(config: SMTPServiceConfig<T>): SMTPServiceInterface<T> {
  const settings = validateSettings(config.smtpSettings);
  let transport: ReturnType<typeof createTransport> | undefined;

  return {
    async getContent(input) {
      return config.getContent(input);
    },

    async sendRawEmail(input) {
      // Created on first send so that configuring a service never opens a connection at startup.
      transport ??= createTransport(settings);
      // Errors propagate: a reset email that silently vanished is worse than a failed request.
      await (await transport).sendMail({
        from: { name: settings.from.name, address: settings.from.email },
        // An address object is never split on commas, so one toEmail is always one recipient.
        to: { name: "", address: input.toEmail },
        subject: input.subject,
        ...(input.isHtml
          ? { html: input.body, text: input.textBody ?? htmlToText(input.body) }
          : { text: input.body }),
      });
    },
  };
}

async function createTransport(settings: SMTPSettings) {
  const { host, port, secure, authUsername, password } = settings;
  const nodemailer = await loadDriver("nodemailer");
  return nodemailer.createTransport({
    host,
    port,
    secure: secure ?? false,
    ...(password !== undefined ? { auth: { user: authUsername ?? settings.from.email, pass: password } } : {}),
  });
}

/** Checks the settings and snapshots them, so later edits to the caller's object change nothing. */
function validateSettings(settings: SMTPSettings): SMTPSettings {
  const { host, port, from, authUsername, password } = settings;
  if (typeof host !== "string" || host.trim() === "") {
    throw new TypeError("SMTPService: smtpSettings.host is required");
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`SMTPService: smtpSettings.port must be an integer from 1 to 65535, got ${String(port)}`);
  }
  if (typeof from?.email !== "string" || from.email.trim() === "" || typeof from.name !== "string") {
    throw new TypeError("SMTPService: smtpSettings.from needs a name and an email");
  }
  if (authUsername !== undefined && password === undefined) {
    throw new TypeError("SMTPService: smtpSettings.password is required when authUsername is set");
  }
  return { ...settings, from: { name: from.name, email: from.email } };
}
