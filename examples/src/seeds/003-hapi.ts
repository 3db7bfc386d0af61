// Seed 003, "Passwordless login via invite link": the guide's Hapi tab of /create-user with only
// the import prefix changed (supertokens-node → portcullis). Filled-in TODOs and demo plumbing are
// marked "Not in the guide"; the createCodePOST override is inviteOnlyPasswordless() in 003-invite-only.ts.
import Hapi from "@hapi/hapi";
import { verifySession } from "portcullis/recipe/session/framework/hapi";
import { SessionRequest } from "portcullis/framework/hapi";
import UserRoles from "portcullis/recipe/userroles";
import Passwordless from "portcullis/recipe/passwordless";
import { sendInviteLink } from "./003-invite-only.js";

// Not in the guide: the route is added to a server the caller built (and registered the plugin on),
// instead of `let server = Hapi.server({ port: 8000 })`.
export function addCreateUserRoute(server: Hapi.Server): void {
  server.route({
    path: "/create-user",
    method: "post",
    options: {
      pre: [
        {
          method: verifySession({
            overrideGlobalClaimValidators: async function (globalClaimValidators) {
              return [...globalClaimValidators, UserRoles.UserRoleClaim.validators.includes("admin")];
            },
          }),
        },
      ],
    },
    handler: async (req: SessionRequest, res) => {
      // Not in the guide: without a body Hapi's payload is null, on which the guide's next line throws.
      if (req.payload === null) {
        return res.response({ message: "email must be a string" }).code(400);
      }
      let email = (req.payload.valueOf() as any).email;
      // Not in the guide: a missing or non-string email is the caller's mistake (400), not a 500.
      if (typeof email !== "string") {
        return res.response({ message: "email must be a string" }).code(400);
      }

      // this will create the user in supertokens if they don't already exist.
      await Passwordless.signInUp({
        tenantId: "public",
        email,
      });

      let inviteLink = await Passwordless.createMagicLink({
        tenantId: "public",
        email,
      });

      // TODO: send inviteLink to user's email
      // Filled in (not in the guide): see sendInviteLink in 003-invite-only.ts.
      await sendInviteLink(email, inviteLink);

      // Not in the guide: `return`. Hapi 21 answers 500 for a handler that returns nothing, which the
      // guide's `res.response("Success").code(200);` does.
      return res.response("Success").code(200);
    },
  });
}
