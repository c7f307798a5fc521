import { useEffect, useState } from "react";
import type { LinksFunction } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { useLocale, useT } from "~/i18n/use-t";
import { OfflineBanner, useOnline } from "~/components/offline-banner";

// The producer area is the installable app: its manifest and service worker are linked
// from here only, so the public pages (scan page, storefront) carry none of it.
export const links: LinksFunction = () => [
  { rel: "manifest", href: "/manifest.webmanifest" },
  { rel: "apple-touch-icon", href: "/pwa/icon-192.png" },
];

export default function ProducerApp() {
  const t = useT();
  const locale = useLocale();
  const online = useOnline();
  // Said in the offline banner when a form that needs the network was stopped.
  const [notice, setNotice] = useState<string | null>(null);
  const [apply, setApply] = useState<(() => void) | null>(null);
  // Signal back: the notice about a stopped form is over.
  const [wasOnline, setWasOnline] = useState(online);
  if (online !== wasOnline) {
    setWasOnline(online);
    if (online) setNotice(null);
  }
  useEffect(() => {
    void import("~/pwa/register.client").then((m) => m.tellLocale(locale)).catch(() => undefined);
  }, [locale]);
  useEffect(() => {
    let live = true;
    void import("~/pwa/register.client").then((m) => {
      if (live) m.registerProducerApp((fn) => setApply(() => fn));
    });
    // The log-out form is in the page header (components/layout.tsx): on its way out, the
    // phone forgets this producer's offline pages and queue (asking first if records wait).
    const onSubmit = (event: SubmitEvent) => {
      const form = event.target as HTMLFormElement | null;
      if (!form) return;
      // No signal: a form that needs the server (the language, logging out, a new product…) is
      // stopped here, what was typed stays, and the banner says why. The event form saves on the phone.
      if (!navigator.onLine && form.method.toLowerCase() === "post" && !form.hasAttribute("data-offline-ok")) {
        event.preventDefault();
        event.stopImmediatePropagation();
        setNotice(t("offline.needsNetwork"));
        return;
      }
      if (new URL(form.action, window.location.href).pathname !== "/logout" || form.dataset.cleared === "yes") return;
      event.preventDefault();
      event.stopImmediatePropagation();
      void import("~/pwa/register.client")
        .then((m) => m.leaveProducerApp((n) => window.confirm(t("pwa.logoutUnsent", { n }))))
        .catch(() => true)
        .then((leave) => {
          if (!leave) return;
          form.dataset.cleared = "yes";
          form.submit();
        });
    };
    document.addEventListener("submit", onSubmit, true);
    return () => {
      live = false;
      document.removeEventListener("submit", onSubmit, true);
    };
  }, [t]);
  return (
    <>
      <OfflineBanner online={online} title={t("offline.bannerShort")} text={t("offline.banner")} notice={notice} />
      <Outlet />
      {apply ? (
        <div
          role="status"
          className="fixed inset-x-0 bottom-0 z-50 flex flex-wrap items-center justify-center gap-3 border-t border-brand-700 bg-brand-50 p-3"
        >
          <span>{t("pwa.newVersion")}</span>
          <button type="button" onClick={apply} className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white">
            {t("pwa.reload")}
          </button>
        </div>
      ) : null}
    </>
  );
}
