#!/usr/bin/env node
/** Executable entry of the `portcullis` bin (dist/esm/cli/main.js). */
import { runCli } from "./run.js";

const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  cwd: process.cwd(),
});
// exitCode rather than exit(): lets buffered output flush before the process ends.
process.exitCode = code;
