import type { EmailContent } from "../email-content.js";
import { escapeHtml } from "../html-escape.js";
import { describeLifetime, emailLayout, requireWebLink, singleLine } from "./template-text.js";

export interface EmailVerificationEmailInput {
  appName: string;
  toEmail: string;
  emailVerifyLink: string;
  /** Milliseconds the link stays valid. */
  linkLifetime: number;
}

/** Default verification email: HTML with inline styles (mail clients drop <style>) and a text part. */
export function emailVerificationEmailContent(input: EmailVerificationEmailInput): EmailContent {
  const link = requireWebLink(input.emailVerifyLink, "emailVerifyLink");
  const appName = singleLine(input.appName);
  const validity = describeLifetime(input.linkLifetime);

  const app = escapeHtml(appName);
  const email = escapeHtml(input.toEmail);
  const href = escapeHtml(link);

  const html = emailLayout(
    `Verify your email for ${app}`,
    `<p style="margin:0 0 16px;font-size:15px;line-height:22px;">Confirm that <strong>${email}</strong> is your address with the button below.</p>
<p style="margin:0 0 24px;font-size:15px;line-height:22px;">The link expires in ${validity} and works once.</p>
<p style="margin:0 0 24px;"><a href="${href}" rel="noopener noreferrer" style="display:inline-block;background-color:#2563eb;color:#ffffff;text-decoration:none;font-size:15px;font-weight:600;padding:12px 24px;border-radius:6px;">Verify email</a></p>
<p style="margin:0 0 8px;font-size:13px;line-height:20px;color:#52606d;">If the button does not work, copy this link into your browser:</p>
<p style="margin:0 0 24px;font-size:13px;line-height:20px;word-break:break-all;"><a href="${href}" rel="noopener noreferrer" style="color:#2563eb;">${href}</a></p>
<p style="margin:0;font-size:13px;line-height:20px;color:#52606d;">If you did not create a ${app} account, ignore this email.</p>`,
  );

  const textBody = [
    `Verify your email for ${appName}`,
    "",
    `Confirm that ${input.toEmail} is your address by opening this link. It expires in ${validity} and works once:`,
    "",
    link,
    "",
    `If you did not create a ${appName} account, ignore this email.`,
  ].join("\n");

  return { subject: `Verify your email for ${appName}`, toEmail: input.toEmail, body: html, isHtml: true, textBody };
}
