export { SMTPService } from "../recipes/emailverification/delivery.js";
export type { SMTPServiceInterface, SMTPSettings } from "../delivery/smtp-service.js";
export type { EmailDeliveryInterface, EmailDeliveryTypeInput } from "../delivery/email-delivery.js";
export type { EmailContent } from "../delivery/email-content.js";
