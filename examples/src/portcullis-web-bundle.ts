import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import express from "express";

/**
 * portcullis-web ships ESM for bundlers, with no browser build of its own, so the demo bundles it
 * at start (in memory, from the built package, as examples/test/web-client-app.ts does) into one
 * ES module that exports `createClient`. esbuild is a devDependency: the demo runs under tsx,
 * itself dev tooling.
 */
export async function bundlePortcullisWeb(): Promise<string> {
  const result = await build({
    stdin: { contents: `export { createClient } from "portcullis-web";`, resolveDir: fileURLToPath(new URL(".", import.meta.url)) },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2020",
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

/**
 * Serves the bundle at `/portcullis-web.js`; mount it under a prefix such as `/vendor`. The build
 * starts at once, so a broken package fails in the log when the app starts, not at the first page load.
 */
export function portcullisWebBundleRouter(): express.Router {
  const bundle = bundlePortcullisWeb();
  bundle.catch((error: unknown) => console.error("Could not bundle portcullis-web for the demo page:", error));
  const router = express.Router();
  router.get("/portcullis-web.js", async (_req, res, next) => {
    try {
      // Rebuilt at every start, so browsers must revalidate (ETag) instead of caching forever.
      res.type("text/javascript").set("Cache-Control", "no-cache").send(await bundle);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
