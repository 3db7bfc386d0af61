import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import express from "express";
import supertokens from "portcullis";
import EmailPassword from "portcullis/recipe/emailpassword";
import EmailVerification from "portcullis/recipe/emailverification";
import Passwordless from "portcullis/recipe/passwordless";
import Session from "portcullis/recipe/session";
import { errorHandler, middleware } from "portcullis/framework/express";

/** `passwordless` is contactMethod EMAIL with flow USER_INPUT_CODE_AND_MAGIC_LINK: each email has a code and a link. */
export type ReactUiRecipe = "emailpassword" | "passwordless";

export interface ReactUiAppOptions {
  /** The port the caller will listen on: UI and API both live at http://localhost:<port>. */
  port: number;
  /** A Portcullis database URL, e.g. `sqlite:/tmp/x.db`. */
  database: string;
  recipe: ReactUiRecipe;
  /** The browser bundle from bundleReactUi(). */
  bundle: string;
  /** Adds EmailVerification in this mode on both sides (auth-react then shows its verify-email screen). */
  emailVerification?: "REQUIRED" | "OPTIONAL" | undefined;
}

/** The API sits under /api/auth so that auth-react's pages can have /auth on the same origin. */
export const API_BASE_PATH = "/api/auth";

/**
 * Bundles main.tsx (React, auth-react, web-js) in memory. Nothing is written to disk, so no
 * build output is committed or left behind.
 */
export async function bundleReactUi(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./main.tsx", import.meta.url))],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2020",
    jsx: "automatic",
    // React picks its production build from this; auth-react reads nothing else from process.
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

/**
 * One Express app: the Portcullis API under /api/auth, the bundle, and the same HTML page for
 * every other GET (auth-react routes on the client). Uses the facade's default instance, so
 * call `resetDefaultInstance()` from "portcullis/engine" before building another.
 */
export function createReactUiApp(options: ReactUiAppOptions): express.Express {
  const origin = `http://localhost:${options.port}`;
  supertokens.init({
    appInfo: {
      appName: "Portcullis React UI",
      apiDomain: origin,
      websiteDomain: origin,
      apiBasePath: API_BASE_PATH,
      websiteBasePath: "/auth",
    },
    database: options.database,
    recipeList: [
      options.recipe === "passwordless"
        ? Passwordless.init({ contactMethod: "EMAIL", flowType: "USER_INPUT_CODE_AND_MAGIC_LINK" })
        : EmailPassword.init(),
      Session.init(),
      ...(options.emailVerification !== undefined ? [EmailVerification.init({ mode: options.emailVerification })] : []),
    ],
  });

  const app = express();
  app.disable("x-powered-by");
  app.use(express.json());
  app.use(middleware());
  app.get("/bundle.js", (_req, res) => {
    res.type("text/javascript").set("Cache-Control", "no-store").send(options.bundle);
  });
  app.use((req, res, next) => {
    if (req.method !== "GET" || req.path.startsWith("/api/")) {
      next();
      return;
    }
    res.type("html").set("Cache-Control", "no-store").send(indexHtml(options.recipe, options.emailVerification));
  });
  app.use(errorHandler());
  return app;
}

function indexHtml(recipe: ReactUiRecipe, emailVerification: ReactUiAppOptions["emailVerification"]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Portcullis · prebuilt React UI</title>
<link rel="icon" href="data:,">
</head>
<body>
<div id="root" data-recipe="${recipe}" data-contact-method="EMAIL"${emailVerification !== undefined ? ` data-email-verification="${emailVerification}"` : ""}></div>
<script type="module" src="/bundle.js"></script>
</body>
</html>
`;
}
