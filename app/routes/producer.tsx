import { useEffect, useState } from "react";
import type { LinksFunction } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { useT } from "~/i18n/use-t";

// The producer area is the installable app: its manifest and service worker are linked
// from here only, so the public pages (scan page, storefront) carry none of it.
export const links: LinksFunction = () => [
  { rel: "manifest", href: "/manifest.webmanifest" },
  { rel: "apple-touch-icon", href: "/pwa/icon-192.png" },
];

export default function ProducerApp() {
  const t = useT();
  const [apply, setApply] = useState<(() => void) | null>(null);
  useEffect(() => {
    let live = true;
    void import("~/pwa/register.client").then((m) => {
      if (live) m.registerProducerApp((fn) => setApply(() => fn));
    });
    return () => {
      live = false;
    };
  }, []);
  return (
    <>
      <Outlet />
      {apply ? (
        <div role="status" className="fixed inset-x-0 bottom-0 z-50 flex flex-wrap items-center justify-center gap-3 border-t border-brand-700 bg-brand-50 p-3">
          <span>{t("pwa.newVersion")}</span>
          <button type="button" onClick={apply} className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white">
            {t("pwa.reload")}
          </button>
        </div>
      ) : null}
    </>
  );
}
