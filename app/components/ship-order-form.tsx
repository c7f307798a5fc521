import { Form } from "@remix-run/react";
import { useT } from "~/i18n/use-t";
import { CARRIERS } from "~/domain/delivery/carriers";
import { SubmitButton } from "~/components/form-fields";

/** Marks an order shipped with its carrier and tracking number (own delivery or pickup: no number needed). */
export function ShipOrderForm({ orderId, carrier, busy }: { orderId: string; carrier: string; busy: boolean }) {
  const t = useT();
  return (
    <Form method="post" className="flex w-full flex-col gap-2 sm:w-auto" data-testid="ship-form">
      <input type="hidden" name="orderId" value={orderId} />
      <label htmlFor={`carrier-${orderId}`} className="text-sm">
        {t("delivery.carrier")}
      </label>
      <select id={`carrier-${orderId}`} name="carrier" defaultValue={carrier}>
        {CARRIERS.map((c) => (
          <option key={c} value={c}>
            {t(`carrier.${c}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`tracking-${orderId}`} className="text-sm">
        {t("delivery.trackingNumber")}
      </label>
      <input
        id={`tracking-${orderId}`}
        name="trackingNumber"
        maxLength={40}
        autoCapitalize="characters"
        aria-describedby={`tracking-${orderId}-hint`}
      />
      <p id={`tracking-${orderId}-hint`} className="text-sm text-stone-600">
        {t("delivery.trackingHint")}
      </p>
      <SubmitButton look="secondary" name="intent" value="ship" busy={busy}>
        {t("producerOrders.move.SHIPPED")}
      </SubmitButton>
    </Form>
  );
}
