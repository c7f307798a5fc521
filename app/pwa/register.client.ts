import { Workbox } from "workbox-window";
import { APP_SCOPE, WARM_MESSAGE } from "./scope";
import { SYNC_TAG, sendQueue, type SendReport } from "./send";
import { allQueued, clearQueue, sendOrder } from "./queue";
import { DATA_CACHE, FORGET_MESSAGE, LOCALE_MESSAGE, PAGES_CACHE } from "./scope";

// Loaded on producer pages only (routes/producer.tsx): registers the service worker,
// offers the new version after a deploy, and sends the queue when the phone is online.

let wb: Workbox | null = null;

export function registerProducerApp(onNewVersion: (apply: () => void) => void) {
  if (!("serviceWorker" in navigator) || wb) return;
  wb = new Workbox("/sw.js", { scope: APP_SCOPE });
  const current = wb;
  // A deploy made a new worker (new precache revisions): it waits until the producer
  // chooses to reload, so a form being typed is not thrown away; then it takes over and the page reloads on it.
  current.addEventListener("waiting", () =>
    onNewVersion(() => {
      current.addEventListener("controlling", () => window.location.reload());
      current.messageSkipWaiting();
    }),
  );
  void current.register();
  window.addEventListener("online", () => void sendNow());
  if (navigator.onLine) void sendNow();
}

/** Fetches these producer pages into the worker's cache while there is signal. */
export async function warmPages(urls: string[]): Promise<void> {
  if (!("serviceWorker" in navigator)) return;
  const reg = await navigator.serviceWorker.ready;
  reg.active?.postMessage({ type: WARM_MESSAGE, urls });
}

/** Tells the worker the app's language, so its offline page speaks the same one. */
export async function tellLocale(locale: string): Promise<void> {
  if (!("serviceWorker" in navigator)) return;
  const reg = await navigator.serviceWorker.ready;
  reg.active?.postMessage({ type: LOCALE_MESSAGE, locale });
}

type SyncRegistration = ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } };

/** Asks the browser to wake the worker when the connection is back (Background Sync, where there is one). */
export async function requestBackgroundSync(): Promise<boolean> {
  try {
    if (!("serviceWorker" in navigator)) return false;
    const reg = await Promise.race<SyncRegistration | null>([
      navigator.serviceWorker.ready,
      new Promise<null>((r) => setTimeout(() => r(null), 2000)),
    ]);
    if (!reg?.sync) return false;
    await reg.sync.register(SYNC_TAG);
    return true;
  } catch {
    return false;
  }
}

/** Sends what is waiting, if anything is; the pages follow progress through the queue's channel. */
export async function sendNow(onProgress?: (done: number, total: number) => void): Promise<SendReport | null> {
  if (sendOrder(await allQueued()).length === 0) return null;
  return sendQueue(onProgress);
}

/**
 * Logging out on a shared phone: the producer's pages kept for offline use and the records
 * still waiting are removed, so the next person sees and sends none of them. Records not
 * sent yet are named first; the producer can stay logged in and send them instead.
 */
export async function leaveProducerApp(confirmLoss: (unsent: number) => boolean): Promise<boolean> {
  const unsent = (await allQueued()).filter((i) => i.status !== "sent").length;
  if (unsent > 0 && !confirmLoss(unsent)) return false;
  await clearQueue();
  // The worker empties its caches after the pages it is still fetching ahead (they would refill them).
  const worker = "serviceWorker" in navigator ? navigator.serviceWorker.controller : null;
  if (worker) {
    await new Promise<void>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      worker.postMessage({ type: FORGET_MESSAGE }, [channel.port2]);
      setTimeout(resolve, 5000);
    });
  }
  if ("caches" in window) await Promise.all([caches.delete(PAGES_CACHE), caches.delete(DATA_CACHE)]);
  return true;
}
