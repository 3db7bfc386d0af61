// Seed 003, "Passwordless login via invite link": the guide's NodeJS code (the createCodePOST
// override and the Express tab of /create-user) with only the import prefix changed
// (supertokens-node → portcullis). Filled-in TODOs and demo plumbing are marked "Not in the guide".
import Passwordless from "portcullis/recipe/passwordless";
import type { ContactMethod } from "portcullis/recipe/passwordless";
import supertokens from "portcullis";
import express from "express";
import { verifySession } from "portcullis/recipe/session/framework/express";
import { SessionRequest } from "portcullis/framework/express";
import UserRoles from "portcullis/recipe/userroles";

/**
 * Step 1: only invited (existing) users may ask for a code or link. Not in the guide: the init call
 * is wrapped in a function for a recipeList; the demo passes nothing, so this is exactly the
 * guide's `Passwordless.init({ override })`, and a test passes contactMethod "EMAIL_OR_PHONE" to
 * reach the phone branch.
 */
export function inviteOnlyPasswordless(config: { contactMethod?: ContactMethod } = {}) {
  return Passwordless.init({
    ...config,
    override: {
      apis: (originalImplementation) => {
        return {
          ...originalImplementation,
          createCodePOST: async function (input) {
            if ("email" in input) {
              let existingUsers = await supertokens.listUsersByAccountInfo(input.tenantId, {
                email: input.email,
              });
              let existingPasswordlessUser = existingUsers.find(
                (user) => user.loginMethods.find((lM) => lM.hasSameEmailAs(input.email) && lM.recipeId === "passwordless") !== undefined,
              );
              if (existingPasswordlessUser === undefined) {
                // this is sign up attempt
                return {
                  status: "GENERAL_ERROR",
                  message: "Sign up disabled. Please contact the admin.",
                };
              }
            } else {
              let existingUsers = await supertokens.listUsersByAccountInfo(input.tenantId, {
                phoneNumber: input.phoneNumber,
              });
              let existingPasswordlessUser = existingUsers.find(
                (user) => user.loginMethods.find((lM) => lM.hasSamePhoneNumberAs(input.phoneNumber) && lM.recipeId === "passwordless") !== undefined,
              );
              if (existingPasswordlessUser === undefined) {
                // this is sign up attempt
                return {
                  status: "GENERAL_ERROR",
                  message: "Sign up disabled. Please contact the admin.",
                };
              }
            }
            return await originalImplementation.createCodePOST!(input);
          },
        };
      },
    },
  });
}

// Step 2, the Express tab. Not in the guide: a Router instead of `let app = express()`, so the demo
// mounts it.
export const createUserRouter = express.Router();

createUserRouter.post(
  "/create-user",
  verifySession({
    overrideGlobalClaimValidators: async function (globalClaimValidators) {
      return [...globalClaimValidators, UserRoles.UserRoleClaim.validators.includes("admin")];
    },
  }),
  async (req: SessionRequest, res: express.Response) => {
    let email = req.body.email;
    // Not in the guide: a missing or non-string email is the caller's mistake (400), not a 500.
    if (typeof email !== "string") {
      res.status(400).json({ message: "email must be a string" });
      return;
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
    // Filled in (not in the guide): see sendInviteLink below.
    await sendInviteLink(email, inviteLink);

    res.send("Success");
  },
);

/**
 * Not in the guide: the seed's "TODO: send inviteLink to user's email", filled in once for every
 * framework tab (they import it from here, as does the Next.js app), through the passwordless
 * recipe's own email delivery, so the link goes wherever the app's passwordless emails go (the
 * development outbox here).
 */
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
