// The producer app's service worker (built by scripts/build-pwa.mjs with Workbox's
// injectManifest, served as /sw.js with scope /producer). It makes a batch opened once
// usable with no signal: the app's build assets are precached, producer pages and their
// Remix data are cached network-first, and the event queue (app/pwa/queue.ts) is sent by
// Background Sync when the connection comes back.
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, precacheAndRoute } from "workbox-precaching";
import { registerRoute } from "workbox-routing";
import { NetworkFirst } from "workbox-strategies";
import { CacheableResponsePlugin } from "workbox-cacheable-response";
import { ExpirationPlugin } from "workbox-expiration";
import { SYNC_TAG, sendQueue } from "./send";
import { PAGES_CACHE, DATA_CACHE, FORGET_MESSAGE, WARM_MESSAGE, isAppPath, dataCacheKey } from "./scope";

type PrecacheEntry = { url: string; revision: string | null };
type ExtendableEvent = Event & { waitUntil(p: Promise<unknown>): void };
type SyncEvent = ExtendableEvent & { tag: string };
type MessageEvent_ = ExtendableEvent & { data: unknown; source: { postMessage(m: unknown): void } | null; ports: readonly MessagePort[] };
declare const self: { __WB_MANIFEST: PrecacheEntry[]; skipWaiting(): Promise<void>; addEventListener(type: string, fn: (e: never) => void): void; location: Location };

precacheAndRoute(self.__WB_MANIFEST);
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
  plugins: [onlyOk, new ExpirationPlugin({ maxEntries: 300, maxAgeSeconds: 60 * 24 * 3600 }), { cacheKeyWillBeUsed: async ({ request }) => dataCacheKey(request.url) }],
});

registerRoute(({ request, url }) => request.mode === "navigate" && url.origin === self.location.origin && isAppPath(url.pathname), pages);
// Remix's data requests (single fetch: /path.data?…) and its route discovery (/__manifest).
registerRoute(({ url }) => url.origin === self.location.origin && ((url.pathname.endsWith(".data") && isAppPath(url.pathname)) || url.pathname === "/__manifest"), data);

// Pages being fetched ahead: a log-out waits for them, or they would refill the caches it empties.
let warming: Promise<unknown> = Promise.resolve();

self.addEventListener("message", (event: MessageEvent_) => {
  const msg = event.data as { type?: string; urls?: string[] } | null;
  if (msg?.type === "SKIP_WAITING") void self.skipWaiting();
  if (msg?.type === FORGET_MESSAGE) {
    const empty = () => Promise.all([caches.delete(PAGES_CACHE), caches.delete(DATA_CACHE)]);
    // Twice: a page warmed while the first pass ran would put its forms back.
    const forgotten = warming.then(empty).then(() => warming).then(empty);
    event.waitUntil(forgotten.then(() => event.ports[0]?.postMessage({ type: `${FORGET_MESSAGE}:done` })));
  }
  // The batch page asks for its forms to be fetched now, while there is signal.
  if (msg?.type === WARM_MESSAGE && Array.isArray(msg.urls)) {
    const urls = msg.urls.filter((u) => typeof u === "string" && isAppPath(new URL(u, self.location.origin).pathname)).slice(0, 40);
    // handleAll: its second promise settles once the page is in the cache, not just fetched.
    const warmed = Promise.all(
      urls.map((u) => pages.handleAll({ request: new Request(new URL(u, self.location.origin).href, { credentials: "same-origin" }), event: event as unknown as never })[1].catch(() => null)),
    );
    warming = Promise.all([warming, warmed]);
    event.waitUntil(warmed.then(() => event.source?.postMessage({ type: `${WARM_MESSAGE}:done`, count: urls.length })));
  }
});

self.addEventListener("sync", (event: SyncEvent) => {
  if (event.tag === SYNC_TAG) event.waitUntil(sendQueue());
});
