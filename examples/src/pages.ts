import { fileURLToPath } from "node:url";
import express from "express";

export const PUBLIC_DIR = fileURLToPath(new URL("../public/", import.meta.url));

/**
 * The pages only load their own scripts (the page script and the client bundles); their CSS is
 * inline. Neither client needs more than same-origin fetch, cookies and localStorage.
 */
const PAGE_CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Two versions of the demo page: `/` on portcullis-web (index.html + demo.js) and `/webjs/` on
 * supertokens-web-js (webjs/index.html + webjs/app.js), which its browser tests drive.
 */
const PAGES = {
  "portcullis-web": "index.html",
  webjs: "webjs/index.html",
} as const;
type PageName = keyof typeof PAGES;

/**
 * The emailed links have one target each, `{websiteBasePath}/reset-password` and
 * `{websiteBasePath}/verify`, whichever page asked for them. A link opens the page this browser
 * loaded last (remembered in a cookie), so a flow started on `/webjs/` ends on the web-js page
 * and one started on `/` on the portcullis-web page; a browser that has loaded neither (an
 * invitation opened elsewhere) gets the main page.
 */
const PAGE_COOKIE = "demo-page";

/**
 * The link targets carry a token or a pre-auth session id, so their responses must not be cached
 * or leak the URL as a Referer (a magic link's code is in the fragment, which is never sent anyway).
 */
const LINK_HEADERS = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer", Vary: "Cookie" };

export function pagesRouter(): express.Router {
  const router = express.Router();
  const send = (res: express.Response, page: PageName, headers: Record<string, string>) => {
    res.sendFile(PAGES[page], { root: PUBLIC_DIR, headers: { "Content-Security-Policy": PAGE_CSP, ...headers } });
  };
  const sendPage = (page: PageName) => (_req: express.Request, res: express.Response) => {
    // Lax: the cookie must come along when a link in a mail client opens the page.
    res.cookie(PAGE_COOKIE, page, { path: "/", sameSite: "lax", httpOnly: true });
    send(res, page, { "Cache-Control": "no-cache" });
  };
  const sendLinkTarget = (req: express.Request, res: express.Response) => {
    send(res, lastPageOf(req), LINK_HEADERS);
  };

  router.get("/", sendPage("portcullis-web"));
  router.get("/webjs/", sendPage("webjs"));
  router.get("/auth/reset-password", sendLinkTarget);
  router.get("/auth/verify", sendLinkTarget);
  // Everything else in public/ (scripts); the pages only via the routes above, with their headers.
  router.use((req, res, next) => (req.path.endsWith(".html") ? res.status(404).end() : next()));
  router.use(express.static(PUBLIC_DIR, { index: false }));
  return router;
}

function lastPageOf(req: express.Request): PageName {
  const match = /(?:^|;\s*)demo-page=([^;]*)/.exec(req.headers.cookie ?? "");
  return match?.[1] === "webjs" ? "webjs" : "portcullis-web";
}
