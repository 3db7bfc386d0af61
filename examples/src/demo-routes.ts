import express from "express";
import { getDefaultInstance } from "portcullis/engine";
import type { SessionRequest } from "portcullis/framework/express";
import { verifySession } from "portcullis/recipe/session/framework/express";
import UserRoles from "portcullis/recipe/userroles";
import { createResetPasswordLink } from "./seeds/000-create-reset-password-link.js";
import { localOnly } from "./local-only.js";
import { OUTBOX_CSP, renderOutboxPage } from "./outbox-page.js";

/** Enough for any demo session; messages expire after the outbox retention (24 h by default). */
const OUTBOX_LIMIT = 500;

/** The demo's own API: a protected route, the admin reset-link seed, making an admin, and the outbox viewers. */
export function demoRoutes(): express.Router {
  const router = express.Router();

  router.get("/sessioninfo", verifySession(), (req: SessionRequest, res: express.Response) => {
    const session = req.session!;
    res.json({
      userId: session.getUserId(),
      sessionHandle: session.getHandle(),
      accessTokenPayload: session.getAccessTokenPayload(),
    });
  });

  // Seed 000 hands out a working reset link for any user: admin-only by nature, so local-only here.
  router.post("/admin/reset-link", localOnly, async (req, res) => {
    const { userId, email } = (req.body ?? {}) as { userId?: unknown; email?: unknown };
    if (typeof userId !== "string" || typeof email !== "string") {
      res.status(400).json({ message: "Send JSON {\"userId\": string, \"email\": string}" });
      return;
    }
    const link = await createResetPasswordLink(userId, email);
    if (link === undefined) {
      res.status(404).json({ message: "No email-password user with this id and email" });
      return;
    }
    res.set("Cache-Control", "no-store").json({ link });
  });

  // Seed 003's /create-user wants an admin, and the demo has no other way to make one. Anyone who
  // can reach it becomes admin, hence local-only. The claim is refetched so that the caller's
  // access token carries the role at once, without signing in again.
  router.post("/demo/make-me-admin", localOnly, verifySession(), async (req: SessionRequest, res: express.Response) => {
    const session = req.session!;
    await UserRoles.createNewRoleOrAddPermissions("admin", []);
    await UserRoles.addRoleToUser(session.getTenantId(), session.getUserId(), "admin");
    await session.fetchAndSetClaim(UserRoles.UserRoleClaim);
    res.json({ status: "OK", roles: (await session.getClaimValue(UserRoles.UserRoleClaim)) ?? [] });
  });

  // The outbox holds live reset links: local-only, never cached.
  router.get("/outbox.json", localOnly, async (_req, res) => {
    const messages = await getDefaultInstance().engine.outbox.list(OUTBOX_LIMIT);
    res.set("Cache-Control", "no-store").json(messages);
  });

  router.get("/outbox", localOnly, async (_req, res) => {
    const messages = await getDefaultInstance().engine.outbox.list(OUTBOX_LIMIT);
    res
      .set({ "Cache-Control": "no-store", "Content-Security-Policy": OUTBOX_CSP, "Referrer-Policy": "no-referrer" })
      .type("html")
      .send(renderOutboxPage(messages));
  });

  return router;
}
