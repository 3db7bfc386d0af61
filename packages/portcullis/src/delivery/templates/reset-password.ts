import type { EmailContent } from "../email-content.js";
import { escapeHtml } from "../html-escape.js";
import { describeMinutes, emailLayout, requireWebLink, singleLine } from "./template-text.js";

export interface ResetPasswordEmailInput {
  appName: string;
  toEmail: string;
  passwordResetLink: string;
  validForMinutes: number;
}

/** Default password-reset email: HTML with inline styles (mail clients drop <style>) and a text part. */
export function resetPasswordEmailContent(input: ResetPasswordEmailInput): EmailContent {
  const link = requireWebLink(input.passwordResetLink, "passwordResetLink");
  const appName = singleLine(input.appName);
  const validity = describeMinutes(input.validForMinutes);

  const app = escapeHtml(appName);
  const email = escapeHtml(input.toEmail);
  const href = escapeHtml(link);

  const html = emailLayout(
    `Reset your ${app} password`,
    `<p style="margin:0 0 16px;font-size:15px;line-height:22px;">We received a request to reset the password for the ${app} account <strong>${email}</strong>.</p>
<p style="margin:0 0 24px;font-size:15px;line-height:22px;">Choose a new password with the button below. The link expires in ${validity} and works once.</p>
<p style="margin:0 0 24px;"><a href="${href}" rel="noopener noreferrer" style="display:inline-block;background-color:#2563eb;color:#ffffff;text-decoration:none;font-size:15px;font-weight:600;padding:12px 24px;border-radius:6px;">Reset password</a></p>
<p style="margin:0 0 8px;font-size:13px;line-height:20px;color:#52606d;">If the button does not work, copy this link into your browser:</p>
<p style="margin:0 0 24px;font-size:13px;line-height:20px;word-break:break-all;"><a href="${href}" rel="noopener noreferrer" style="color:#2563eb;">${href}</a></p>
<p style="margin:0;font-size:13px;line-height:20px;color:#52606d;">If you did not ask for this, ignore this email: your password stays the same.</p>`,
  );

  const textBody = [
    `Reset your ${appName} password`,
    "",
    `We received a request to reset the password for the ${appName} account ${input.toEmail}.`,
    "",
    `Open this link to choose a new password. It expires in ${validity} and works once:`,
    "",
    link,
    "",
    "If you did not ask for this, ignore this email: your password stays the same.",
  ].join("\n");

  return { subject: `Reset your ${appName} password`, toEmail: input.toEmail, body: html, isHtml: true, textBody };
}
