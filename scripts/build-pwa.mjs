#!/usr/bin/env node
// Builds what makes the producer area an installable app (run by `npm run build` after
// `remix build`, which must have written public/build):
// 1. the home-screen icons, rendered from app/pwa/*.svg with resvg (192, 512, maskable 512);
// 2. the service worker: app/pwa/service-worker.ts bundled with esbuild, then Workbox's
//    injectManifest writes public/sw.js with the precache list of public/build. Every deploy
//    changes that list's revisions, so browsers see a new worker (server/index.ts serves
//    /sw.js with Cache-Control: no-cache) and the page offers to reload onto it;
// 3. the offline page (app/pwa/offline-page.tsx) as static HTML per language with the build's
//    stylesheet, and its script: public/pwa/offline.{vi,en}.html and offline.js, precached
//    (docs/decisions/019-offline-pages.md).
import fs from "node:fs";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { build } from "esbuild";
import { injectManifest } from "workbox-build";
import { projectRoot } from "./paths.mjs";

const publicDir = path.join(projectRoot, "public");
if (!fs.existsSync(path.join(publicDir, "build"))) throw new Error("public/build is missing: run `remix build` first");

const iconDir = path.join(publicDir, "pwa");
fs.mkdirSync(iconDir, { recursive: true });
for (const [src, size, out] of [
  ["icon.svg", 192, "icon-192.png"],
  ["icon.svg", 512, "icon-512.png"],
  ["icon-maskable.svg", 512, "icon-maskable-512.png"],
]) {
  const svg = fs.readFileSync(path.join(projectRoot, "app", "pwa", src));
  const png = new Resvg(svg, { fitTo: { mode: "width", value: size } }).render().asPng();
  fs.writeFileSync(path.join(iconDir, out), png);
}

const cacheDir = path.join(projectRoot, ".cache", "pwa");
fs.mkdirSync(cacheDir, { recursive: true });
const bundled = path.join(cacheDir, "sw.js");
await build({
  entryPoints: [path.join(projectRoot, "app", "pwa", "service-worker.ts")],
  outfile: bundled,
  bundle: true,
  format: "iife",
  target: "es2020",
  minify: true,
  // Workbox's modules log in development builds only.
  define: { "process.env.NODE_ENV": '"production"' },
  alias: { "~": path.join(projectRoot, "app") },
  logLevel: "warning",
});

// The offline page: rendered here with the app's messages and the stylesheet this build made.
const serverBuild = fs.readFileSync(path.join(projectRoot, "build", "index.js"), "utf8");
const stylesheets = [...new Set(serverBuild.match(/\/build\/_assets\/tailwind-[0-9A-Z]+\.css/g) ?? [])];
if (stylesheets.length !== 1) throw new Error(`build-pwa: expected one stylesheet in build/index.js, found ${stylesheets.length}`);
const offlineRenderer = path.join(cacheDir, "offline-page.mjs");
await build({
  entryPoints: [path.join(projectRoot, "app", "pwa", "offline-page.tsx")],
  outfile: offlineRenderer,
  bundle: true,
  format: "esm",
  platform: "node",
  packages: "external",
  jsx: "automatic",
  alias: { "~": path.join(projectRoot, "app") },
  logLevel: "warning",
});
const { offlinePageHtml } = await import(`${offlineRenderer}?${Date.now()}`);
/** A script a browser loads from public/pwa: one bundled, minified file (ES2020, what the cheap phones run). */
const browserScript = (entry, file, format = "iife") =>
  build({
    entryPoints: [path.join(projectRoot, "app", "pwa", entry)],
    outfile: path.join(iconDir, file),
    bundle: true,
    format,
    target: "es2020",
    minify: true,
    alias: { "~": path.join(projectRoot, "app") },
    logLevel: "warning",
  });
await browserScript("offline-page.client.ts", "offline.js");
// Recall alerts for shoppers: the small worker that shows pushed alerts, and the script the scan
// page imports when its "notify me" button is pressed (neither is in the producer app's precache).
await browserScript("recall-alerts-worker.ts", "recall-sw.js");
await browserScript("recall-push.client.ts", "recall-push.js", "esm");
for (const locale of ["vi", "en"]) {
  fs.writeFileSync(
    path.join(iconDir, `offline.${locale}.html`),
    offlinePageHtml(locale, { css: stylesheets[0], script: "/pwa/offline.js" }),
  );
}

const { count, size, warnings } = await injectManifest({
  swSrc: bundled,
  swDest: path.join(publicDir, "sw.js"),
  globDirectory: publicDir,
  // The app's JavaScript and CSS (hashed names: cached for good) and the home-screen icons.
  globPatterns: ["build/**/*.{js,css}", "pwa/*.png", "pwa/offline.*", "manifest.webmanifest", "favicon.svg"],
  dontCacheBustURLsMatching: /^build\//,
  maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
});
for (const w of warnings) console.warn(`build-pwa: ${w}`);
console.log(`build-pwa: icons in public/pwa, public/sw.js precaches ${count} files (${Math.round(size / 1024)} kB)`);
