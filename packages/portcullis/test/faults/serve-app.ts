/**
 * A Portcullis app in a process of its own, for faults that could kill a process: plain
 * node:http on a random port, DATABASE_URL from the environment. It installs no
 * 'uncaughtException' handler, so an unhandled 'error' event ends it, as in production.
 * Prints `listening <port>` once it serves.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeHandler } from "../../src/framework/node/index.js";
import { createAuth } from "../../src/instance/create-auth.js";
import { initEmailPassword } from "../../src/recipes/emailpassword/emailpassword-recipe.js";
import { initPasswordless } from "../../src/recipes/passwordless/passwordless-recipe.js";
import { initSession } from "../../src/recipes/session/session-recipe.js";

const auth = createAuth({
  appInfo: { appName: "Portcullis faults", apiDomain: "http://localhost", websiteDomain: "http://localhost" },
  database: process.env["DATABASE_URL"],
  recipeList: [initEmailPassword(), initSession(), initPasswordless()],
  logger: { info: () => undefined, warn: (...args: unknown[]) => console.error(...args), error: (...args: unknown[]) => console.error(...args) },
  passwordHashing: { maxConcurrent: 2 },
});
const serve = createNodeHandler(auth);
const server = createServer((req, res) => {
  void serve(req, res).then((handled) => {
    if (!handled) {
      res.statusCode = 404;
      res.end();
    }
  });
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
