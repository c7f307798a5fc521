import { Card } from "~/components/layout";
import { useT } from "~/i18n/use-t";

type ChannelCounts = { delivered: number; queued: number; failed: number; gone: number };

/** The inspector's recall page: how many of the lot's subscribers the recall reached, by channel (delivered only). */
export function RecallAlertCounts({ counts }: { counts: { push: ChannelCounts; sms: ChannelCounts } }) {
  const t = useT();
  const queued = counts.push.queued + counts.sms.queued;
  const failed = counts.push.failed + counts.sms.failed;
  return (
    <Card>
      <h2 className="mb-2 text-lg font-semibold">{t("recallAlert.counts.title")}</h2>
      <ul className="space-y-1" data-testid="recall-alert-counts">
        <li data-testid="alerts-push-delivered" data-count={counts.push.delivered}>
          {t("recallAlert.counts.push", { n: counts.push.delivered })}
        </li>
        <li data-testid="alerts-sms-delivered" data-count={counts.sms.delivered}>
          {t("recallAlert.counts.sms", { n: counts.sms.delivered })}
        </li>
        {queued > 0 && <li className="text-stone-600">{t("recallAlert.counts.queued", { n: queued })}</li>}
        {failed > 0 && <li className="text-red-700">{t("recallAlert.counts.failed", { n: failed })}</li>}
        {counts.push.gone > 0 && <li className="text-stone-600">{t("recallAlert.counts.gone", { n: counts.push.gone })}</li>}
      </ul>
    </Card>
  );
}
