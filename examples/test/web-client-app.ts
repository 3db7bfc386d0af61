/**
 * The server the portcullis-web tests run against: a real Portcullis (email+password, passwordless
 * by email or phone with code and link, sessions) in Express, a protected route, a page that loads
 * the client bundle, and counters of the auth requests (to see how many refreshes happened).
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import express from "express";
import supertokens from "portcullis";
import { getDefaultInstance } from "portcullis/engine";
import EmailPassword from "portcullis/recipe/emailpassword";
import Passwordless from "portcullis/recipe/passwordless";
import Session from "portcullis/recipe/session";
import { errorHandler, middleware, type SessionRequest } from "portcullis/framework/express";
import { verifySession } from "portcullis/recipe/session/framework/express";

export interface WebClientAppOptions {
  port: number;
  database: string;
  accessTokenValiditySeconds: number;
  /** VIA_TOKEN makes the client store the anti-csrf header and send it back. */
  antiCsrf?: "VIA_TOKEN" | "NONE";
  /** Holds each refresh this long, so that requests of several tabs all meet an expired token first. */
  refreshDelayMs?: number;
  /** EmailPassword.init's config (e.g. seed 001's resetPasswordRedirect). */
  emailPassword?: Record<string, unknown>;
  /** More recipe inits after Session (email verification, phone + password). */
  extraRecipes?: unknown[];
}

export interface WebClientApp {
  app: express.Express;
  /** Answers per "METHOD path status", e.g. "POST /auth/session/refresh 200". */
  answers: Map<string, number>;
  count(method: string, path: string, status?: number): number;
}

/**
 * Bundles the client for the browser the way examples/react-ui/server.ts bundles auth-react: in
 * memory, from the built package, exposed as globalThis.PortcullisWeb.
 */
export async function bundleWebClient(): Promise<string> {
  const result = await build({
    stdin: { contents: `import { createClient } from "portcullis-web"; globalThis.PortcullisWeb = { createClient };`, resolveDir: fileURLToPath(new URL(".", import.meta.url)) },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2020",
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

/** Uses the facade's default instance: call resetDefaultInstance() before building another. */
export function createWebClientApp(options: WebClientAppOptions, bundle = ""): WebClientApp {
  const origin = `http://localhost:${options.port}`;
  supertokens.init({
    appInfo: { appName: "portcullis-web tests", apiDomain: origin, websiteDomain: origin, apiBasePath: "/auth", websiteBasePath: "/auth" },
    database: options.database,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    core: { accessTokenValidity: options.accessTokenValiditySeconds },
    recipeList: [
      EmailPassword.init(options.emailPassword as Parameters<typeof EmailPassword.init>[0]),
      Passwordless.init({ contactMethod: "EMAIL_OR_PHONE", flowType: "USER_INPUT_CODE_AND_MAGIC_LINK" }),
      Session.init({ antiCsrf: options.antiCsrf ?? "NONE" }),
      ...((options.extraRecipes ?? []) as ReturnType<typeof Session.init>[]),
    ],
  });

  const answers = new Map<string, number>();
  const app = express();
  app.disable("x-powered-by");
  app.use((req, res, next) => {
    res.on("finish", () => {
      const key = `${req.method} ${req.path} ${res.statusCode}`;
      answers.set(key, (answers.get(key) ?? 0) + 1);
    });
    if (req.path === "/auth/session/refresh" && options.refreshDelayMs !== undefined) setTimeout(next, options.refreshDelayMs);
    else next();
  });
  app.use(express.json());
  app.use(middleware());
  app.get("/me", verifySession(), (req: SessionRequest, res) => {
    res.json({ userId: req.session!.getUserId() });
  });
  app.get("/web-client.js", (_req, res) => {
    res.type("text/javascript").set("Cache-Control", "no-store").send(bundle);
  });
  // Every other page (/, /auth-redirect, /auth/verify-email...) is the same page: the tests read its URL.
  app.get(/.*/, (_req, res) => {
    res.type("html").set("Cache-Control", "no-store").send(PAGE);
  });
  app.use(errorHandler());

  const count = (method: string, path: string, status?: number) => {
    let total = 0;
    for (const [key, value] of answers) {
      const [m, p, s] = key.split(" ");
      if (m === method && p === path && (status === undefined || Number(s) === status)) total += value;
    }
    return total;
  };
  return { app, answers, count };
}

/** The newest development-outbox message to `recipient` (delivery is asynchronous, so poll). */
export async function latestMessageTo(recipient: string, newerThan = 0): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const messages = (await getDefaultInstance().engine.outbox.list(200)).filter((m) => m.recipient === recipient);
    if (messages.length > newerThan) return messages[0]!.textBody;
    if (Date.now() > deadline) throw new Error(`no message ${newerThan + 1} to ${recipient}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The page creates a cookie-mode client as `portcullis` and counts onSessionExpired calls in `expiredCalls`. */
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>portcullis-web</title><link rel="icon" href="data:,"></head>
<body>
<script type="module">
import "/web-client.js";
window.expiredCalls = 0;
window.portcullis = globalThis.PortcullisWeb.createClient({
  apiDomain: location.origin,
  apiBasePath: "/auth",
  tokenTransfer: "cookie",
  onSessionExpired: () => { window.expiredCalls++; },
});
window.clientReady = true;
</script>
</body></html>
`;
