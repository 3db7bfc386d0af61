// Seed 003, "Passwordless login via invite link": the guide's AWS Lambda / Netlify tab of
// /create-user with only the import prefix changed (supertokens-node → portcullis). The
// invite-only createCodePOST override is 003-invite-only.ts's. Additions are marked "Not in the guide".
import { verifySession } from "portcullis/recipe/session/framework/awsLambda";
import { SessionEventV2 } from "portcullis/framework/awsLambda";
import UserRoles from "portcullis/recipe/userroles";
import Passwordless from "portcullis/recipe/passwordless";
import { sendInviteLink } from "./003-invite-only.js";

// Not in the guide: this package is ESM, where CommonJS's `exports` does not exist. The guide's
// `exports.handler = ...` writes to this object instead; `handler` below is the module's export.
const exports: { handler?: ReturnType<typeof verifySession> } = {};

async function createUser(awsEvent: SessionEventV2) {
  let email = JSON.parse(awsEvent.body!).email;
  // Not in the guide: a missing or non-string email is the caller's mistake (400), not a 500.
  if (typeof email !== "string") {
    return { statusCode: 400, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ message: "email must be a string" }) };
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

  return {
    statusCode: "200",
    body: "Success",
  };
}

exports.handler = verifySession(createUser, {
  overrideGlobalClaimValidators: async function (globalClaimValidators) {
    return [...globalClaimValidators, UserRoles.UserRoleClaim.validators.includes("admin")];
  },
});

// Not in the guide: the module's export (see `exports` above).
export const handler = exports.handler;
