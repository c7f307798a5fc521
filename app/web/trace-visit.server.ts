import { isbot } from "isbot";
import type { TraceView } from "~/domain/trace/trace-page.server";
import { storeScan, type Scanner } from "~/domain/trace/scans.server";
import { clientIp } from "./client-address.server";

// A trace page opened by a person is a scan: who scanned is read off the request here and
// stored by domain/trace/scans.server.ts.

/** Link-preview fetchers (Zalo, Facebook), search engines and other robots are not people scanning. */
export function isAutomatedRequest(request: Request): boolean {
  if (request.method !== "GET") return true;
  const ua = request.headers.get("User-Agent");
  return !ua || isbot(ua);
}

function scannerOf(request: Request): Scanner {
  return { clientAddress: clientIp(request), userAgent: request.headers.get("User-Agent") };
}

/** One scan of `code` by whoever sent `request` (see storeScan). */
export function recordScan(code: { id: string; status: string }, request: Request, now = new Date()): Promise<string | null> {
  return storeScan(code, scannerOf(request), now);
}

/**
 * A person opened the page: count it (HEAD requests, link previews and crawlers are
 * not people) before the page is answered. The page shows the count as read, i.e. the
 * scans before this one.
 */
export async function recordVisit<V extends TraceView>(request: Request, view: V): Promise<{ scanId: string | null; view: V }> {
  const scanId = isAutomatedRequest(request) ? null : await recordScan(view, request);
  return { scanId, view };
}
