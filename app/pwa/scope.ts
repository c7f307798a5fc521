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

// ---- Offline answers (docs/decisions/019-offline-pages.md) ----

/** Where a request for a page outside the app's scope (the shop, the scan page) ends up offline. */
export const OFFLINE_PATH = `${APP_SCOPE}/offline`;
/**
 * Small facts the worker keeps between its restarts: the app's language only, a setting of the
 * phone like the `lang` cookie, so logging out keeps it (not an "ocop-producer-*" cache, which it empties).
 */
export const META_CACHE = "ocop-app-settings";
/** A page tells the worker the language it is shown in, so the offline page speaks the same one. */
export const LOCALE_MESSAGE = "LOCALE";
export const OFFLINE_LOCALES = ["vi", "en"] as const;
export type OfflineLocale = (typeof OFFLINE_LOCALES)[number];

/** The offline page the build writes for a language (public/pwa/, precached). */
export function offlinePageUrl(locale: string): string {
  return `/pwa/offline.${(OFFLINE_LOCALES as readonly string[]).includes(locale) ? locale : "vi"}.html`;
}

/** A same-origin path (with its query) to return to, or null: no scheme, no `//host`, no backslash tricks. */
export function safeReturnPath(to: string | null | undefined): string | null {
  if (typeof to !== "string" || to.length === 0 || to.length > 2000) return null;
  if (!to.startsWith("/") || to.startsWith("//") || to.includes("\\")) return null;
  // Control characters (a newline in a path) are never part of a page address of ours.
  if ([...to].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return null;
  return to;
}

/**
 * The page a Remix single-fetch data request (`/producer/orders.data?_routes=…`, `/_root.data`)
 * is for: `/producer/orders`, `/`; its own `_routes` parameter is dropped.
 */
export function pageOfData(href: string): string {
  const url = new URL(href);
  url.searchParams.delete("_routes");
  const pathname = url.pathname === "/_root.data" ? "/" : url.pathname.replace(/\.data$/, "");
  const search = url.searchParams.toString();
  return `${pathname}${search ? `?${search}` : ""}`;
}

/**
 * Where the browser goes, as a whole page, when a page's data cannot be had offline: the page
 * itself inside the app (the worker answers it from the phone or with the offline page at the same
 * address), or the offline page naming it for a page outside the app (no worker answers there).
 */
export function offlineDestination(page: string): string {
  const path = safeReturnPath(page) ?? APP_SCOPE;
  const pathname = new URL(path, "http://x").pathname;
  return isAppPath(pathname) && pathname !== OFFLINE_PATH ? path : `${OFFLINE_PATH}?to=${encodeURIComponent(path)}`;
}
