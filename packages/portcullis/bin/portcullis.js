#!/usr/bin/env node
// A committed entry so npm can link the command before the TypeScript build has run.
import "../dist/esm/cli/main.js";
