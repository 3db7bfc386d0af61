import type { EmailContent } from "../../delivery/email-content.js";
import type { EmailDeliveryInterface } from "../../delivery/email-delivery.js";
import { SMTPService as GenericSMTPService, type SMTPServiceInterface, type SMTPSettings } from "../../delivery/smtp-service.js";
import { emailVerificationEmailContent } from "../../delivery/templates/email-verification.js";
import { DEFAULT_CORE_SETTINGS } from "../../engine/settings.js";
import type { Engine } from "../../engine/types.js";
import type { TypeEmailVerificationEmailDeliveryInput } from "./types.js";

export function verificationEmailContent(appName: string, linkLifetime: number, input: TypeEmailVerificationEmailDeliveryInput): EmailContent {
  return emailVerificationEmailContent({ appName, toEmail: input.user.email, emailVerifyLink: input.emailVerifyLink, linkLifetime });
}

/** With nothing configured, verification emails land in the development outbox: never a silent drop. */
export function outboxVerificationEmailDelivery(engine: Engine): EmailDeliveryInterface<TypeEmailVerificationEmailDeliveryInput> {
  return {
    sendEmail: async (input) =>
      engine.outbox.send(verificationEmailContent(engine.appInfo.appName, engine.settings.emailVerificationTokenLifetime, input)),
  };
}

/**
 * `portcullis/recipe/emailverification/emaildelivery`'s SMTPService: the SDK's constructor shape,
 * with the verification email as default content.
 */
export class SMTPService extends GenericSMTPService<TypeEmailVerificationEmailDeliveryInput> {
  constructor(config: {
    smtpSettings: SMTPSettings;
    override?: (
      originalImplementation: SMTPServiceInterface<TypeEmailVerificationEmailDeliveryInput>,
    ) => SMTPServiceInterface<TypeEmailVerificationEmailDeliveryInput>;
    /** Used in the default subject and body. */
    appName?: string;
    /** Milliseconds, for the "expires in" line; set it when you changed core.emailVerificationTokenLifetime. */
    linkLifetime?: number;
  }) {
    super({
      smtpSettings: config.smtpSettings,
      getContent: (input) =>
        verificationEmailContent(
          config.appName ?? config.smtpSettings.from.name,
          config.linkLifetime ?? DEFAULT_CORE_SETTINGS.emailVerificationTokenLifetime,
          input,
        ),
      ...(config.override !== undefined ? { override: config.override } : {}),
    });
  }
}
