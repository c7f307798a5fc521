import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireProducerMember } from "~/web/auth.server";
import { ordersOfProducer } from "~/domain/orders/order-lookup.server";
import { producerOrderAction } from "~/web/producer-orders.server";
import { isBlockedLot, nextStatuses, ORDER_STATUSES, PRODUCER_MOVES } from "~/domain/orders/order-state";
import { manualRefundsOfProducer } from "~/domain/payments/refunds.server";
import { Page, Card } from "~/components/layout";
import { FormError, SubmitButton } from "~/components/form-fields";
import { ShipOrderForm } from "~/components/ship-order-form";
import { deliveryOf } from "~/domain/delivery/settings.server";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDateTime, formatNumber, formatVnd } from "~/i18n/locale";

export const meta: MetaFunction = () => [{ title: "Đơn hàng · ocop-trace" }];

// A suspended producer still answers for orders already placed, so any member may work here.
export async function loader({ request }: LoaderFunctionArgs) {
  const { producer } = await requireProducerMember(request);
  const status = z
    .enum(ORDER_STATUSES)
    .optional()
    .catch(undefined)
    .parse(new URL(request.url).searchParams.get("status") ?? undefined);
  return {
    status: status ?? null,
    orders: await ordersOfProducer(producer.id, status),
    refunds: await manualRefundsOfProducer(producer.id),
    shipsWith: (await deliveryOf([producer.id])).get(producer.id)?.shipsWith ?? "OWN",
  };
}

export async function action({ request }: ActionFunctionArgs) {
  return producerOrderAction(request);
}

const OPEN_STATUSES: string[] = ["PENDING_PAYMENT", "PENDING_CONFIRMATION", "CONFIRMED", "PACKED"];
const hasBlocked = (o: { status: string; lines: { allocations: { batch: { status: string } }[] }[] }) =>
  OPEN_STATUSES.includes(o.status) && o.lines.some((l) => l.allocations.some((a) => isBlockedLot(a.batch.status)));

