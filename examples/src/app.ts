import express from "express";
import supertokens from "portcullis";
import EmailPassword from "portcullis/recipe/emailpassword";
import Session from "portcullis/recipe/session";
import UserRoles from "portcullis/recipe/userroles";
import { errorHandler, middleware } from "portcullis/framework/express";
import { changePasswordRouter } from "./seeds/002-change-password.js";
import { createUserRouter, inviteOnlyPasswordless } from "./seeds/003-invite-only.js";
import { demoRoutes } from "./demo-routes.js";
import { finalErrorHandler } from "./final-error-handler.js";
import { pagesRouter } from "./pages.js";
import { portcullisWebBundleRouter } from "./portcullis-web-bundle.js";
import { webJsBundlesRouter } from "./web-js-bundles.js";

export interface DemoAppOptions {
  /** A Portcullis database URL; undefined means DATABASE_URL, then `sqlite:./data/portcullis.db`. */
  database?: string;
  /** The port the caller will listen on: the pages and the API all live at http://localhost:<port>. */
  port: number;
  accessTokenValiditySeconds?: number;
}

/**
 * Builds the demo (one Express app serving the API, the two demo pages (`/` on portcullis-web,
 * `/webjs/` on supertokens-web-js) and the outbox). It uses the
 * SuperTokens-style facade, whose `init()` configures one default instance per process: a
 * second call in the same process keeps the first configuration (call
 * `resetDefaultInstance()` from "portcullis/engine" in between, as tests do).
 */
export function createDemoApp(options: DemoAppOptions): express.Express {
  const origin = `http://localhost:${options.port}`;
  supertokens.init({
    appInfo: {
      appName: "Portcullis demo",
      apiDomain: origin,
      websiteDomain: origin,
      apiBasePath: "/auth",
      websiteBasePath: "/auth",
    },
    database: options.database,
    core: options.accessTokenValiditySeconds === undefined ? {} : { accessTokenValidity: options.accessTokenValiditySeconds },
    // Passwordless is seed 003's invite-only init (contact method EMAIL, code and link); UserRoles
    // gives sessions the st-role claim that seed 003's /create-user checks for "admin".
    recipeList: [EmailPassword.init(), inviteOnlyPasswordless(), Session.init(), UserRoles.init()],
  });

  const app = express();
  app.disable("x-powered-by");
  app.use(express.json());
  // Express 5 leaves req.body undefined for a request without a body; the seed routes read
  // req.body.x as Express 4 allowed, so they get an empty object and answer 400, never 500.
  app.use((req, _res, next) => {
    req.body ??= {};
    next();
  });
  // The auth API (/auth/signin, /auth/session/refresh, ...); other requests pass through.
  app.use(middleware());
  app.use(changePasswordRouter);
  app.use(createUserRouter);
  app.use(demoRoutes());
  app.use("/vendor/web-js", webJsBundlesRouter());
  app.use("/vendor", portcullisWebBundleRouter());
  app.use(pagesRouter());
  // Turns session errors thrown by verifySession() into the 401/403 answers web-js expects.
  app.use(errorHandler());
  app.use(finalErrorHandler());
  return app;
}
