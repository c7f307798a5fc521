import { Form, Link } from "@remix-run/react";
import { Card } from "~/components/layout";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDateTime, formatNumber, formatVnd } from "~/i18n/locale";
import { BANK_APPS, bankAppLink, bankName } from "~/domain/payments/banks";
import { CopyButton } from "~/components/copy-button";
import { OrderDelivery, type OrderDeliveryFields } from "~/components/order-delivery";

export type ReceiptOrder = OrderDeliveryFields & {
  code: string;
  status: string;
  paymentMethod: string;
  totalVnd: number;
  createdAt: Date | string;
  buyerName: string;
  buyerPhone: string;
  street: string;
  location: { ward: string; province: string };
  expiresAt: Date | string | null;
  payeeBankBin: string | null;
  payeeAccountNumber: string | null;
  payeeAccountName: string | null;
  producer: { name: string };
  lines: {
    id: string;
    quantity: number;
    unitPriceVnd: number;
    product: { name: string; unit: string };
    allocations: {
      quantity: number;
      batch: { lotCode: string; codes: { code: string }[]; recalls: { reason: string; instructions: string }[] };
    }[];
  }[];
  changes: { toStatus: string; createdAt: Date | string; actor: { name: string } | null }[];
  lotAlerts: ReceiptLotAlert[];
};

export type ReceiptLotAlert = {
  kind: string;
  lotCode: string;
  reason: string | null;
  instructions: string | null;
  producer: string;
  contact: string | null;
  traceCode: string | null;
};

/**
 * failed test stops the sale: a held or recalled lot the buyer received, with what to do
 * (the recall notice, the seller's contact, how to get the money back, whom to tell).
 */
export function LotAlerts({ alerts, status, reportHref }: { alerts: ReceiptLotAlert[]; status: string; reportHref?: string }) {
  const t = useT();
  return (
    <>
      {alerts.map((a) => {
        const recalled = a.kind === "recalled";
        const report = reportHref ?? (a.traceCode ? `/t/${a.traceCode}/report` : null);
        return (
          <div
            key={a.lotCode}
            data-lot-alert={a.kind}
            className={`mb-3 rounded-md border-2 p-3 ${recalled ? "border-red-700 bg-red-50 text-red-900" : "border-amber-500 bg-amber-50 text-amber-950"}`}
            role="alert"
          >
            <p className="font-bold">
              {t(recalled ? "lotAlert.statusRecalled" : "lotAlert.statusHeld", { status: t(`order.status.${status}`) })}
            </p>
            {recalled ? (
              <p className="font-semibold">
                {t("recall.orderNotice", { lot: a.lotCode, reason: a.reason ?? "", instructions: a.instructions ?? "" })}
              </p>
            ) : (
              <>
                <p className="font-semibold">{t("lotAlert.held.title", { lot: a.lotCode })}</p>
                {a.reason ? <p>{t("lotAlert.reason", { reason: a.reason })}</p> : null}
              </>
            )}
            <p>{t(recalled ? "lotAlert.recalled.todo" : "lotAlert.held.todo")}</p>
            {a.contact ? (
              <p>
                {t("lotAlert.contact", { producer: a.producer, contact: "" })}
                <a href={a.contact.includes("@") ? `mailto:${a.contact}` : `tel:${a.contact}`} className="font-semibold underline">
                  {a.contact}
                </a>
              </p>
            ) : null}
            {report ? (
              <p className="text-sm">
                <a href={report} className="underline">
                  {t("lotAlert.report")}
                </a>
              </p>
            ) : null}
          </div>
        );
      })}
    </>
  );
}

/**
 * What the shopper keeps: items with the lot each unit came from (linking to that
 * lot's trace page), payment, delivery address and the order's history.
 */
