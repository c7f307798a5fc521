import { useT } from "~/i18n/use-t";
import { Card } from "~/components/layout";

// A producer's own merchant feeds, linked from its public page: a household copies a link into
// Google Merchant Center or a Meta catalogue and its products follow there by themselves. A tap
// saves the file (a phone's browser would show raw XML); the link itself is what gets pasted.
export function ProducerFeeds({ producerId }: { producerId: string }) {
  const t = useT();
  const base = `/producers/${producerId}/feeds`;
  return (
    <Card>
      <h2 className="mb-2 text-lg font-semibold">{t("feeds.title")}</h2>
      <p className="mb-2 text-sm text-stone-700">{t("feeds.explain")}</p>
      <ul className="list-disc pl-5 text-sm" data-testid="producer-feeds">
        <li>
          <a className="break-all text-emerald-800 underline" href={`${base}/google.xml`} download>
            {t("feeds.google")}
          </a>
        </li>
        <li>
          <a className="break-all text-emerald-800 underline" href={`${base}/meta.csv`} download>
            {t("feeds.meta")}
          </a>
        </li>
      </ul>
    </Card>
  );
}
