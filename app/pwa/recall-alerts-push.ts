// Showing a recall alert that arrives by Web Push, and opening its page when it is tapped. Used by
// the shoppers' small alerts worker (recall-alerts-worker.ts, /pwa/recall-sw.js) and by the
// producer app's worker (service-worker.ts), so a producer's phone that subscribed shows alerts too.
// The payload's shape is fixed by the delivery side: { title, body, url, tag, unsubscribeUrl }.

export type RecallAlertPayload = { title: string; body: string; url: string; tag: string; unsubscribeUrl: string };

type ExtendableEvent = Event & { waitUntil(p: Promise<unknown>): void };
type PushEvent = ExtendableEvent & { data: { json(): unknown; text(): string } | null };
type NotificationEvent = ExtendableEvent & {
  action: string;
  notification: { data: unknown; close(): void };
};
type WindowClientLike = { url: string; focus(): Promise<unknown>; navigate?(url: string): Promise<unknown> };
export type PushWorkerScope = {
  addEventListener(type: string, fn: (e: never) => void): void;
  location: { origin: string };
  navigator: { language: string };
  registration: { showNotification(title: string, options: Record<string, unknown>): Promise<void> };
  clients: {
    matchAll(options: { type: "window"; includeUncontrolled: boolean }): Promise<readonly WindowClientLike[]>;
    openWindow(url: string): Promise<unknown>;
  };
};

const UNSUBSCRIBE_ACTION = "unsubscribe";
const ACTION_TITLES: Record<string, string> = { vi: "Hủy nhận tin", en: "Unsubscribe" };

function sameOriginUrl(value: unknown, origin: string): string | null {
  if (typeof value !== "string" || value.length > 2000) return null;
  try {
    const url = new URL(value, origin);
    return url.origin === origin ? url.href : null;
  } catch {
    return null;
  }
}

/** The payload read strictly: links only to this site (a push with anything else shows nothing to click into). */
export function readRecallPayload(raw: unknown, origin: string): RecallAlertPayload | null {
  if (typeof raw !== "object" || raw === null) return null;
  const p = raw as Record<string, unknown>;
  const url = sameOriginUrl(p.url, origin);
  const unsubscribeUrl = sameOriginUrl(p.unsubscribeUrl, origin);
  if (typeof p.title !== "string" || typeof p.body !== "string" || typeof p.tag !== "string" || !url || !unsubscribeUrl) return null;
  return { title: p.title.slice(0, 200), body: p.body.slice(0, 1000), tag: p.tag.slice(0, 100), url, unsubscribeUrl };
}

/** The notification's options for a payload (the action's title follows the unsubscribe page's language). */
export function notificationOptions(payload: RecallAlertPayload, lang: string) {
  return {
    body: payload.body,
    tag: payload.tag,
    // A new message about the same lot replaces the last one, and still alerts.
    renotify: true,
    requireInteraction: true,
    icon: "/pwa/icon-192.png",
    lang,
    data: { url: payload.url, unsubscribeUrl: payload.unsubscribeUrl },
    actions: [{ action: UNSUBSCRIBE_ACTION, title: ACTION_TITLES[lang] ?? ACTION_TITLES.vi! }],
  };
}

export function listenForRecallAlerts(scope: PushWorkerScope): void {
  scope.addEventListener("push", (event: PushEvent) => {
    let raw: unknown = null;
    try {
      raw = event.data?.json() ?? null;
    } catch {
      raw = null;
    }
    const payload = readRecallPayload(raw, scope.location.origin);
    if (!payload) return;
    // The payload carries no language: the action button follows the phone's.
    const lang = scope.navigator.language.toLowerCase().startsWith("en") ? "en" : "vi";
    event.waitUntil(scope.registration.showNotification(payload.title, notificationOptions(payload, lang)));
  });

  scope.addEventListener("notificationclick", (event: NotificationEvent) => {
    const data = event.notification.data as { url?: unknown; unsubscribeUrl?: unknown } | null;
    event.notification.close();
    const target = sameOriginUrl(event.action === UNSUBSCRIBE_ACTION ? data?.unsubscribeUrl : data?.url, scope.location.origin);
    if (!target) return;
    event.waitUntil(
      (async () => {
        // A tab already showing that page is brought forward rather than opening a second one.
        const open = await scope.clients.matchAll({ type: "window", includeUncontrolled: true });
        const same = open.find((c) => c.url === target);
        if (same) return same.focus();
        return scope.clients.openWindow(target);
      })(),
    );
  });
}
