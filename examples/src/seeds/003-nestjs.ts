// Seed 003, "Passwordless login via invite link": the guide's NestJS tab of /create-user, with only
// the import prefix changed (supertokens-node → portcullis). The invite-only createCodePOST
// override is shared with the other tabs (003-invite-only.ts); `Session` is Nest's own decorator,
// which reads `req.session` where AuthGuard put the session. Filled-in TODOs and the app around
// the controller are marked "Not in the guide".
import { Controller, Post, UseGuards, Session } from "@nestjs/common";
// Not in the guide: `import type`. SessionContainer is a type (as in the SDK), and a type in a
// decorated signature must be imported as one when emitDecoratorMetadata meets isolatedModules.
import type { SessionContainer } from "portcullis/recipe/session";
// Not in the guide: the ".js" suffix, which Node's ESM resolution (and TypeScript's NodeNext) requires.
import { AuthGuard } from './auth/auth.guard.js';
import UserRoles from "portcullis/recipe/userroles";
import Passwordless from "portcullis/recipe/passwordless";
// Not in the guide: what the filled-in TODOs and the app need.
import { Body, Module, Res, type INestApplication, type NestApplicationOptions } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import type { Response } from "express";
import { AuthModule, middleware } from "portcullis/nestjs";
import { sendInviteLink } from "./003-invite-only.js";

@Controller()
export class CreateUserController {
  @Post('create-user')
  @UseGuards(new AuthGuard({
    overrideGlobalClaimValidators: async function (globalClaimValidators: any) {
      return [...globalClaimValidators,
        UserRoles.UserRoleClaim.validators.includes("admin")]
    }
  })) // For more information about this guard please read our NestJS guide.
  // Not in the guide: the `body` and `res` parameters, for the TODOs below.
  async postAPI(@Session() session: SessionContainer, @Body() body: { email?: unknown }, @Res() res: Response): Promise<void> {
    // TODO: get from request body
    // Filled in (not in the guide), with a 400 for a missing or non-string email rather than a 500.
    let email = body.email;
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
    // Filled in (not in the guide): see sendInviteLink in 003-invite-only.ts.
    await sendInviteLink(email, inviteLink);

    // TODO: send 200 response to the client
    // Filled in (not in the guide), as the Express tab answers.
    res.status(200).send("Success");
  }
}

/** Not in the guide: the module around the controller, with AuthModule for session errors. */
@Module({ imports: [AuthModule.forRoot()], controllers: [CreateUserController] })
export class Seed003NestModule {}

/**
 * Not in the guide: the Nest app, with the auth routes served ahead of Nest's body parser
 * (`app.use(middleware())`). Call `listen` on it.
 */
export async function createSeed003NestApp(options?: NestApplicationOptions): Promise<INestApplication> {
  const app = await NestFactory.create(Seed003NestModule, options);
  app.use(middleware());
  return app;
}
