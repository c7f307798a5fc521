import type { ServerServices } from "~/server-contract";
import { startBackgroundWork } from "~/domain/jobs/worker.server";
import { flushScans } from "~/domain/trace/scan-buffer.server";
import { startLotVerifier } from "~/domain/log/lot-verdict.server";
import { checkEnvironment } from "~/lib/env.server";
import { guardedAgainstOutage, isDatabaseOutage, logOutage, outageResponse, withOutageAnswers } from "~/web/database-outage.server";
import { INLINE_SCRIPT_HASHES } from "~/web/inline-scripts.server";
import { bodyRules, countFields } from "~/lib/body-limits";
import { withDocumentReloads } from "~/web/document-routes";
import { scanPage } from "~/web/scan-page.server";
import { viewerHeader } from "~/web/viewer-header.server";
import { gs1ResolverAnswer } from "~/web/gs1-resolver.server";

// Everything the production web server (server/) takes from the app besides Remix's own
// handler, handed over as one object of the build (entry.server.tsx re-exports it).

/** The scan page, answered like its route: a database outage thrown as the 503 page. */
const guardedScanPage = guardedAgainstOutage(({ request, code }: { request: Request; code: string }) => scanPage(request, code));
/** The GS1 resolver at the product level (/01/{gtin}): its page is a Remix page, so a linkset or
 * a linkType redirect is answered before Remix, and a page view (null) goes on to Remix. */
const guardedGs1Product = guardedAgainstOutage(({ request, gtin }: { request: Request; gtin: string }) =>
  gs1ResolverAnswer(request, gtin, null, null),
);
export const serverServices: ServerServices = {
  checkEnvironment: () => checkEnvironment(),
  prepareBuild: (build) => withDocumentReloads(withOutageAnswers(build)),
  bodyRules,
  countFields,
  inlineScriptHashes: INLINE_SCRIPT_HASHES,
  // `/t/{code}` is the URL hit at national scale (docs/decisions/008); `/t/{code}/report` and
  // the other pages under it go through Remix.
  directPages: [
    { path: /^\/t\/([^/]+)\/?$/, answer: (request, code) => guardedScanPage({ request, code }) },
    { path: /^\/01\/([^/]+)\/?$/, answer: (request, gtin) => guardedGs1Product({ request, gtin }) },
  ],
  isDatabaseOutage: (error) => isDatabaseOutage(error),
  logOutage,
  outageResponse,
  startBackgroundWork: (options) => startBackgroundWork(options),
  startLotVerifier,
  flushScans,
  viewerHeader: (request, here) => viewerHeader(request, here),
};
