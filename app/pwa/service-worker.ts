// The producer app's service worker (built by scripts/build-pwa.mjs with Workbox's
// injectManifest, served as /sw.js with scope /producer). It makes a batch opened once
// usable with no signal: the app's build assets are precached, producer pages and their
// Remix data are cached network-first, and the event queue (app/pwa/queue.ts) is sent by
// Background Sync when the connection comes back. With no signal and no copy on the phone, a page
// gets the offline page and Remix's data and route requests get answers that lead there instead of
// its error page (app/pwa/offline-answer.ts, docs/decisions/019-offline-pages.md).
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from "workbox-precaching";
import { registerRoute } from "workbox-routing";
import { NetworkFirst } from "workbox-strategies";
import { CacheableResponsePlugin } from "workbox-cacheable-response";
import { ExpirationPlugin } from "workbox-expiration";
import { SYNC_TAG, sendQueue } from "./send";
import {
  PAGES_CACHE,
  DATA_CACHE,
  FORGET_MESSAGE,
  WARM_MESSAGE,
  LOCALE_MESSAGE,
  META_CACHE,
  OFFLINE_LOCALES,
  isAppPath,
  dataCacheKey,
  offlinePageUrl,
} from "./scope";
import { manifestAnswer, parseBuildManifest, reloadAnswer } from "./offline-answer";
import { listenForRecallAlerts, type PushWorkerScope } from "./recall-alerts-push";

type PrecacheEntry = { url: string; revision: string | null };
type ExtendableEvent = Event & { waitUntil(p: Promise<unknown>): void };
type SyncEvent = ExtendableEvent & { tag: string };
type MessageEvent_ = ExtendableEvent & { data: unknown; source: { postMessage(m: unknown): void } | null; ports: readonly MessagePort[] };
declare const self: {
  __WB_MANIFEST: PrecacheEntry[];
  skipWaiting(): Promise<void>;
  addEventListener(type: string, fn: (e: never) => void): void;
  location: Location;
};

// Workbox's injectManifest fills this in once (it must appear only once in the worker).
const PRECACHE = self.__WB_MANIFEST;
precacheAndRoute(PRECACHE);
// A new deploy's worker drops the old build's files once it takes over.
cleanupOutdatedCaches();
clientsClaim();

const onlyOk = new CacheableResponsePlugin({ statuses: [200] });
// A logged-out visit is a redirect to /login (opaque for a navigation): never cached, by onlyOk.
const pages = new NetworkFirst({
  cacheName: PAGES_CACHE,
  networkTimeoutSeconds: 10,
  matchOptions: { ignoreVary: true },
  plugins: [onlyOk, new ExpirationPlugin({ maxEntries: 300, maxAgeSeconds: 60 * 24 * 3600 })],
});
const data = new NetworkFirst({
  cacheName: DATA_CACHE,
  networkTimeoutSeconds: 10,
  matchOptions: { ignoreVary: true },
  plugins: [
    onlyOk,
    new ExpirationPlugin({ maxEntries: 300, maxAgeSeconds: 60 * 24 * 3600 }),
    { cacheKeyWillBeUsed: ({ request }) => Promise.resolve(dataCacheKey(request.url)) },
  ],
});

type Handled = { request: Request; event: unknown; url: URL };
const sameOrigin = (url: URL) => url.origin === self.location.origin;
const isData = (url: URL) => sameOrigin(url) && url.pathname.endsWith(".data");