export function OrderReceipt({
  order,
  vietQr,
  payAction,
  orderHref,
  qrPngHref,
}: {
  order: ReceiptOrder;
  vietQr: string | null;
  payAction?: string;
  orderHref: string;
  qrPngHref: string;
}) {
  const t = useT();
  const locale = useLocale();
  return (
    <Card>
      <LotAlerts alerts={order.lotAlerts} status={order.status} />
      <h2 className="text-lg font-semibold">
        <Link to={orderHref}>{t("order.title", { n: order.code })}</Link>
      </h2>
      <p className="text-sm text-stone-600">
        {t("order.placedAt", { n: formatDateTime(locale, order.createdAt) })} · {t("order.seller")}: {order.producer.name}
      </p>
      <p className="my-2">
        <span className="rounded bg-stone-100 px-2 py-1 font-semibold" data-testid="order-status">
          {t(`order.status.${order.status}`)}
        </span>
      </p>
      <h3 className="mt-2 font-semibold">{t("order.lines")}</h3>
      <ul className="mb-2">
        {order.lines.map((l) => (
          <li key={l.id} className="mb-1">
            {t(`qty.${l.product.unit}`, { n: l.quantity })} × {l.product.name} — {formatVnd(locale, l.quantity * l.unitPriceVnd)}
            <ul className="pl-4 text-sm text-stone-700">
              {l.allocations.map((a) => (
                <li key={a.batch.lotCode}>
                  {t("order.lot", { n: a.batch.lotCode })} ({formatNumber(locale, a.quantity)})
                  {a.batch.codes[0] ? (
                    <>
                      {" · "}
                      <a href={`/t/${a.batch.codes[0].code}`}>{t("order.traceLot")}</a>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <p>
        {t("order.total")}: <strong>{formatVnd(locale, order.totalVnd)}</strong> · {t("order.payment")}:{" "}
        {t(`checkout.method.${order.paymentMethod}`)}
      </p>
      <OrderDelivery order={order} />
      <p className="text-sm">
        {t("order.shipTo")}: {order.buyerName}, {order.buyerPhone}, {order.street}, {order.location.ward}, {order.location.province}
      </p>
      {vietQr && order.status === "PENDING_PAYMENT" ? <VietQrPanel order={order} vietQr={vietQr} qrPngHref={qrPngHref} /> : null}
      {order.status === "PENDING_CONFIRMATION" && order.expiresAt ? (
        <p className="mt-3 rounded-md border border-amber-400 bg-amber-50 p-3 text-sm" role="status">
          {t("order.codWaiting", { n: formatDateTime(locale, order.expiresAt) })}
        </p>
      ) : null}
      {payAction && order.paymentMethod === "STRIPE" && order.status === "PENDING_PAYMENT" ? (
        <Form method="post" action={payAction} className="mt-3">
          <input type="hidden" name="code" value={order.code} />
          <button type="submit" name="intent" value="pay" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white">
            {t("order.payByCard")}
          </button>
        </Form>
      ) : null}
      <h3 className="mt-3 font-semibold">{t("order.timeline")}</h3>
      <ol className="border-l-2 border-stone-300 pl-3 text-sm">
        {order.changes.map((c, i) => (
          <li key={i}>
            {formatDateTime(locale, c.createdAt)} — {t(`order.status.${c.toStatus}`)} ({c.actor?.name ?? t("order.system")})
          </li>
        ))}
      </ol>
    </Card>
  );
}

/**
 * How to pay a VietQR order, also from the phone the shopper is holding (which cannot scan
 * its own screen): the QR to scan from another phone, the same QR as an image to save and
 * open from the bank app, each value with a copy button, and links that open a bank app.
 */
function VietQrPanel({ order, vietQr, qrPngHref }: { order: ReceiptOrder; vietQr: string; qrPngHref: string }) {
  const t = useT();
  const locale = useLocale();
  const transfer = {
    bankBin: order.payeeBankBin ?? "",
    accountNumber: order.payeeAccountNumber ?? "",
    amountVnd: order.totalVnd,
    memo: order.code,
  };
  const value = (text: string, copy: string, what: string, mono = false) => (
    <dd className="mb-2 flex flex-wrap items-center gap-x-2 gap-y-1">
      <span className={`select-all break-all font-semibold ${mono ? "font-mono" : ""}`}>{text}</span>
      <CopyButton text={copy} what={what} />
    </dd>
  );
  return (
    <div className="mt-3 rounded-md border border-brand-600 p-3" data-testid="vietqr-panel">
      <h3 className="font-semibold">{t("order.vietqrTitle")}</h3>
      <img src={vietQr} alt={t("order.vietqrTitle")} width={240} height={240} className="my-2" data-testid="vietqr" />
      <p>
        <a
          href={qrPngHref}
          download={`VietQR-${order.code}.png`}
          className="inline-flex min-h-11 items-center rounded-md bg-brand-700 px-4 py-2 font-semibold text-white no-underline"
        >
          {t("order.saveQr")}
        </a>
      </p>
      <p className="mt-2 mb-3 text-sm text-stone-700">{t("order.saveQrHint")}</p>
      <dl className="text-sm">
        <dt className="text-stone-600">{t("order.bank")}</dt>
        <dd className="mb-2 font-semibold">{bankName(order.payeeBankBin)}</dd>
        <dt className="text-stone-600">{t("order.account")}</dt>
        {value(order.payeeAccountNumber ?? "", order.payeeAccountNumber ?? "", t("order.account"), true)}
        <dt className="text-stone-600">{t("order.accountName")}</dt>
        <dd className="mb-2 font-semibold">{order.payeeAccountName}</dd>
        <dt className="text-stone-600">{t("order.amount")}</dt>
        {value(formatVnd(locale, order.totalVnd), String(order.totalVnd), t("order.amount"))}
        <dt className="text-stone-600">{t("order.memo")}</dt>
        {value(order.code, order.code, t("order.memo"), true)}
      </dl>
      <details className="mt-2">
        <summary className="inline-flex min-h-11 cursor-pointer items-center rounded-md border border-brand-700 px-4 py-2 font-semibold text-brand-800">
          {t("order.openBankApp")}
        </summary>
        <p className="mt-2 text-sm text-stone-700">{t("order.openBankAppHint")}</p>
        <ul className="mt-2 grid grid-cols-2 gap-2" data-testid="bank-apps">
          {BANK_APPS.map((app) => (
            <li key={app.id}>
              <a
                href={bankAppLink(app.id, transfer)}
                rel="noreferrer"
                className="flex min-h-11 items-center rounded-md border border-stone-300 px-3 py-2 text-sm font-semibold no-underline"
              >
                {app.name}
              </a>
            </li>
          ))}
        </ul>
      </details>
      <p className="mt-2 text-sm">{t("order.vietqrWait")}</p>
      {order.expiresAt ? (
        <p className="mt-1 text-sm font-semibold">{t("order.payBefore", { n: formatDateTime(locale, order.expiresAt) })}</p>
      ) : null}
    </div>
  );
}
