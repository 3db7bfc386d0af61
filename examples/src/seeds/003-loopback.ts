// Seed 003, "Passwordless login via invite link": the guide's Loopback tab of /create-user, with
// only the import prefix changed (supertokens-node → portcullis). The invite-only createCodePOST
// override is shared with the other tabs (003-invite-only.ts). Filled-in TODOs and demo plumbing
// are marked "Not in the guide".
import { inject, intercept } from "@loopback/core";
import { RestBindings, MiddlewareContext, post, response } from "@loopback/rest";
import { verifySession } from "portcullis/recipe/session/framework/loopback";
import UserRoles from "portcullis/recipe/userroles";
import Passwordless from "portcullis/recipe/passwordless";
// Not in the guide: the app around the controller, and the request body parameter.
import type { ApplicationConfig } from "@loopback/core";
import { requestBody, RestApplication, type RequestBodyObject } from "@loopback/rest";
import { middleware } from "portcullis/framework/loopback";
import { sendInviteLink } from "./003-invite-only.js";

/**
 * Not in the guide: how /create-user takes its body. LoopBack reads and checks a route's body
 * only for a method that declares it, so the handler gets an `@requestBody` parameter; a body
 * that is not JSON, or has no string `email`, gets LoopBack's own 400/422 before the handler runs.
 */
const INVITATION: RequestBodyObject = {
  required: true,
  content: {
    "application/json": {
      schema: { type: "object", required: ["email"], properties: { email: { type: "string" } } },
    },
  },
};

// Not in the guide: exported, so an app registers it.
export class LikeComment {
  constructor(@inject(RestBindings.Http.CONTEXT) private ctx: MiddlewareContext) { }

  @post("/create-user")
  @intercept(verifySession({
    overrideGlobalClaimValidators: async function (globalClaimValidators) {
      return [...globalClaimValidators,
        UserRoles.UserRoleClaim.validators.includes("admin")]
    }
  }))
  // Not in the guide: the 200 answer declared with the `response` decorator the guide imports.
  @response(200, { description: "Success", content: { "text/plain": { schema: { type: "string" } } } })
  async handler(@requestBody(INVITATION) invitation: { email: string }) {
    // TODO: get from request body
    // Filled in (not in the guide): from the `@requestBody` parameter above.
    let email = invitation.email

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

    // TODO: send 200 response to the client
    // Filled in (not in the guide): LoopBack sends a returned string as text/plain, status 200.
    return "Success";
  }
}

/** Not in the guide: the whole LoopBack app around the controller, with the auth API first. */
export function createSeed003LoopbackApp(config: ApplicationConfig = {}): RestApplication {
  const app = new RestApplication(config);
  app.middleware(middleware);
  app.controller(LikeComment);
  return app;
}
