import type { EmailContent } from "../email-content.js";
import { escapeHtml } from "../html-escape.js";
import { describeMinutes, emailLayout, requireWebLink, singleLine } from "./template-text.js";

export interface PasswordlessLoginEmailInput {
  appName: string;
  toEmail: string;
  userInputCode?: string | undefined;
  urlWithLinkCode?: string | undefined;
  /** Milliseconds. */
  codeLifetime: number;
}

/** Default sign-in email: the code and/or the magic link, HTML with inline styles and a text part. */
export function passwordlessLoginEmailContent(input: PasswordlessLoginEmailInput): EmailContent {
  const appName = singleLine(input.appName);
  const validity = describeMinutes(Math.max(1, input.codeLifetime / 60_000));
  const link = input.urlWithLinkCode !== undefined ? requireWebLink(input.urlWithLinkCode, "urlWithLinkCode") : undefined;
  const code = input.userInputCode;
  const app = escapeHtml(appName);

  const htmlParts: string[] = [];
  const textParts: string[] = [`Sign in to ${appName}`, ""];
  if (code !== undefined) {
    htmlParts.push(
      `<p style="margin:0 0 16px;font-size:15px;line-height:22px;">Enter this code to sign in:</p>`,
      `<p style="margin:0 0 24px;font-size:28px;line-height:36px;font-weight:700;letter-spacing:6px;">${escapeHtml(code)}</p>`,
    );
    textParts.push(`Your sign-in code is ${code}`, "");
  }
  if (link !== undefined) {
    const href = escapeHtml(link);
    htmlParts.push(
      `<p style="margin:0 0 16px;font-size:15px;line-height:22px;">${code !== undefined ? "Or sign in" : "Sign in"} with the button below.</p>`,
      `<p style="margin:0 0 24px;"><a href="${href}" rel="noopener noreferrer" style="display:inline-block;background-color:#2563eb;color:#ffffff;text-decoration:none;font-size:15px;font-weight:600;padding:12px 24px;border-radius:6px;">Sign in to ${app}</a></p>`,
      `<p style="margin:0 0 24px;font-size:13px;line-height:20px;word-break:break-all;"><a href="${href}" rel="noopener noreferrer" style="color:#2563eb;">${href}</a></p>`,
    );
    textParts.push(`${code !== undefined ? "Or open" : "Open"} this link to sign in:`, "", link, "");
  }
  textParts.push(`It expires in ${validity}. If you did not ask to sign in, ignore this email.`);

  const html = emailLayout(
    `Sign in to ${app}`,
    `${htmlParts.join("\n")}
<p style="margin:0;font-size:13px;line-height:20px;color:#52606d;">It expires in ${validity}. If you did not ask to sign in, ignore this email.</p>`,
  );

  return { subject: `Sign in to ${appName}`, toEmail: input.toEmail, body: html, isHtml: true, textBody: textParts.join("\n") };
}
