// The layering rule, checked by `npm run check:layers` (part of `npm test`).
// Allowed directions: routes → web → domain → lib. Components and i18n are the UI's own
// layers; server/ and verifiers/ stand outside app/. Test files may reach across layers.
const TESTS = "\\.test\\.tsx?$|^app/.*/__fixtures__/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle: two modules that each need the other are one module in two files.",
      from: { path: "^(app|server|verifiers)/" },
      to: { circular: true },
    },
    {
      name: "domain-knows-no-http",
      severity: "error",
      comment: "app/domain holds the rules by noun, with no HTTP: no Remix, no web layer, no routes or components.",
      from: { path: "^app/domain/", pathNot: TESTS },
      to: { path: "^app/(web|routes|components|pwa)/|^app/(root|entry\\.server)\\.tsx$|(^|/)node_modules/@remix-run/" },
    },
    {
      name: "log-stands-alone",
      severity: "error",
      comment: "The public log is told about facts; it never reaches into the modules that log them (trace, inspection, catalog, orders).",
      from: { path: "^app/domain/log/", pathNot: TESTS },
      to: { path: "^app/domain/(trace|inspection|catalog|orders)/" },
    },
    {
      name: "lib-is-leaf",
      severity: "error",
      comment: "app/lib holds leaf utilities: it imports nothing from app/ outside app/lib.",
      from: { path: "^app/lib/", pathNot: TESTS },
      to: { path: "^app/", pathNot: "^app/lib/" },
    },
    {
      name: "web-not-to-routes",
      severity: "error",
      comment: "app/web serves routes; a route module is never a dependency of it.",
      from: { path: "^app/web/", pathNot: TESTS },
      to: { path: "^app/routes/" },
    },
    {
      name: "components-no-server-values",
      severity: "error",
      comment:
        "Components render: from server code (*.server, web, routes) they import types only; plain domain tables (banks, OCOP groups) are fine.",
      from: { path: "^app/(components|i18n|pwa)/", pathNot: TESTS },
      to: { path: "^app/(web|routes)/|\\.server\\.tsx?$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "server-uses-app-types-only",
      severity: "error",
      comment:
        "The Express server reaches the app through the Remix build; from app/ it imports types only, and the contract's one constant (a module that imports nothing but types).",
      from: { path: "^server/", pathNot: TESTS },
      to: { path: "^app/", pathNot: "^app/server-contract\\.ts$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "verifiers-stand-alone",
      severity: "error",
      comment: "The outside verifiers (tlog, log-verify, log-witness) check the log without any of the app's code.",
      from: { path: "^verifiers/" },
      to: { path: "^app/|^server/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^app/styles/|\\.css$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
    skipAnalysisNotInRules: true,
  },
};
