// What the producer app's service worker covers, shared by the worker and the pages.

/** The installed app's scope: the producer area (manifest scope and worker scope alike). */
export const APP_SCOPE = "/producer";
export const PAGES_CACHE = "ocop-producer-pages";
export const DATA_CACHE = "ocop-producer-data";
export const WARM_MESSAGE = "WARM";
/** Logging out: the worker empties its page caches once any warming in flight is done. */
export const FORGET_MESSAGE = "FORGET";

export function isAppPath(pathname: string): boolean {
  return pathname === APP_SCOPE || pathname.startsWith(`${APP_SCOPE}/`) || pathname === `${APP_SCOPE}.data`;
}

/**
 * The cache key of a Remix data request: without `_routes` (which loaders a revalidation
 * asked for changes with the page it came from), so any earlier answer for the page serves offline.
 */
export function dataCacheKey(href: string): string {
  const url = new URL(href);
  url.searchParams.delete("_routes");
  url.searchParams.sort();
  return url.href;
}

/** The pages to fetch ahead while a batch page is open online: the batch page and each event form. */
export function warmUrls(batchId: string, kinds: readonly string[]): string[] {
  const base = `${APP_SCOPE}/batches/${encodeURIComponent(batchId)}`;
  return [base, ...kinds.map((k) => `${base}/events/new?kind=${k}`)];
}
