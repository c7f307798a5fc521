// The shoppers' service worker for recall alerts (/pwa/recall-sw.js, scope /pwa/recall/): it only
// shows pushed alerts and opens their page. Shoppers get this instead of the producer app's worker,
// which would precache the whole producer app on a phone that only wanted a message about a jar.
import { listenForRecallAlerts, type PushWorkerScope } from "./recall-alerts-push";

declare const self: PushWorkerScope & { skipWaiting(): Promise<void> };

self.addEventListener("install", () => void self.skipWaiting());
listenForRecallAlerts(self);
