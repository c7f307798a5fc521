// One app instance: the production build behind Express, plus this instance's job
// worker. Stateless apart from caches: sessions, jobs, files, keys and scans are all in
// PostgreSQL (DATABASE_URL), so any number of these can run behind nginx
// (scripts/cluster.mjs). `npm run build` bundles this into build/server.js, which
// `npm start` runs after starting the embedded database.
import path from "node:path";
import express, { type Response as ExpressResponse } from "express";
import compression from "compression";
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { ServerServices } from "../app/server-contract";
import { projectRoot } from "../scripts/paths.mjs";
import { trustProxySetting } from "./trust-proxy";
import { listCache } from "./list-cache";
import { listenForPageChanges } from "./page-changes";
import { bufferResponse, fetchRequestOf, remixHandler, writePage } from "./fetch-request";
import { answerOptions } from "./preflight";
import { bodyLimits, refuseBadAddresses } from "./body-limits";
import { crossSiteGuard, securityHeaders } from "./browser-security";
import { directPages } from "./direct-pages";
import { asErrorHandler } from "./async-middleware";

const log = (msg: string) => console.log(`[ocop-trace${process.env.INSTANCE_ID ? ` ${process.env.INSTANCE_ID}` : ""}] ${msg}`);

/** What the app hands the server as one object (app/server-services.server.ts). */
function servicesOf(build: ServerBuild): ServerServices {
  const services = (build.entry.module as { serverServices?: ServerServices }).serverServices;
  if (!services) throw new Error("build/index.js has no serverServices: run `npm run build` again");
  return services;
}

const built = (await import(path.join(projectRoot, "build", "index.js"))) as ServerBuild;
const services = servicesOf(built);
if (!services.checkEnvironment()) process.exit(1); // app/lib/env.server.ts: names each bad setting
// Every loader and action answers 503 with a short page while PostgreSQL is out of reach (app/web/database-outage.server.ts).
// Every component-less route (the scan page, files) answers Remix's data requests with "load it as a document".
const build = services.prepareBuild(built);
// A database outage met by a promise nobody awaits (a library's background query) is logged
// like any outage, not the end of the process; any other unhandled rejection still is.
process.on("unhandledRejection", (reason) => {
  if (!services.isDatabaseOutage(reason)) throw reason;
  services.logOutage(reason);
});
const app = express();
app.disable("x-powered-by");
app.set("trust proxy", trustProxySetting(process.env.TRUST_PROXY));
app.use(compression());
// The app reads the client address from this header only; whatever a client sent under
// that name is overwritten here (app/web/client-address.server.ts clientIp).
app.use((req, res, next) => {
  if (process.env.INSTANCE_ID) res.setHeader("X-Served-By", process.env.INSTANCE_ID); // which instance answered, behind nginx
  req.headers["x-ocop-client-ip"] = (req.ip ?? req.socket.remoteAddress ?? "unknown").replace(/^::ffff:/, "");
  next();
});
// Security headers on every response and the cross-site write check, before anything answers.
const appUrl = process.env.APP_URL ?? "";
const security = securityHeaders({
  scriptHashes: services.inlineScriptHashes,
  appUrl,
  publicPrefixes: ["/media/"],
  fileDocumentPrefixes: ["/media/"],
});
app.use((req, res, next) => security.middleware(req, res, next));
app.use(crossSiteGuard({ appUrl, exempt: ["/webhooks/stripe"] }));
// An address no route can answer is 400 here; every body gets its route's limit before it is read.
app.use(refuseBadAddresses);
app.use(answerOptions);
app.use(bodyLimits(services.bodyRules(build.routes), services.countFields));
const loadContext = (res: ExpressResponse): AppLoadContext => ({ cspNonce: res.locals.cspNonce as string | undefined });
// The pages the app answers outside Remix (the scan page, docs/decisions/008): no look-up in
// public/ (a stat per request) and no Remix route matching.
app.use(directPages(services.directPages));
app.use("/build", express.static(path.join(projectRoot, "public", "build"), { immutable: true, maxAge: "1y" }));
// The producer app's service worker and manifest (scripts/build-pwa.mjs): revalidated on every
// check, so a deploy reaches phones at once instead of after public/'s hour of caching.
const revalidated = { maxAge: 0, setHeaders: (res: ExpressResponse) => res.setHeader("Cache-Control", "no-cache") };
app.get("/sw.js", express.static(path.join(projectRoot, "public"), { ...revalidated, index: false }));
app.get("/manifest.webmanifest", express.static(path.join(projectRoot, "public"), { ...revalidated, index: false }));
app.use(express.static(path.join(projectRoot, "public"), { maxAge: "1h" }));
const renderPage = createRequestHandler(build, process.env.NODE_ENV ?? "production");
const shopPages = listCache(renderPage, {
  ttlMs: Number(process.env.LIST_CACHE_MS ?? 3000),
  loadContext,
  refreshCsp: (req, res, nonce) => security.refreshCsp(req, res, nonce),
  viewerHeader: services.viewerHeader,
});
// A hold, a recall or a price change anywhere drops every kept shop page on this instance at once.
const pageChanges = listenForPageChanges(process.env.DATABASE_URL ?? "", shopPages, log);
app.use(shopPages);
app.all(
  "*",
  remixHandler(build, process.env.NODE_ENV ?? "production", (_req, res) => loadContext(res)),
);
// What the paths above pass on (the direct pages, the list cache): 503 with the short page for a
// database outage, a plain 500 otherwise; never Express's default page with a stack trace.
const answerFailure = asErrorHandler(async (error, req, res, next) => {
  if (res.headersSent) return next(error);
  if (services.isDatabaseOutage(error)) {
    services.logOutage(error);
    return writePage(res, await bufferResponse(await services.outageResponse(fetchRequestOf(req))));
  }
  console.error(error);
  res.status(500).type("text/plain; charset=utf-8").end("Có lỗi xảy ra. Vui lòng thử lại sau ít phút.");
});
app.use(answerFailure);

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, () => log(`serving on port ${port}`));
services.startLotVerifier();
// "Expect: 100-continue" (curl and other clients with a large body): the body limit answers
// first (server/body-limits.ts), so a body over it is refused before it is sent at all.
server.on("checkContinue", (req, res) => void app(req, res));
server.keepAliveTimeout = 65_000; // longer than nginx's upstream keepalive, so it never races a closing socket

const work =
  process.env.JOBS === "off" ? null : await services.startBackgroundWork({ concurrency: Number(process.env.JOB_CONCURRENCY ?? 2) });

let stopping = false;
async function shutdown(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: finishing requests, writing queued scans, releasing jobs`);
  setTimeout(() => process.exit(0), 8000).unref();
  server.close();
  server.closeIdleConnections?.();
  await services.flushScans().catch((e: unknown) => console.error(e));
  await work?.stop().catch((e: unknown) => console.error(e));
  await pageChanges.stop();
  process.exit(0);
}
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void shutdown(signal));
