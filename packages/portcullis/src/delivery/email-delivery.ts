import { resolveDelivery } from "./resolve-delivery.js";

/** SuperTokens' email delivery contract: one call per email, rejecting when the email was not handed off. */
export interface EmailDeliveryInterface<T> {
  sendEmail(input: T & { tenantId: string; userContext: Record<string, unknown> }): Promise<void>;
}

/** The `emailDelivery` block of a recipe's config. */
export type EmailDeliveryTypeInput<T> = {
  service?: EmailDeliveryInterface<T>;
  override?: (originalImplementation: EmailDeliveryInterface<T>) => EmailDeliveryInterface<T>;
};

/** The configured service (or the recipe's fallback), with the app's override applied on top. */
export function resolveEmailDelivery<T>(
  input: EmailDeliveryTypeInput<T> | undefined,
  fallback: EmailDeliveryInterface<T>,
): EmailDeliveryInterface<T> {
  return resolveDelivery(input, fallback, "emailDelivery", "sendEmail");
}
