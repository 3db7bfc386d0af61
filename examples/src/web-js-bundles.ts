import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import express from "express";

/**
 * supertokens-web-js ships browser bundles whose names carry a content hash
 * (`session.1e8cb79cef1389b3f612.js`) that changes with every release. The page asks for stable
 * aliases instead (`/vendor/web-js/session.js`); the hashed names are looked up once, at startup,
 * so a missing or renamed bundle fails loudly when the app starts rather than in the browser.
 *
 * `website` holds webpack's runtime and the shared supertokens-website code that the others
 * depend on, so the page must load it first.
 */
export const BUNDLE_NAMES = ["website", "supertokens", "session", "emailpassword", "passwordless", "emailverification"] as const;

export function findWebJsBundles(): Record<(typeof BUNDLE_NAMES)[number], string> {
  const packageJson = createRequire(import.meta.url).resolve("supertokens-web-js/package.json");
  const bundleDir = join(dirname(packageJson), "bundle");
  const files = readdirSync(bundleDir);
  const entries = BUNDLE_NAMES.map((name) => {
    const pattern = new RegExp(`^${name}\\.[0-9a-f]+\\.js$`);
    const matches = files.filter((file) => pattern.test(file));
    if (matches.length !== 1) {
      throw new Error(`Expected exactly one ${name}.<hash>.js in ${bundleDir}, found ${matches.length}`);
    }
    return [name, join(bundleDir, matches[0]!)] as const;
  });
  return Object.fromEntries(entries) as Record<(typeof BUNDLE_NAMES)[number], string>;
}

/** Serves `/<name>.js` for each bundle; mount it under a prefix such as `/vendor/web-js`. */
export function webJsBundlesRouter(): express.Router {
  const bundles = findWebJsBundles();
  const router = express.Router();
  for (const [name, file] of Object.entries(bundles)) {
    // The alias outlives releases, so browsers must revalidate (ETag) instead of caching forever.
    router.get(`/${name}.js`, (_req, res) => {
      res.sendFile(file, { headers: { "Cache-Control": "no-cache" } });
    });
  }
  return router;
}
