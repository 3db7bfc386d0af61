import type { EmailContent } from "../../delivery/email-content.js";
import type { EmailDeliveryInterface } from "../../delivery/email-delivery.js";
import { SMTPService as GenericSMTPService, type SMTPServiceInterface, type SMTPSettings } from "../../delivery/smtp-service.js";
import { resetPasswordEmailContent } from "../../delivery/templates/reset-password.js";
import type { Engine } from "../../engine/types.js";
import type { TypeEmailPasswordEmailDeliveryInput } from "./types.js";

export function passwordResetEmailContent(
  appName: string,
  lifetimeMs: number,
  input: TypeEmailPasswordEmailDeliveryInput,
): EmailContent {
  return resetPasswordEmailContent({
    appName,
    toEmail: input.user.email,
    passwordResetLink: input.passwordResetLink,
    validForMinutes: Math.max(1, Math.round(lifetimeMs / 60_000)),
  });
}

/** With nothing configured, reset emails land in the development outbox: never a silent drop. */
export function outboxEmailDelivery(engine: Engine): EmailDeliveryInterface<TypeEmailPasswordEmailDeliveryInput> {
  return {
    sendEmail: async (input) => {
      // The tenant's lifetime, as the token was made with it; a tenant deleted meanwhile falls back to the instance's.
      const settings = await engine.tenantSettings(input.tenantId, input.userContext).catch(() => undefined);
      const lifetime = settings?.core.passwordResetTokenLifetime ?? engine.settings.passwordResetTokenLifetime;
      return engine.outbox.send(passwordResetEmailContent(engine.appInfo.appName, lifetime, input));
    },
  };
}

/**
 * `portcullis/recipe/emailpassword/emaildelivery`'s SMTPService: the SDK's constructor shape, with
 * the password-reset email as default content.
 */
export class SMTPService extends GenericSMTPService<TypeEmailPasswordEmailDeliveryInput> {
  constructor(config: {
    smtpSettings: SMTPSettings;
    override?: (originalImplementation: SMTPServiceInterface<TypeEmailPasswordEmailDeliveryInput>) => SMTPServiceInterface<TypeEmailPasswordEmailDeliveryInput>;
    /** Used in the default subject and body. */
    appName?: string;
  }) {
    super({
      smtpSettings: config.smtpSettings,
      getContent: (input) => passwordResetEmailContent(config.appName ?? config.smtpSettings.from.name, 3_600_000, input),
      ...(config.override !== undefined ? { override: config.override } : {}),
    });
  }
}
