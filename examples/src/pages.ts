import { fileURLToPath } from "node:url";
import express from "express";

export const PUBLIC_DIR = fileURLToPath(new URL("../public/", import.meta.url));

/**
 * The page only loads its own scripts (app.js and the web-js bundles); its CSS is inline.
 * web-js needs nothing beyond same-origin fetch, cookies and localStorage.
 */
const PAGE_CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * The single-page demo, served at `/`, at the reset link's target `{websiteBasePath}/reset-password`
 * and at the magic link's target `{websiteBasePath}/verify` (app.js decides what to show from the
 * path). Those URLs carry a token or a pre-auth session id, so their responses must not be cached or
 * leak the URL as a Referer (a magic link's code is in the fragment, which is never sent anyway).
 */
export function pagesRouter(): express.Router {
  const router = express.Router();
  const sendIndex = (extraHeaders: Record<string, string>) => (_req: express.Request, res: express.Response) => {
    res.sendFile("index.html", { root: PUBLIC_DIR, headers: { "Content-Security-Policy": PAGE_CSP, ...extraHeaders } });
  };

  router.get("/", sendIndex({ "Cache-Control": "no-cache" }));
  router.get("/auth/reset-password", sendIndex({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" }));
  router.get("/auth/verify", sendIndex({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" }));
  // Everything else in public/ (app.js); index.html only via the routes above, with their headers.
  router.use(express.static(PUBLIC_DIR, { index: false }));
  return router;
}
