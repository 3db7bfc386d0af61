// Not in the guide: the seed's "TODO: send inviteLink to user's email", filled in once for every
// framework tab, through the passwordless recipe's own email delivery, so the link goes wherever
// the app's passwordless emails go (the development outbox here). The Next.js app has its own copy
// (examples/nextjs/lib/send-invite.ts): its build does not reach this folder.
import Passwordless from "portcullis/recipe/passwordless";

export async function sendInviteLink(email: string, inviteLink: string): Promise<void> {
  const preAuthSessionId = new URL(inviteLink).searchParams.get("preAuthSessionId") ?? "";
  const device = await Passwordless.listCodesByPreAuthSessionId({ tenantId: "public", preAuthSessionId });
  if (device === undefined || device.codes[0] === undefined) {
    throw new Error("Should never come here");
  }
  await Passwordless.sendEmail({
    type: "PASSWORDLESS_LOGIN",
    isFirstFactor: true,
    email,
    urlWithLinkCode: inviteLink,
    codeLifetime: device.codes[0].codeLifetime,
    preAuthSessionId,
    tenantId: "public",
  });
}
