// The offline page's script (bundled to public/pwa/offline.js, precached). The worker answers
// the offline page either at the address that was asked for (a page of the app) or at
// /producer/offline?to=… (a page outside it): "Thử lại" goes there, and so does the page itself
// as soon as the phone has signal again.
import { APP_SCOPE, OFFLINE_PATH, safeReturnPath } from "./scope";

export function offlineTargetOf(location: { pathname: string; search: string }): string {
  if (location.pathname !== OFFLINE_PATH) return location.pathname + location.search;
  return safeReturnPath(new URLSearchParams(location.search).get("to")) ?? APP_SCOPE;
}

/** Whether the server answers for the page now (any answer but a 5xx: a redirect to log in counts). */
async function reachable(target: string): Promise<boolean> {
  try {
    const res = await fetch(target, { method: "HEAD", cache: "no-store", credentials: "same-origin", redirect: "manual" });
    return res.type === "opaqueredirect" || res.status < 500;
  } catch {
    return false;
  }
}

if (typeof window !== "undefined" && typeof document !== "undefined") {
  const target = offlineTargetOf(window.location);
  const retry = document.querySelector<HTMLAnchorElement>("[data-offline-retry]");
  if (retry) retry.href = target;
  // The "online" event can come before the network answers (and this page may have been answered
  // just before it did): ask the server, then every 5 s while the phone says it is online.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tryOpen = async () => {
    clearTimeout(timer);
    if (!navigator.onLine) return;
    if (await reachable(target)) window.location.replace(target);
    else timer = setTimeout(() => void tryOpen(), 5000);
  };
  window.addEventListener("online", () => void tryOpen());
  window.addEventListener("offline", () => clearTimeout(timer));
  void tryOpen();
}
