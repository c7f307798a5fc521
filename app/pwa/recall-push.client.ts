// Subscribing this browser to a lot's recall alerts by Web Push. Not part of the scan page's
// weight: the page's small inline script (components/recall-alerts.tsx) imports this file
// (/pwa/recall-push.js, built by scripts/build-pwa.mjs) only when the button is pressed.

const WORKER_URL = "/pwa/recall-sw.js";
const WORKER_SCOPE = "/pwa/recall/";

async function activeRegistration(): Promise<ServiceWorkerRegistration> {
  const registration = await navigator.serviceWorker.register(WORKER_URL, { scope: WORKER_SCOPE });
  const worker = registration.installing ?? registration.waiting ?? registration.active;
  if (worker && worker.state !== "activated")
    await new Promise<void>((resolve) => {
      const check = () => {
        if (worker.state === "activated") resolve();
      };
      worker.addEventListener("statechange", check);
      check();
    });
  return registration;
}

/** Runs on the button's section: data-lot names the lot, data-working/done/denied/unsupported/failed the words to show. */
export async function subscribe(section: HTMLElement): Promise<void> {
  const button = section.querySelector("button");
  const status = section.querySelector<HTMLElement>("[role=status]");
  const say = (key: "working" | "done" | "denied" | "unsupported" | "failed") => {
    if (status) status.textContent = section.dataset[key] ?? "";
  };
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return say("unsupported");
  if (button) button.disabled = true;
  say("working");
  try {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      say("denied");
      return;
    }
    const keyAnswer = await fetch("/thu-hoi/push", { headers: { Accept: "application/json" } });
    if (!keyAnswer.ok) throw new Error(`key ${keyAnswer.status}`);
    const { publicKey } = (await keyAnswer.json()) as { publicKey: string };
    const registration = await activeRegistration();
    const subscription =
      (await registration.pushManager.getSubscription()) ??
      (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey }));
    const stored = await fetch("/thu-hoi/push", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ lot: section.dataset.lot, locale: document.documentElement.lang, subscription: subscription.toJSON() }),
    });
    if (!stored.ok) throw new Error(`store ${stored.status}`);
    say("done");
    button?.remove();
  } catch (error) {
    say(error instanceof DOMException && error.name === "NotAllowedError" ? "denied" : "failed");
  } finally {
    if (button) button.disabled = false;
  }
}
