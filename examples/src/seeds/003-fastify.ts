// Seed 003, "Passwordless login via invite link", the guide's Fastify tab of /create-user with only
// the import prefix changed (supertokens-node → portcullis). The createCodePOST override is the
// shared inviteOnlyPasswordless() of 003-invite-only.ts. Not in the guide: marked where it occurs.
import type { FastifyInstance } from "fastify";
import { verifySession } from "portcullis/recipe/session/framework/fastify";
import UserRoles from "portcullis/recipe/userroles";
import Passwordless from "portcullis/recipe/passwordless";
import { sendInviteLink } from "./003-invite-only.js";

/**
 * Not in the guide: a function instead of the module-level `let fastify = Fastify()`, so a test or
 * the app registers the auth plugin (and its error handler) on the same instance first.
 */
export function addCreateUserRoute(fastify: FastifyInstance): void {
  // Not in the guide: the Body type argument, so `req.body.email` type-checks under strict TypeScript.
  fastify.post<{ Body: { email?: unknown } }>("/create-user", {
    preHandler: verifySession({
      overrideGlobalClaimValidators: async function (globalClaimValidators) {
        return [...globalClaimValidators,
        UserRoles.UserRoleClaim.validators.includes("admin")]
      }
    }),
  }, async (req, res) => {
    let email = req.body.email;
    // Not in the guide: a missing or non-string email is the caller's mistake (400), not a 500.
    if (typeof email !== "string") {
      return res.code(400).send({ message: "email must be a string" });
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
    // Filled in (not in the guide): see sendInviteLink in 003-invite-only.ts.
    await sendInviteLink(email, inviteLink);
    res.code(200).send("Success");
  });
}
