// Runs before `npm pack` / `npm publish`: the README lives at the repository root (one copy to
// maintain), and packing an unbuilt package would silently ship no code.
import { copyFileSync, existsSync } from "node:fs";

const here = (path) => new URL(`../${path}`, import.meta.url);

for (const build of ["dist/esm/entries/index.js", "dist/cjs/entries/index.js", "dist/cjs/package.json"]) {
  if (!existsSync(here(build))) throw new Error(`${build} is missing: run \`npm run build\` before packing`);
}
copyFileSync(here("../../README.md"), here("README.md"));
