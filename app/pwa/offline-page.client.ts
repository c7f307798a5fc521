// The offline page's script (bundled to public/pwa/offline.js, precached). The worker answers
// the offline page either at the address that was asked for (a page of the app) or at
// /producer/offline?to=… (a page outside it): "Thử lại" goes there, and so does the page itself
// as soon as the phone has signal again.
import { APP_SCOPE, OFFLINE_PATH, safeReturnPath } from "./scope";

export function offlineTargetOf(location: { pathname: string; search: string }): string {
  if (location.pathname !== OFFLINE_PATH) return location.pathname + location.search;
  return safeReturnPath(new URLSearchParams(location.search).get("to")) ?? APP_SCOPE;
}

if (typeof window !== "undefined" && typeof document !== "undefined") {
  const target = offlineTargetOf(window.location);
  const retry = document.querySelector<HTMLAnchorElement>("[data-offline-retry]");
  if (retry) retry.href = target;
  window.addEventListener("online", () => window.location.replace(target));
}
