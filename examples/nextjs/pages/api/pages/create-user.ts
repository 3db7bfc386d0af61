// Seed 003, "Passwordless login via invite link": the guide's Next.js (Pages Dir) tab of
// /create-user, with only the import prefix changed (supertokens-node → portcullis). It answers at
// /api/pages/create-user (the app router's tab has /api/create-user). Additions are marked
// "Not in the guide".
import { superTokensNextWrapper } from 'portcullis/nextjs'
import { verifySession } from "portcullis/recipe/session/framework/express";
import { SessionRequest } from "portcullis/framework/express";
import UserRoles from "portcullis/recipe/userroles";
import Passwordless from "portcullis/recipe/passwordless";
import supertokens from "portcullis";
import { backendConfig } from "@/app/config/backend";
import { sendInviteLink } from "@/lib/send-invite";

// Not in the guide: the tab assumes init ran elsewhere; a route can be the first one a Next worker
// loads, so it initialises too (a second init is a no-op).
supertokens.init(backendConfig());

export default async function createUser(req: SessionRequest, res: any) {
  await superTokensNextWrapper(
    async (next) => {
      await verifySession({
        overrideGlobalClaimValidators: async function (globalClaimValidators) {
          return [...globalClaimValidators,
            UserRoles.UserRoleClaim.validators.includes("admin")]
        }
      })(req, res, next);
    },
    req,
    res
  )

  let email = req.body.email;
  // Not in the guide: a missing or non-string email is the caller's mistake (400), not a 500.
  if (typeof email !== "string") {
    res.status(400).json({ message: "email must be a string" });
    return;
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

  res.status(200).json({ message: 'Success' })
}