export default function ProducerOrders() {
  const t = useT();
  const locale = useLocale();
  const { orders, status, refunds, shipsWith } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Page title={t("producerOrders.title")}>
      <nav className="mb-3 flex flex-wrap gap-2 text-sm">
        <Link to="/producer/orders" className={status === null ? "font-bold" : ""}>
          {t("producerOrders.all")}
        </Link>
        {ORDER_STATUSES.map((s) => (
          <Link key={s} to={`/producer/orders?status=${s}`} className={status === s ? "font-bold" : ""}>
            {t(`order.status.${s}`)}
          </Link>
        ))}
      </nav>
      {refunds.length ? (
        <Card>
          <h2 className="mb-1 text-lg font-semibold">{t("producerOrders.refundsTitle")}</h2>
          <p className="mb-2 text-sm">{t("producerOrders.refundsHelp")}</p>
          <ul className="space-y-2 text-sm" data-testid="refunds-to-send">
            {refunds.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-2">
                <span>
                  {t("order.title", { n: r.payment.order.code })} · <strong>{formatVnd(locale, r.amountVnd)}</strong> ·{" "}
                  {r.payment.order.buyerName}, {r.payment.order.buyerPhone} · {t(`order.refundReason.${r.reason}`)}
                </span>
                <Form method="post">
                  <input type="hidden" name="refundId" value={r.id} />
                  <SubmitButton look="secondary" name="intent" value="refunded" busy={busy}>
                    {t("producerOrders.markRefunded")}
                  </SubmitButton>
                </Form>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {orders.length === 0 ? <p>{t("producerOrders.none")}</p> : null}
      <ul>
        {orders.map((o) => (
          <li key={o.id}>
            <Card>
              <p className="font-semibold">
                {t("order.title", { n: o.code })} · <span data-testid="order-status">{t(`order.status.${o.status}`)}</span>
              </p>
              <p className="text-sm text-stone-700">
                {formatDateTime(locale, o.createdAt)} · {t(`checkout.method.${o.paymentMethod}`)} ·{" "}
                <strong>{formatVnd(locale, o.totalVnd)}</strong>
              </p>
              <p className="text-sm">
                {t("producerOrders.buyer")}: {o.buyerName}, {o.buyerPhone}, {o.street}, {o.location.ward}, {o.location.province}
              </p>
              {o.note ? <p className="text-sm italic">{o.note}</p> : null}
              {o.status === "PENDING_PAYMENT" && o.expiresAt ? (
                <p className="text-sm text-stone-600">{t("producerOrders.expiresAt", { n: formatDateTime(locale, o.expiresAt) })}</p>
              ) : null}
              {o.status === "PENDING_CONFIRMATION" && o.expiresAt ? (
                <p className="text-sm font-semibold text-amber-800">
                  {t("producerOrders.confirmBefore", { n: formatDateTime(locale, o.expiresAt) })}
                </p>
              ) : null}
              <ul className="my-1 text-sm">
                {o.lines.map((l) => {
                  // Units still to leave that sit on a held or recalled lot: they must not ship.
                  const blocked = OPEN_STATUSES.includes(o.status) ? l.allocations.filter((a) => isBlockedLot(a.batch.status)) : [];
                  return (
                    <li key={l.id}>
                      {t(`qty.${l.product.unit}`, { n: l.quantity })} × {l.product.name} —{" "}
                      {l.allocations
                        .map((a) => `${t("order.lot", { n: a.batch.lotCode })} (${formatNumber(locale, a.quantity)})`)
                        .join(", ")}
                      {blocked.map((a) => (
                        <p
                          key={a.batch.id}
                          className="my-1 rounded-md border-2 border-red-700 bg-red-50 p-2 font-semibold text-red-900"
                          role="alert"
                          data-testid="lot-blocked"
                        >
                          {t(`producerOrders.blocked.${a.batch.status}`, {
                            lot: a.batch.lotCode,
                            reason: a.batch.recalls[0]?.reason ?? a.batch.holdReason ?? "",
                          })}
                        </p>
                      ))}
                      {blocked.length ? (
                        <Form method="post">
                          <input type="hidden" name="orderId" value={o.id} />
                          <input type="hidden" name="lineId" value={l.id} />
                          <SubmitButton look="secondary" name="intent" value="reallocate" busy={busy}>
                            {t("producerOrders.reallocate", { n: blocked.reduce((sum, a) => sum + a.quantity, 0) })}
                          </SubmitButton>
                        </Form>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
              {result?.orderId === o.id ? <FormError error={result.error} /> : null}
              <div className="mt-2 flex flex-wrap items-start gap-2">
                {o.status === "PENDING_CONFIRMATION" ? (
                  <Form method="post">
                    <input type="hidden" name="orderId" value={o.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="confirm"
                      disabled={busy}
                      className="rounded-md bg-brand-700 px-3 py-1 font-semibold text-white"
                    >
                      {t("producerOrders.confirmCod")}
                    </button>
                  </Form>
                ) : null}
                {o.paymentMethod === "VIETQR" && o.status === "PENDING_PAYMENT" ? (
                  <PaidForm
                    orderId={o.id}
                    busy={busy}
                    primary
                    label={t("producerOrders.markPaid")}
                    help={t("producerOrders.checkStatement", { n: formatVnd(locale, o.totalVnd), m: o.code })}
                  />
                ) : null}
                {o.paymentMethod === "VIETQR" && o.status === "CANCELLED" && o.payments.some((p) => p.status === "PENDING") ? (
                  <PaidForm
                    orderId={o.id}
                    busy={busy}
                    label={t("producerOrders.lateTransfer")}
                    help={t("producerOrders.lateTransferHelp", { n: formatVnd(locale, o.totalVnd), m: o.code })}
                  />
                ) : null}
                <Form method="post" className="flex flex-wrap gap-2">
                  <input type="hidden" name="orderId" value={o.id} />
                  <input type="hidden" name="intent" value="move" />
                  {nextStatuses(o.status)
                    .filter((s) => PRODUCER_MOVES.includes(s))
                    // Shipping has its own form (carrier and tracking number) below.
                    .filter((s) => s !== "SHIPPED")
                    .map((s) => (
                      <button
                        key={s}
                        type="submit"
                        name="to"
                        value={s}
                        disabled={busy}
                        className={
                          s === "CANCELLED"
                            ? "rounded-md border border-red-700 px-3 py-1 text-red-800"
                            : "rounded-md border border-brand-700 px-3 py-1 font-semibold text-brand-700"
                        }
                      >
                        {s === "CANCELLED" && hasBlocked(o) ? t("producerOrders.cancelRefund") : t(`producerOrders.move.${s}`)}
                      </button>
                    ))}
                </Form>
                {/* Nothing on a held or recalled lot leaves (the server refuses it too). */}
                {nextStatuses(o.status).includes("SHIPPED") && !hasBlocked(o) ? (
                  <ShipOrderForm orderId={o.id} carrier={o.deliveryMethod === "PICKUP" ? "OWN" : shipsWith} busy={busy} />
                ) : null}
              </div>
            </Card>
          </li>
        ))}
      </ul>
    </Page>
  );
}

/** "The transfer arrived": on an order waiting for it, and on one cancelled before it came (late transfer). */
function PaidForm({
  orderId,
  busy,
  label,
  help,
  primary = false,
}: {
  orderId: string;
  busy: boolean;
  label: string;
  help: string;
  primary?: boolean;
}) {
  return (
    <Form method="post" className="flex flex-col">
      <input type="hidden" name="orderId" value={orderId} />
      <button
        type="submit"
        name="intent"
        value="paid"
        disabled={busy}
        className={
          primary
            ? "rounded-md bg-brand-700 px-3 py-1 font-semibold text-white"
            : "rounded-md border border-brand-700 px-3 py-1 text-brand-700"
        }
      >
        {label}
      </button>
      <span className="text-xs text-stone-600">{help}</span>
    </Form>
  );
}
