import { Form } from "@remix-run/react";
import { useState } from "react";
import { useLocale, useT } from "~/i18n/use-t";
import { formatVnd } from "~/i18n/locale";
import type { DeliveryQuote } from "~/domain/delivery/fees";

type Provinces = { code: string; name: string }[];

/** The GET form that sets the shopper's province (remembered in a cookie by the page's loader). Works without JavaScript. */
export function ProvinceChooser({ provinces, province }: { provinces: Provinces; province: string | null }) {
  const t = useT();
  return (
    <Form method="get" className="mb-2 flex flex-wrap items-end gap-2" preventScrollReset>
      <label className="flex min-w-0 flex-1 flex-col text-sm">
        {t("delivery.province")}
        <select name="province" defaultValue={province ?? ""} key={province ?? ""} data-testid="province-select">
          <option value="">{t("common.choose")}</option>
          {provinces.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="rounded-md border border-brand-700 px-3 py-2 text-brand-700">
        {t("delivery.showFee")}
      </button>
    </Form>
  );
}

/** One producer's fee and estimate for the chosen province. */
export function QuoteLine({ quote, provinceName }: { quote: DeliveryQuote; provinceName: string | null }) {
  const t = useT();
  const locale = useLocale();
  if (!provinceName) return <p className="text-sm text-stone-700">{t("delivery.chooseProvince")}</p>;
  if (!quote.delivered)
    return (
      <p className="text-sm font-semibold text-red-800" data-testid="delivery-quote">
        {t("delivery.notDelivered", { n: provinceName })}
      </p>
    );
  if (quote.zoneName === null)
    return (
      <p className="text-sm" data-testid="delivery-quote">
        {t("delivery.unset")}
      </p>
    );
  return (
    <p className="text-sm" data-testid="delivery-quote">
      {t("delivery.to", { n: provinceName })}:{" "}
      <strong>{quote.free ? t("delivery.free") : t("delivery.feeLine", { n: formatVnd(locale, quote.feeVnd) })}</strong>
      {" · "}
      {quote.minDays === quote.maxDays
        ? t("delivery.daysSame", { n: quote.minDays ?? 0 })
        : t("delivery.days", { n: quote.minDays ?? 0, m: quote.maxDays ?? 0 })}
    </p>
  );
}

/** The product page's delivery box: province chooser, fee and estimate, free-above amount and pickup point. */
export function ProductDelivery({
  delivery,
}: {
  delivery: {
    province: string | null;
    provinceName: string | null;
    provinces: Provinces;
    groups: { quote: DeliveryQuote; freeAboveVnd: number | null; pickup: { address: string; hours: string | null } | null }[];
  };
}) {
  const t = useT();
  const locale = useLocale();
  const group = delivery.groups[0];
  return (
    <section aria-label={t("delivery.fee")} data-testid="product-delivery">
      <h2 className="mb-1 text-lg font-semibold">{t("delivery.fee")}</h2>
      <ProvinceChooser provinces={delivery.provinces} province={delivery.province} />
      {group ? <QuoteLine quote={group.quote} provinceName={delivery.provinceName} /> : null}
      {group?.freeAboveVnd ? <p className="text-sm">{t("delivery.freeAbove", { n: formatVnd(locale, group.freeAboveVnd) })}</p> : null}
      {group?.pickup ? (
        <p className="text-sm">
          {t("delivery.pickup", { n: group.pickup.address })}
          {group.pickup.hours ? ` · ${t("delivery.pickupHours", { n: group.pickup.hours })}` : null}
        </p>
      ) : null}
    </section>
  );
}

/** The cart's delivery box: a fee and estimate per producer, then the total with fees. */
export function CartDelivery({
  delivery,
  producerNames,
  goodsVnd,
}: {
  delivery: {
    province: string | null;
    provinceName: string | null;
    provinces: Provinces;
    groups: { producerId: string; quote: DeliveryQuote }[];
  };
  producerNames: Record<string, string>;
  goodsVnd: number;
}) {
  const t = useT();
  const locale = useLocale();
  const fees = delivery.groups.reduce((sum, g) => sum + (g.quote.delivered ? g.quote.feeVnd : 0), 0);
  return (
    <section aria-label={t("delivery.fee")} data-testid="cart-delivery">
      <h2 className="mb-1 text-lg font-semibold">{t("delivery.fee")}</h2>
      <ProvinceChooser provinces={delivery.provinces} province={delivery.province} />
      <ul>
        {delivery.groups.map((g) => (
          <li key={g.producerId} className="mb-1">
            <p className="text-sm font-semibold">{producerNames[g.producerId]}</p>
            <QuoteLine quote={g.quote} provinceName={delivery.provinceName} />
          </li>
        ))}
      </ul>
      {delivery.province ? (
        <p className="mt-2">
          {t("delivery.feesTotal")}: {formatVnd(locale, fees)} · {t("delivery.totalWithFees")}:{" "}
          <strong data-testid="cart-total-with-fees">{formatVnd(locale, goodsVnd + fees)}</strong>
        </p>
      ) : null}
    </section>
  );
}

/**
 * The checkout's delivery box: each producer's fee and estimate for the address's province,
 * its pickup point as a free choice where it has one, and the total the order will carry.
 * The fees come from the server for the province in the form (re-quoted with the wards);
 * ticking a pickup box takes that fee off the total at once with JavaScript.
 */
export function CheckoutDelivery({
  delivery,
  producerNames,
  goodsVnd,
  pickedUp,
}: {
  delivery: {
    province: string | null;
    provinceName: string | null;
    groups: { producerId: string; quote: DeliveryQuote; pickup: { address: string; hours: string | null } | null }[];
  };
  producerNames: Record<string, string>;
  goodsVnd: number;
  pickedUp: string[];
}) {
  const t = useT();
  const locale = useLocale();
  const [pickup, setPickup] = useState(() => new Set(pickedUp));
  const fees = delivery.groups.reduce(
    (sum, g) => sum + (g.quote.delivered && !(g.pickup && pickup.has(g.producerId)) ? g.quote.feeVnd : 0),
    0,
  );
  return (
    <section aria-label={t("delivery.fee")} data-testid="checkout-delivery">
      <h2 className="mb-1 text-lg font-semibold">{t("delivery.fee")}</h2>
      <ul>
        {delivery.groups.map((g) => (
          <li key={g.producerId} className="mb-2">
            <p className="text-sm font-semibold">{producerNames[g.producerId]}</p>
            <QuoteLine quote={g.quote} provinceName={delivery.provinceName} />
            {g.pickup ? (
              <label className="mt-1 flex min-h-11 items-center gap-3 text-sm">
                <input
                  type="checkbox"
                  name="pickup"
                  value={g.producerId}
                  defaultChecked={pickup.has(g.producerId)}
                  onChange={(e) => {
                    const next = new Set(pickup);
                    if (e.currentTarget.checked) next.add(g.producerId);
                    else next.delete(g.producerId);
                    setPickup(next);
                  }}
                  className="mt-0 h-5 w-5 shrink-0 p-0"
                />
                <span>
                  {t("delivery.pickupChoice", { n: producerNames[g.producerId] ?? "", m: g.pickup.address })}
                  {g.pickup.hours ? ` · ${t("delivery.pickupHours", { n: g.pickup.hours })}` : null}
                </span>
              </label>
            ) : null}
          </li>
        ))}
      </ul>
      {delivery.province ? (
        <p className="mt-2">
          {t("delivery.feesTotal")}: {formatVnd(locale, fees)} · {t("delivery.totalWithFees")}:{" "}
          <strong data-testid="checkout-total-with-fees">{formatVnd(locale, goodsVnd + fees)}</strong>
        </p>
      ) : null}
    </section>
  );
}
