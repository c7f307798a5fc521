// ESLint flat config. Choices and the few rules turned off are explained in docs/decisions (lint and format).
import js from "@eslint/js";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "public/build/**",
      "public/pwa/**",
      "public/sw.js",
      ".cache/**",
      "data/**",
      "test-results/**",
      "playwright-report/**",
      "app/styles/**",
      "node_modules/**",
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },

  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
  },

  // Plain JavaScript (server scripts, config, the worker) is outside tsconfig: syntax rules only.
  {
    files: ["**/*.{js,mjs,cjs}"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
  },

  // The shopper's log check runs unbuilt in old browsers, so the parser holds it to ES2019 scripts.
  {
    files: ["public/log-verify.js"],
    languageOptions: {
      ecmaVersion: 2019,
      sourceType: "script",
      globals: { ...globals.browser, module: "readonly" },
    },
  },

  // Components and routes run in the browser too.
  {
    files: ["app/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Hooks exist only where React renders: server modules and tests have functions named use… that are not hooks.
  {
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["**/*.server.{ts,tsx}", "**/*.test.{ts,tsx}"],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ["app/**/*.tsx"],
    ...jsxA11y.flatConfigs.recommended,
  },
  {
    files: ["**/*.{ts,tsx}"],
    rules: {
      // Remix answers a thrown Response (redirect, 404, 403) as that response: throwing one is the convention.
      "@typescript-eslint/only-throw-error": [
        "error",
        {
          allow: [
            { from: "lib", name: "Response" },
            { from: "package", package: "@remix-run/server-runtime", name: "TypedResponse" },
          ],
        },
      ],
      // `{} as Record<string, string>` in an action's reply sets the type useActionData sees; the rule misses that inference.
      "@typescript-eslint/no-unnecessary-type-assertion": ["error", { typesToIgnore: ["Record<string, string>"] }],
      // A failure caught as unknown is passed on as it came.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
    },
  },
  {
    rules: {
      // The only control-character regexes here are the checks that refuse control characters.
      "no-control-regex": "off",
      // `_name` marks a parameter or binding that is there for its position, not its value.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  // Tests read untyped JSON and compare with vitest's asymmetric matchers (expect.any, expect.stringMatching), which
  // vitest types as any: there the assertions check the values, so the no-unsafe-* family adds only noise.
  {
    files: ["**/*.test.{ts,tsx}", "test/**", "e2e/**"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
);
