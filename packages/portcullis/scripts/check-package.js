// publint and attw over the packed package. attw cannot expand the "./*" export pattern by
// itself, so every public subpath (one file under dist/esm/entries each) is named explicitly.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const entriesDir = new URL("../dist/esm/entries/", import.meta.url);

const subpaths = readdirSync(entriesDir, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".js") && file !== "index.js")
  .map((file) => `./${file.replaceAll("\\", "/").slice(0, -".js".length)}`)
  .sort();

const run = (command, args) => execFileSync(command, args, { cwd: packageDir, stdio: "inherit" });
run("publint", ["--strict", "."]);
run("attw", ["--pack", ".", "--format", "table-flipped", "--include-entrypoints", ...subpaths]);
