// The `backendConfig()` the guide's App Dir tab imports from "@/app/config/backend": one config for
// every route of the app (both routers, proxy.ts). Not in the guide; what it holds is the seed's
// recipes: email+password accounts (admins and members), invite-only passwordless, sessions, roles.
import type { TypeInput } from "portcullis/types";
import EmailPassword from "portcullis/recipe/emailpassword";
import Session from "portcullis/recipe/session";
import UserRoles from "portcullis/recipe/userroles";
import { inviteOnlyPasswordless } from "../../../src/seeds/003-invite-only";

/** Where the app is served from; the test sets it to its free port. */
const origin = process.env["PORTCULLIS_NEXT_ORIGIN"] ?? "http://localhost:3000";

export function backendConfig(): TypeInput {
  return {
    framework: "custom",
    appInfo: {
      appName: "Portcullis on Next.js",
      apiDomain: origin,
      websiteDomain: origin,
      apiBasePath: "/api/auth",
      websiteBasePath: "/auth",
    },
    // Every Next worker of one `next start` opens the same SQLite file (WAL mode, so they can).
    database: process.env["PORTCULLIS_DATABASE"] ?? "sqlite:portcullis-nextjs.db",
    recipeList: [EmailPassword.init(), inviteOnlyPasswordless(), Session.init(), UserRoles.init()],
    // `next start` runs with NODE_ENV=production, where emails need a real delivery (SMTPService).
    // This demo keeps them in the development outbox, where the test reads the invite links.
    developmentOutbox: { allowInProduction: true },
  };
}
