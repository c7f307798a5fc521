import { Page } from "~/components/layout";
import { catalogUrls, LICENSE_URL, openDataUrls } from "~/domain/open-data/catalog";
import { DATASET_IDS, DATASETS } from "~/domain/open-data/datasets";
import { useLocale, useT } from "~/i18n/use-t";

export type OpenDataPageData = { baseUrl: string; publisher: string; perMinute: number; latestDay: string | null };

/** /du-lieu-mo: plain links and text, no script needed; one column at 360 px. */
export function OpenDataPage({ baseUrl, publisher, perMinute, latestDay }: OpenDataPageData) {
  const t = useT();
  const locale = useLocale();
  const catalog = catalogUrls(baseUrl);
  return (
    <Page title={t("openData.title")}>
      <p className="mb-4">{t("openData.lead")}</p>
      <h2 className="mb-2 text-xl font-semibold">{t("openData.licenceTitle")}</h2>
      <p className="mb-2">
        {t("openData.licence")}{" "}
        <a href={LICENSE_URL} rel="license">
          {t("openData.licenceLink")}
        </a>
      </p>
      <p className="mb-1">{t("openData.citeHow")}</p>
      <p className="mb-6 break-words rounded-md bg-stone-100 p-3 text-sm">
        {t("openData.cite", { publisher, dataset: DATASETS.products.title[locale], url: catalog.page })}
      </p>
      <h2 className="mb-2 text-xl font-semibold">{t("openData.datasetsTitle")}</h2>
      <ul className="mb-6 space-y-4">
        {DATASET_IDS.map((id) => {
          const info = DATASETS[id];
          const links = openDataUrls(baseUrl, id);
          return (
            <li key={id} id={id} data-dataset={id} className="rounded-md border border-stone-200 p-3">
              <h3 className="font-semibold">{info.title[locale]}</h3>
              <p className="mb-2 text-sm">{info.description[locale]}</p>
              <ul className="space-y-1 text-sm">
                <li>
                  {latestDay ? (
                    <a href={`/du-lieu-mo/${id}/latest.csv.gz`} download>
                      {t("openData.latest")} ({latestDay})
                    </a>
                  ) : (
                    t("openData.noFileYet")
                  )}
                </li>
                <li className="break-words">
                  {t("openData.dated")} <code>{links.dated.replace(baseUrl, "")}</code>
                </li>
                <li>
                  <a href={`/api/v1/open-data/${id}`}>{t("openData.api")}</a>
                </li>
              </ul>
            </li>
          );
        })}
      </ul>
      <h2 className="mb-2 text-xl font-semibold">{t("openData.catalogTitle")}</h2>
      <ul className="mb-4 list-disc space-y-1 pl-5">
        <li>
          <a href="/data.json">{t("openData.dataJson")}</a>
        </li>
        <li>
          <a href="/du-lieu-mo/catalog.jsonld">{t("openData.jsonLd")}</a>
        </li>
        {latestDay ? (
          <li>
            <a href="/du-lieu-mo/datapackage.json">{t("openData.dataPackage")}</a>
          </li>
        ) : null}
        <li>
          <a href="/api/v1/openapi.json">{t("openData.openApi")}</a>
        </li>
      </ul>
      <p className="text-sm text-stone-700">{t("openData.apiHow", { n: perMinute })}</p>
    </Page>
  );
}
