import type { EmailContent } from "../../delivery/email-content.js";
import type { EmailDeliveryInterface } from "../../delivery/email-delivery.js";
import type { SmsDeliveryInterface } from "../../delivery/sms/sms-delivery.js";
import { SMTPService as GenericSMTPService, type SMTPServiceInterface, type SMTPSettings } from "../../delivery/smtp-service.js";
import { passwordlessLoginEmailContent } from "../../delivery/templates/passwordless-login-email.js";
import { passwordlessLoginSmsContent } from "../../delivery/templates/passwordless-login-sms.js";
import type { Engine } from "../../engine/types.js";
import type { TypePasswordlessEmailDeliveryInput, TypePasswordlessSmsDeliveryInput } from "./types.js";

export function loginEmailContent(appName: string, input: TypePasswordlessEmailDeliveryInput): EmailContent {
  return passwordlessLoginEmailContent({
    appName,
    toEmail: input.email,
    userInputCode: input.userInputCode,
    urlWithLinkCode: input.urlWithLinkCode,
    codeLifetime: input.codeLifetime,
  });
}

/** With nothing configured, sign-in emails land in the development outbox: never a silent drop. */
export function outboxLoginEmailDelivery(engine: Engine): EmailDeliveryInterface<TypePasswordlessEmailDeliveryInput> {
  return { sendEmail: async (input) => engine.outbox.send(loginEmailContent(engine.appInfo.appName, input)) };
}

/** The same for texts: they are listed next to the emails in the outbox. */
export function outboxLoginSmsDelivery(engine: Engine): SmsDeliveryInterface<TypePasswordlessSmsDeliveryInput> {
  return { sendSms: async (input) => engine.outbox.sendSms(passwordlessLoginSmsContent(engine.appInfo.appName, input)) };
}

/**
 * `portcullis/recipe/passwordless/emaildelivery`'s SMTPService: the SDK's constructor shape, with
 * the sign-in email (code and/or link) as default content.
 */
export class SMTPService extends GenericSMTPService<TypePasswordlessEmailDeliveryInput> {
  constructor(config: {
    smtpSettings: SMTPSettings;
    override?: (originalImplementation: SMTPServiceInterface<TypePasswordlessEmailDeliveryInput>) => SMTPServiceInterface<TypePasswordlessEmailDeliveryInput>;
    /** Used in the default subject and body. */
    appName?: string;
  }) {
    super({
      smtpSettings: config.smtpSettings,
      getContent: (input) => loginEmailContent(config.appName ?? config.smtpSettings.from.name, input),
      ...(config.override !== undefined ? { override: config.override } : {}),
    });
  }
}
