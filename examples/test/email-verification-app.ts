// A small app for the web-js email-verification browser test: Portcullis (EmailPassword, Session,
// EmailVerification in REQUIRED mode) under /auth, a protected route, and one page that loads the
// official supertokens-web-js bundles. The demo app stays as it is.
import express from "express";
import { createAuth, type Auth } from "portcullis/engine";
import EmailPassword from "portcullis/recipe/emailpassword";
import EmailVerification from "portcullis/recipe/emailverification";
import Session from "portcullis/recipe/session";
import { errorHandler, middleware, verifySession, type SessionRequest } from "portcullis/framework/express";
import { webJsBundlesRouter } from "../src/web-js-bundles.js";

/** Where the emailed links point: the page below, served for every GET outside /auth, /api and /vendor. */
export const WEBSITE_BASE_PATH = "/app";

export function createEmailVerificationApp(options: { port: number; database: string }): { app: express.Express; auth: Auth } {
  const origin = `http://localhost:${options.port}`;
  const auth = createAuth({
    appInfo: { appName: "Portcullis email verification", apiDomain: origin, websiteDomain: origin, apiBasePath: "/auth", websiteBasePath: WEBSITE_BASE_PATH },
    database: options.database,
    recipeList: [EmailPassword.init(), Session.init(), EmailVerification.init({ mode: "REQUIRED" })],
  });

  const app = express();
  app.disable("x-powered-by");
  app.use(express.json());
  app.use(middleware(auth));
  app.use("/vendor/web-js", webJsBundlesRouter());
  // Default validators: in REQUIRED mode an unverified session gets 403 here.
  app.get("/api/protected", verifySession(undefined, auth), (req: SessionRequest, res) => {
    res.json({ userId: req.session?.getUserId(), handle: req.session?.getHandle() });
  });
  app.get(/^(?!\/(auth|api|vendor)\/).*/, (_req, res) => {
    res.type("html").set("Cache-Control", "no-store").send(PAGE);
  });
  app.use(errorHandler(auth));
  return { app, auth };
}

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Email verification</title><link rel="icon" href="data:,"></head>
<body>
<p>supertokens-web-js email verification test page</p>
<script src="/vendor/web-js/website.js"></script>
<script src="/vendor/web-js/supertokens.js"></script>
<script src="/vendor/web-js/session.js"></script>
<script src="/vendor/web-js/emailpassword.js"></script>
<script src="/vendor/web-js/emailverification.js"></script>
<script>
supertokens.init({
  appInfo: { appName: "Portcullis email verification", apiDomain: location.origin, apiBasePath: "/auth" },
  recipeList: [supertokensSession.init(), supertokensEmailPassword.init(), supertokensEmailVerification.init()],
});
</script>
</body>
</html>
`;
