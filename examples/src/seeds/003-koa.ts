// Seed 003, "Passwordless login via invite link": the guide's Koa tab of /create-user, with only the
// import prefix changed (supertokens-node → portcullis). The invite-only createCodePOST override is
// shared with the Express tab (003-invite-only.ts). Filled-in TODOs and demo plumbing are marked
// "Not in the guide".
import KoaRouter from "koa-router";
import { verifySession } from "portcullis/recipe/session/framework/koa";
import { SessionContext } from "portcullis/framework/koa";
import UserRoles from "portcullis/recipe/userroles";
import Passwordless from "portcullis/recipe/passwordless";
import Koa from "koa";
import { middleware } from "portcullis/framework/koa";
import { sendInviteLink } from "./003-invite-only.js";

// Not in the guide: exported (the guide's `let router`) so an app mounts it.
export let router = new KoaRouter();

router.post("/create-user", verifySession({
  overrideGlobalClaimValidators: async function (globalClaimValidators) {
    return [...globalClaimValidators,
      UserRoles.UserRoleClaim.validators.includes("admin")]
  }
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the guide's handler signature, kept as written
}), async (ctx: SessionContext, next) => {
  let email = (ctx.body as any).email;
  // Not in the guide: a missing or non-string email is the caller's mistake (400), not a 500.
  if (typeof email !== "string") {
    ctx.status = 400;
    ctx.body = { message: "email must be a string" };
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

  ctx.status = 200;
  ctx.body = "Success";
});

const MAX_JSON_BYTES = 64 * 1024;

/**
 * Not in the guide. The guide's handler reads the request's JSON from `ctx.body`, which in Koa is
 * the *response* body: no body parser puts the request there (koa-bodyparser uses
 * `ctx.request.body`). So that the route runs as written, this reads the JSON request body of a
 * request one of `routes`' routes will answer, and puts it on `ctx.body`; the route then overwrites
 * `ctx.body` with its answer. Other requests are left alone (a body would turn Koa's 404 into 200).
 * It runs after `middleware()`, which reads the auth routes' bodies itself.
 */
export function requestJsonAsCtxBody(routes: KoaRouter): Koa.Middleware {
  return async (ctx, next) => {
    if (routes.match(ctx.path, ctx.method).pathAndMethod.length > 0) ctx.body = await readJsonObject(ctx);
    await next();
  };
}

async function readJsonObject(ctx: Koa.Context): Promise<object> {
  if (ctx.is("application/json") === false || ctx.is("application/json") === null) return {};
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) ctx.throw(413, "Request body too large");
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks).toString("utf8");
  let parsed: unknown;
  try {
    parsed = raw === "" ? {} : JSON.parse(raw);
  } catch {
    ctx.throw(400, "Request body is not valid JSON");
  }
  return typeof parsed === "object" && parsed !== null ? parsed : {};
}

/** Not in the guide: the whole Koa app around the route, with the auth API first. */
export function createSeed003KoaApp(): Koa {
  const app = new Koa();
  app.use(middleware());
  app.use(requestJsonAsCtxBody(router));
  app.use(router.routes());
  return app;
}
