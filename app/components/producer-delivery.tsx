import type { ProducerDelivery as DeliveryTable } from "~/domain/delivery/settings.server";
import { useLocale, useT } from "~/i18n/use-t";
import { formatVnd } from "~/i18n/locale";
import { Card } from "~/components/layout";

// How a producer delivers, on its public page: who carries it, each zone's fee and days, the
// free-above amount and the pickup point. A producer with no table says so (no fee charged yet).
export function ProducerDelivery({ delivery, provinceName }: { delivery: DeliveryTable | null; provinceName: (code: string) => string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <Card>
      <h2 className="mb-2 text-lg font-semibold">{t("producerPage.delivery")}</h2>
      {!delivery ? (
        <p className="text-stone-700">{t("delivery.unset")}</p>
      ) : (
        <>
          <p className="mb-1">{t("delivery.by", { n: t(`carrier.${delivery.shipsWith}`) })}</p>
          <ul className="mb-1 list-disc pl-5" data-testid="producer-zones">
            {delivery.zones.map((z) => (
              <li key={z.name}>
                <span className="font-semibold">{z.name}</span>
                {z.provinceCodes.length > 0 ? ` (${z.provinceCodes.map(provinceName).join(", ")})` : ""}:{" "}
                {formatVnd(locale, z.feeVnd + delivery.flatFeeVnd)} ·{" "}
                {z.minDays === z.maxDays ? t("delivery.daysSame", { n: z.minDays }) : t("delivery.days", { n: z.minDays, m: z.maxDays })}
              </li>
            ))}
          </ul>
          {delivery.freeAboveVnd ? (
            <p className="text-sm">{t("delivery.freeAbove", { n: formatVnd(locale, delivery.freeAboveVnd) })}</p>
          ) : null}
          {delivery.pickupAddress ? (
            <p className="text-sm">
              {t("delivery.pickup", { n: delivery.pickupAddress })}
              {delivery.pickupHours ? ` · ${t("delivery.pickupHours", { n: delivery.pickupHours })}` : null}
            </p>
          ) : null}
        </>
      )}
    </Card>
  );
}
