/**
 * What an email service sends: SuperTokens' `getContent` result plus an optional plain-text part.
 * When `isHtml` is true, `body` is HTML and `textBody` (or text derived from the HTML) goes
 * alongside it, so clients that do not render HTML still show the link.
 */
export interface EmailContent {
  subject: string;
  toEmail: string;
  body: string;
  isHtml: boolean;
  textBody?: string;
}