// The app's pages: the network, else the copy on the phone, else the offline page at the same address.
registerRoute(
  ({ request, url }) => request.mode === "navigate" && sameOrigin(url) && isAppPath(url.pathname),
  ({ request, event }: Handled) => pages.handle({ request, event: event as never }).catch(() => offlinePage()),
);
// Remix's data requests (single fetch: /path.data?…). The app's: the network, else the phone's
// copy; with neither (and for the shop's pages, which are not kept) Remix is told to load the page
// as a whole document, which the route above answers.
registerRoute(
  ({ url }) => isData(url) && isAppPath(url.pathname),
  ({ request, event }: Handled) => data.handle({ request, event: event as never }).catch(() => reloadAnswer(request)),
);
registerRoute(
  ({ url }) => isData(url) && !isAppPath(url.pathname),
  ({ request }: Handled) => fetch(request).catch(() => reloadAnswer(request)),
);
// A form sent with no signal (the header's language switch, …): the page it was on, or the offline page.
registerRoute(
  ({ url }) => isData(url),
  ({ request }: Handled) => fetch(request).catch(() => reloadAnswer(request)),
  "POST",
);
// Remix's route discovery: offline, the routes of this build from the precached build manifest.
registerRoute(
  ({ url }) => sameOrigin(url) && url.pathname === "/__manifest",
  ({ request }: Handled) => fetch(request).catch(async () => manifestAnswer(request.url, await buildManifest())),
);

const manifestEntry = PRECACHE.find((e) => /^\/?build\/manifest-[0-9A-Za-z]+\.js$/.test(e.url));
async function buildManifest() {
  const response = manifestEntry ? await matchPrecache(manifestEntry.url) : undefined;
  return response ? parseBuildManifest(await response.text()) : null;
}

// The language the producer last saw the app in (a page tells the worker; cookies are not the worker's to read).
const LOCALE_KEY = "/__pwa/locale";
async function savedLocale(): Promise<string> {
  const saved = await (await caches.open(META_CACHE)).match(LOCALE_KEY);
  return saved ? await saved.text() : "vi";
}

async function offlinePage(): Promise<Response> {
  const page = await matchPrecache(offlinePageUrl(await savedLocale()));
  if (!page) return Response.error();
  // 503: the page asked for is not here; the body is the app's offline page.
  return new Response(page.body, { status: 503, statusText: "Offline", headers: page.headers });
}

// Pages being fetched ahead: a log-out waits for them, or they would refill the caches it empties.
let warming: Promise<unknown> = Promise.resolve();

self.addEventListener("message", (event: MessageEvent_) => {
  const msg = event.data as { type?: string; urls?: string[] } | null;
  if (msg?.type === "SKIP_WAITING") void self.skipWaiting();
  if (msg?.type === LOCALE_MESSAGE) {
    const locale = (msg as { locale?: unknown }).locale;
    if (typeof locale === "string" && (OFFLINE_LOCALES as readonly string[]).includes(locale)) {
      event.waitUntil(caches.open(META_CACHE).then((c) => c.put(LOCALE_KEY, new Response(locale))));
    }
  }
  if (msg?.type === FORGET_MESSAGE) {
    const empty = () => Promise.all([caches.delete(PAGES_CACHE), caches.delete(DATA_CACHE)]);
    // Twice: a page warmed while the first pass ran would put its forms back.
    const forgotten = warming
      .then(empty)
      .then(() => warming)
      .then(empty);
    event.waitUntil(forgotten.then(() => event.ports[0]?.postMessage({ type: `${FORGET_MESSAGE}:done` })));
  }
  // The batch page asks for its forms to be fetched now, while there is signal.
  if (msg?.type === WARM_MESSAGE && Array.isArray(msg.urls)) {
    const urls = msg.urls.filter((u) => typeof u === "string" && isAppPath(new URL(u, self.location.origin).pathname)).slice(0, 40);
    // handleAll: its second promise settles once the page is in the cache, not just fetched.
    const warmed = Promise.all(
      urls.map((u) =>
        pages
          .handleAll({ request: new Request(new URL(u, self.location.origin).href, { credentials: "same-origin" }), event: event })[1]
          .catch(() => null),
      ),
    );
    warming = Promise.all([warming, warmed]);
    event.waitUntil(warmed.then(() => event.source?.postMessage({ type: `${WARM_MESSAGE}:done`, count: urls.length })));
  }
});

self.addEventListener("sync", (event: SyncEvent) => {
  if (event.tag === SYNC_TAG) event.waitUntil(sendQueue());
});

// Recall alerts pushed to this phone (a producer may subscribe to a lot too).
listenForRecallAlerts(self as unknown as PushWorkerScope);
