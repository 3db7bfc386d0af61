// Seed 003, "Passwordless login via invite link": the guide's Next.js (App Dir) tab of /create-user,
// with only the import prefix changed (supertokens-node → portcullis). The invite-only
// createCodePOST override is in the shared config (003-invite-only.ts). Additions are marked
// "Not in the guide".
import { NextResponse, NextRequest } from "next/server";
import SuperTokens from "portcullis";
import { withSession } from "portcullis/nextjs";
import UserRoles from "portcullis/recipe/userroles";
import Passwordless from "portcullis/recipe/passwordless";
import { backendConfig } from "@/app/config/backend";
import { sendInviteLink } from "@/lib/send-invite";

SuperTokens.init(backendConfig());

export function POST(request: NextRequest) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the guide's handler signature, kept as written
  return withSession(request, async (err, session) => {
    if (err) {
      return NextResponse.json(err, { status: 500 });
    }
    // Not in the guide: `.catch(() => ({}))`. A body that is not JSON is the caller's mistake,
    // answered 400 below, where the guide's bare `await request.json()` would throw (Next: 500).
    const body = await request.json().catch(() => ({}));
    let email = body.email;
    // Not in the guide: a missing or non-string email is the caller's mistake (400), not a 500.
    if (typeof email !== "string") {
      return NextResponse.json({ message: "email must be a string" }, { status: 400 });
    }

    // this will create the user in supertokens if they don't already exist.
    await Passwordless.signInUp({
      tenantId: "public",
      email
    })

    let inviteLink = await Passwordless.createMagicLink({
      tenantId: "public",
      email
    });

    // TODO: send inviteLink to user's email
    // Filled in (not in the guide): see lib/send-invite.ts.
    await sendInviteLink(email, inviteLink);

    return NextResponse.json({ message: 'Success' });
  },
  {
    overrideGlobalClaimValidators: async function (globalClaimValidators) {
      return [...globalClaimValidators, UserRoles.UserRoleClaim.validators.includes("admin")]
    }
  });
}
