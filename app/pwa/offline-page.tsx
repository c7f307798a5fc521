// The producer app's offline page, rendered to static HTML at build time (scripts/build-pwa.mjs)
// once per language and precached by the service worker, which answers it for a page that is not
// on the phone (docs/decisions/019-offline-pages.md). The app's stylesheet and look; no user (the
// page is the same for everyone), no data. Its one script (offline-page.client.ts) sets the
// "try again" link and opens the page asked for when the signal is back.
import { renderToStaticMarkup } from "react-dom/server";
import { translator } from "~/i18n/translate";
import type { Locale } from "~/i18n/locale";
import { APP_SCOPE } from "./scope";

export function offlinePageHtml(locale: Locale, assets: { css: string; script: string }): string {
  const t = translator(locale);
  const works = ["offline.works.pages", "offline.works.record"];
  const waits = ["offline.waits.orders", "offline.waits.catalog", "offline.waits.labels", "offline.waits.account", "offline.waits.shop"];
  const page = (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t("offline.documentTitle")}</title>
        <link rel="stylesheet" href={assets.css} />
        <link rel="manifest" href="/manifest.webmanifest" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <script src={assets.script} defer />
      </head>
      <body>
        <header className="border-b border-stone-200 bg-white">
          <div className="mx-auto flex max-w-4xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
            <a href={APP_SCOPE} className="text-lg font-bold text-brand-700 no-underline">
              ocop-trace
            </a>
          </div>
        </header>
        <p role="status" className="sticky top-0 z-40 border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm font-semibold text-amber-900">
          {t("offline.bannerShort")}
        </p>
        <main className="mx-auto max-w-4xl px-4 py-6">
          <h1 className="mb-4 text-2xl font-bold">{t("offline.title")}</h1>
          <p className="mb-4">{t("offline.lead")}</p>
          <section className="mb-4 rounded-lg border border-stone-200 bg-white p-4">
            <h2 className="mb-2 text-lg font-semibold text-brand-800">{t("offline.worksTitle")}</h2>
            <ul className="list-disc space-y-1 pl-5">
              {works.map((k) => (
                <li key={k}>{t(k)}</li>
              ))}
            </ul>
          </section>
          <section className="mb-4 rounded-lg border border-stone-200 bg-white p-4">
            <h2 className="mb-2 text-lg font-semibold text-stone-800">{t("offline.waitsTitle")}</h2>
            <ul className="list-disc space-y-1 pl-5">
              {waits.map((k) => (
                <li key={k}>{t(k)}</li>
              ))}
            </ul>
          </section>
          <p className="flex flex-wrap gap-3">
            <a href={APP_SCOPE} data-offline-retry="" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white no-underline">
              {t("offline.retry")}
            </a>
            <a href={APP_SCOPE} className="rounded-md border border-brand-700 px-4 py-2 font-semibold no-underline">
              {t("offline.home")}
            </a>
          </p>
        </main>
      </body>
    </html>
  );
  return `<!DOCTYPE html>${renderToStaticMarkup(page)}`;
}
