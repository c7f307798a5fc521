#!/usr/bin/env node
// One app instance: the production build behind Express, plus this instance's job
// worker. Stateless apart from caches: sessions, jobs, files, keys and scans are all in
// PostgreSQL (DATABASE_URL), so any number of these can run behind nginx
// (scripts/cluster.mjs). `npm start` runs it after starting the embedded database.
import path from "node:path";
import express from "express";
import compression from "compression";
import { projectRoot } from "./paths.mjs";
import { trustProxySetting } from "./trust-proxy.mjs";
import { listCache } from "./list-cache.mjs";
import { bufferResponse, fetchRequestOf, remixHandler, writePage } from "./fetch-request.mjs";
import { bodyLimits, refuseBadAddresses } from "./body-limits.mjs";
import { crossSiteGuard, securityHeaders } from "./browser-security.mjs";

const log = (msg) => console.log(`[ocop-trace${process.env.INSTANCE_ID ? ` ${process.env.INSTANCE_ID}` : ""}] ${msg}`);

const built = await import(path.join(projectRoot, "build", "index.js"));
if (!built.entry.module.checkEnvironment()) process.exit(1); // app/lib/env.server.ts: names each bad setting
// Every loader and action answers 503 with a short page while PostgreSQL is out of reach (lib/database-outage.server.ts).
// Every component-less route (the scan page, files) answers Remix's data requests with "load it as a document".
const build = built.entry.module.withDocumentReloads(built.entry.module.withOutageAnswers(built));
// A database outage met by a promise nobody awaits (a library's background query) is logged
// like any outage, not the end of the process; any other unhandled rejection still is (issue 20).
process.on("unhandledRejection", (reason) => {
  if (!built.entry.module.isDatabaseOutage(reason)) throw reason;
  built.entry.module.logOutage(reason);
});
const app = express();
app.disable("x-powered-by");
app.set("trust proxy", trustProxySetting(process.env.TRUST_PROXY));
app.use(compression());
// The app reads the client address from this header only; whatever a client sent under
// that name is overwritten here (users.server.ts clientIp).
app.use((req, res, next) => {
  if (process.env.INSTANCE_ID) res.setHeader("X-Served-By", process.env.INSTANCE_ID); // which instance answered, behind nginx
  req.headers["x-ocop-client-ip"] = (req.ip ?? req.socket.remoteAddress ?? "unknown").replace(/^::ffff:/, "");
  next();
});
// Security headers on every response and the cross-site write check, before anything answers.
const appUrl = process.env.APP_URL ?? "";
const security = securityHeaders({ scriptHashes: build.entry.module.INLINE_SCRIPT_HASHES ?? [], appUrl, publicPrefixes: ["/media/"] });
app.use(security.middleware);
app.use(crossSiteGuard({ appUrl, exempt: ["/webhooks/stripe"] }));
// An address no route can answer is 400 here; every body gets its route's limit before it is read.
app.use(refuseBadAddresses);
app.use(bodyLimits(build.entry.module.bodyRules(build.routes), build.entry.module.countFields));
const loadContext = (res) => ({ cspNonce: res.locals.cspNonce });
// The scan page (/t/{code}) is the URL hit at national scale, and its route answers a
// whole HTML document itself (docs/decisions/008). So it goes straight to that route's
// loader: no look-up in public/ (a stat per request) and no Remix route matching (which
// flattens and ranks every route of the app on each request). Same loader, same answer;
// every other URL, /t/{code}/report and /t/{code}/location included, goes through Remix.
const scanRoute = build.routes["routes/t.$code._index"];
if (scanRoute?.path === "t/:code" && typeof scanRoute.module.loader === "function") {
  const loader = scanRoute.module.loader;
  app.use(async (req, res, next) => {
    // `/t/{code}.data` is Remix's data request after an in-app link: Remix answers it (app/lib/document-routes.ts).
    const plain = (req.method === "GET" || req.method === "HEAD") && !req.path.endsWith(".data");
    const match = plain ? /^\/t\/([^/]+)\/?$/.exec(req.path) : null;
    let code;
    try {
      code = match ? decodeURIComponent(match[1]) : null;
    } catch {
      code = null; // not a code: Remix answers it, as it answers everything else
    }
    if (code === null) return next();
    try {
      const response = await loader({ request: fetchRequestOf(req), params: { code }, context: loadContext(res) }).catch((thrown) => {
        if (thrown instanceof Response) return thrown; // a loader may throw a Response (redirect, 404), as Remix allows
        throw thrown;
      });
      writePage(res, await bufferResponse(response));
    } catch (error) {
      next(error);
    }
  });
}
app.use("/build", express.static(path.join(projectRoot, "public", "build"), { immutable: true, maxAge: "1y" }));
// The producer app's service worker and manifest (scripts/build-pwa.mjs): revalidated on every
// check, so a deploy reaches phones at once instead of after public/'s hour of caching.
const revalidated = { maxAge: 0, setHeaders: (res) => res.setHeader("Cache-Control", "no-cache") };
app.get("/sw.js", express.static(path.join(projectRoot, "public"), { ...revalidated, index: false }));
app.get("/manifest.webmanifest", express.static(path.join(projectRoot, "public"), { ...revalidated, index: false }));
app.use(express.static(path.join(projectRoot, "public"), { maxAge: "1h" }));
app.use(listCache(build, process.env.NODE_ENV ?? "production", { loadContext, refreshCsp: security.refreshCsp }));
app.all("*", remixHandler(build, process.env.NODE_ENV ?? "production", (_req, res) => loadContext(res)));
// What the paths above pass on (the scan fast path, the list cache): 503 with the short page for a
// database outage, a plain 500 otherwise; never Express's default page with a stack trace.
app.use(async (error, req, res, next) => {
  if (res.headersSent) return next(error);
  const { isDatabaseOutage, logOutage, outageResponse } = build.entry.module;
  if (isDatabaseOutage(error)) {
    logOutage(error);
    return writePage(res, await bufferResponse(await outageResponse(fetchRequestOf(req))));
  }
  console.error(error);
  res.status(500).type("text/plain; charset=utf-8").end("Có lỗi xảy ra. Vui lòng thử lại sau ít phút.");
});

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, () => log(`serving on port ${port}`));
// "Expect: 100-continue" (curl and other clients with a large body): the body limit answers
// first (scripts/body-limits.mjs), so a body over it is refused before it is sent at all.
server.on("checkContinue", (req, res) => app(req, res));
server.keepAliveTimeout = 65_000; // longer than nginx's upstream keepalive, so it never races a closing socket

const work = process.env.JOBS === "off" ? null : await build.entry.module.startBackgroundWork({ concurrency: Number(process.env.JOB_CONCURRENCY ?? 2) });

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: finishing requests, writing queued scans, releasing jobs`);
  setTimeout(() => process.exit(0), 8000).unref();
  server.close();
  server.closeIdleConnections?.();
  await build.entry.module.flushScans().catch((e) => console.error(e));
  await work?.stop().catch((e) => console.error(e));
  process.exit(0);
}
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => void shutdown(signal));
