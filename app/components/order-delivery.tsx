import { useLocale, useT } from "~/i18n/use-t";
import { formatVnd } from "~/i18n/locale";
import { trackingUrl, type CarrierCode } from "~/domain/delivery/carriers";

export type OrderDeliveryFields = {
  shippingFeeVnd: number;
  deliveryMethod: string;
  shippedCarrier: string | null;
  trackingNumber: string | null;
};

/** An order's delivery: the fee it was charged, pickup, and once shipped the carrier and a link to follow the parcel. */
export function OrderDelivery({ order }: { order: OrderDeliveryFields }) {
  const t = useT();
  const locale = useLocale();
  const carrier = order.shippedCarrier as CarrierCode | null;
  const href = carrier && order.trackingNumber ? trackingUrl(carrier, order.trackingNumber) : null;
  return (
    <div className="text-sm" data-testid="order-delivery">
      <p>
        {order.deliveryMethod === "PICKUP" ? `${t("delivery.pickupOrder")} · ` : null}
        {t("delivery.feeLine", { n: formatVnd(locale, order.shippingFeeVnd) })}
      </p>
      {carrier ? (
        <p>
          {t("delivery.by", { n: t(`carrier.${carrier}`) })}
          {order.trackingNumber ? (
            <>
              {" · "}
              {t("delivery.trackingNumber")}: <strong>{order.trackingNumber}</strong>
              {href ? (
                <>
                  {" · "}
                  <a href={href} rel="noreferrer" target="_blank" data-testid="tracking-link">
                    {t("delivery.track")}
                  </a>
                </>
              ) : null}
            </>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}
