import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireProducerMember } from "~/web/auth.server";
import { producerDashboard, SCAN_WINDOW_DAYS } from "~/domain/catalog/dashboard.server";
import { openFlagsOfProducer } from "~/domain/trace/signals.server";
import { Page, Card } from "~/components/layout";
import { ScanChart } from "~/components/scan-chart";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate, formatNumber, formatVnd } from "~/i18n/locale";

export async function loader({ request }: LoaderFunctionArgs) {
  const { producer, membership } = await requireProducerMember(request);
  const [{ products, warnings }, flags] = await Promise.all([producerDashboard(producer.id), openFlagsOfProducer(producer.id)]);
  return {
    producer: { name: producer.name, status: producer.status, statusReason: producer.statusReason },
    products,
    warnings,
    flags,
    scanDays: SCAN_WINDOW_DAYS,
    actingAsHelper: membership.role === "HELPER",
    isOwner: membership.role === "OWNER",
  };
}

export default function ProducerHome() {
  const t = useT();
  const locale = useLocale();
  const { producer, products, warnings, flags, scanDays, actingAsHelper, isOwner } = useLoaderData<typeof loader>();
  return (
    <Page title={producer.name}>
      {actingAsHelper ? (
        <p className="mb-4 rounded-md border border-sky-300 bg-sky-50 p-3" role="status">
          {t("helper.actingBanner", { producer: producer.name })} <Link to="/helper">{t("helper.switch")}</Link>
        </p>
      ) : null}
      <p className="mb-3 flex flex-wrap gap-4 text-sm">
        <Link to="/producer/orders">{t("producerOrders.link")}</Link>
        <Link to="/producer/reviews">{t("review.producerTitle")}</Link>
        {isOwner ? <Link to="/producer/profile">{t("profile.bankTitle")}</Link> : null}
        {!actingAsHelper ? <Link to="/producer/delivery">{t("delivery.settingsLink")}</Link> : null}
        {isOwner ? <Link to="/producer/helpers">{t("helpers.title")}</Link> : null}
      </p>
      {producer.status === "PENDING" ? (
        <p className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3" role="status">
          {t("producer.pendingNotice")}
        </p>
      ) : null}
      {producer.status === "SUSPENDED" ? (
        <p className="mb-4 rounded-md border border-red-300 bg-red-50 p-3" role="alert">
          {t("producer.suspendedNotice")} {producer.statusReason ?? ""}
        </p>
      ) : null}
      {flags.length ? (
        <section className="mb-4 rounded-md border border-red-300 bg-red-50 p-3" role="alert">
          <h2 className="font-semibold text-red-900">{t("flags.title")}</h2>
          <ul className="list-disc pl-5 text-sm">
            {flags.map((f) => (
              <li key={f.id}>
                {t(`flags.rule.${f.rule}`)} —{" "}
                <Link to={`/producer/batches/${f.code.batch.id}`}>
                  {f.code.batch.product.name} · {f.code.batch.lotCode}
                </Link>
                {f.code.serial ? ` · ${f.code.serial}` : ""} · {formatDate(locale, f.createdAt)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {warnings.map((w) => (
        <p key={`${w.productId}-${w.decisionNumber}`} className="mb-3 rounded-md border border-amber-300 bg-amber-50 p-3" role="status">
          <Link to={`/producer/products/${w.productId}#certificates`}>{w.productName}</Link>: {t(`cert.expiresIn${w.days}`)} (
          {formatDate(locale, w.validUntil)})
        </p>
      ))}
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-semibold">{t("producer.products")}</h2>
        {producer.status !== "SUSPENDED" ? (
          <Link to="/producer/products/new" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white no-underline">
            {t("producer.addProduct")}
          </Link>
        ) : null}
      </div>
      {products.length === 0 ? <p>{t("producer.noProducts")}</p> : null}
      <ul>
        {products.map((p) => (
          <li key={p.id}>
            <Card>
              <Link to={`/producer/products/${p.id}`} className="font-semibold">
                {p.name}
              </Link>
              <p className="text-sm text-stone-600">
                {t(`ocop.group.${p.ocopGroup}`)} · {formatVnd(locale, p.priceVnd)} / {t(`unit.${p.unit}`)}
              </p>
              <p className="text-sm">
                {p.certificates.length
                  ? p.certificates.map((c) => `${"★".repeat(c.stars)} ${t(`certStatus.${c.status}`)}`).join(" · ")
                  : t("cert.none")}
              </p>
              {p.batches.length ? (
                <table className="mt-2 w-full text-left text-sm">
                  <thead>
                    <tr className="text-stone-600">
                      <th className="font-normal">{t("batch.lot")}</th>
                      <th className="font-normal">{t("batch.stock")}</th>
                      <th className="font-normal">{t("batch.status")}</th>
                      <th className="font-normal">{t("dashboard.scans", { days: scanDays })}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.batches.map((b) => {
                      const total = b.scans.reduce((a, n) => a + n, 0);
                      return (
                        <tr key={b.id}>
                          <td>
                            <Link to={`/producer/batches/${b.id}`}>{b.lotCode}</Link>
                          </td>
                          <td>
                            {formatNumber(locale, b.stock)}/{formatNumber(locale, b.quantity)}
                          </td>
                          <td>{t(`batchStatus.${b.status}`)}</td>
                          <td className="whitespace-nowrap">
                            <ScanChart series={b.scans} label={t("dashboard.scanChart", { lot: b.lotCode, n: total, days: scanDays })} />{" "}
                            {formatNumber(locale, total)}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              ) : null}
            </Card>
          </li>
        ))}
      </ul>
    </Page>
  );
}
