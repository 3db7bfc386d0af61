import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "examples/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Argon2 hashing and headless Chromium are CPU-heavy on a 2-core box: keep files from starving each other.
    maxWorkers: 2,
  },
});
