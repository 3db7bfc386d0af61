import tseslint from "typescript-eslint";

const SRC = "packages/portcullis/src";

/**
 * Imports a layer may not make: the folders above it (see the README's architecture). `except` is a
 * regex tail that exempts a path inside those folders (adapters may use a recipe's public types).
 */
function forbid(files, folders, message, except = "") {
  const guard = except === "" ? "" : `(?!${except})`;
  return {
    files: [`${SRC}/${files}/**/*.ts`],
    ignores: [`${SRC}/**/*.test.ts`],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: `^(\\.\\./)+(${folders.join("|")})/${guard}`, message }] }],
    },
  };
}

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/data/**", "examples/public/**", "bench/results/**", "**/.next/**", "**/next-env.d.ts"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
      eqeqeq: ["error", "always"],
    },
  },
  {
    files: ["**/*.test.ts", "**/test/**", "bench/**", "examples/**", `${SRC}/testing/**`],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-non-null-assertion": "off", "prefer-const": "off" },
  },
  // Layer boundaries: core → engine → recipes → bridges/adapters → facade. Nothing reaches upwards.
  forbid("core", ["engine", "recipes", "framework", "facade", "instance", "testing", "cli", "delivery"], "core is the bottom layer: it imports nothing above it"),
  forbid("http", ["engine", "recipes", "framework", "facade", "instance", "testing", "cli"], "http/ is the neutral request/response layer: it knows no engine, recipe or framework"),
  forbid("storage", ["engine", "recipes", "framework", "facade", "instance", "testing"], "storage implements ports; it knows no engine, recipe or framework"),
  forbid("limits", ["engine", "recipes", "framework", "facade", "instance", "testing", "cli"], "limits/ is recipe-neutral: it sees counters, the clock and BaseRequest, never the engine or a recipe"),
  forbid("engine", ["recipes", "framework", "facade", "instance", "testing", "cli"], "the engine imports no recipe and no framework: recipes contribute through RecipeModule"),
  forbid("recipes", ["framework", "facade", "instance", "testing", "cli"], "recipes see only BaseRequest/BaseResponse and the engine, never a framework or the facade"),
  forbid(
    "framework",
    ["facade", "instance", "testing", "cli", "recipes"],
    "adapters are thin bridges: no facade (the default instance comes from engine/default-instance), no recipe internals (only recipes/*/types)",
    "[a-z-]+/types\\.js$",
  ),
  forbid("facade", ["testing", "cli"], "the facade is public API; test kits and the CLI sit beside it"),
  // Instances share nothing: no mutable module-level state (the default instance lives on a globalThis slot),
  // and time comes only from the injected clock.
  {
    files: [`${SRC}/**/*.ts`],
    ignores: [`${SRC}/**/*.test.ts`, `${SRC}/testing/**`],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "Program > VariableDeclaration[kind='let'], Program > ExportNamedDeclaration > VariableDeclaration[kind='let']", message: "no module-level mutable state: keep it on the instance" },
        { selector: "Program > VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/^(Map|WeakMap)$/]", message: "no module-level caches: keep them on the instance" },
      ],
    },
  },
  {
    files: [`${SRC}/**/*.ts`],
    ignores: [`${SRC}/**/*.test.ts`, `${SRC}/testing/**`, `${SRC}/core/runtime.ts`],
    rules: { "no-restricted-properties": ["error", { object: "Date", property: "now", message: "read time from the injected clock (engine.clock, clockOf(userContext))" }] },
  },
);
