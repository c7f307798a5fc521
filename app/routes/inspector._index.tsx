import type { BatchStatus } from "@prisma/client";
import { enumValues } from "~/lib/enum-values";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireInspector } from "~/web/inspection-access.server";
import { auditQueue, queueQuery } from "~/domain/inspection/queue.server";
import { RISK_REASONS } from "~/domain/inspection/risk";
import { OCOP_GROUPS } from "~/domain/catalog/ocop";
import { findProvince } from "~/domain/address/address.server";
import { Page } from "~/components/layout";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate } from "~/i18n/locale";

// Client-safe list of the schema's batch statuses (see enumValues).
const BATCH_STATUSES = enumValues<BatchStatus>({ ACTIVE: true, ON_HOLD: true, RECALLED: true, DEPLETED: true });

export const meta: MetaFunction = () => [{ title: "Hàng đợi kiểm tra · ocop-trace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { provinces } = await requireInspector(request);
  const query = queueQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const queue = await auditQueue(provinces, query);
  return { query, ...queue, provinces: provinces.map((code) => ({ code, name: findProvince(code)?.name ?? code })) };
}

export default function InspectorQueue() {
  const t = useT();
  const locale = useLocale();
  const { query, batches, total, pages, provinces } = useLoaderData<typeof loader>();
  const pageLink = (page: number) => {
    const params = new URLSearchParams(
      Object.entries(query)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    params.set("page", String(page));
    return `/inspector?${params}`;
  };
  return (
    <Page title={t("inspector.title")}>
      <p className="mb-2">{t("inspector.lead")}</p>
      <p className="mb-3 flex flex-wrap gap-4 text-sm">
        <Link to="/inspector/ledger">{t("inspector.ledger")}</Link>
        <Link to="/inspector/dashboard">{t("inspector.dashboard")}</Link>
        <Link to="/inspector/reviews">{t("review.moderateTitle")}</Link>
      </p>
      <form method="get" className="mb-4 grid grid-cols-2 gap-2 rounded-lg border border-stone-200 bg-white p-3 sm:grid-cols-4">
        <label className="text-sm">
          {t("store.province")}
          <select name="province" defaultValue={query.province ?? ""} className="mt-1 block w-full">
            <option value="">{t("store.any")}</option>
            {provinces.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          {t("store.group")}
          <select name="group" defaultValue={query.group ?? ""} className="mt-1 block w-full">
            <option value="">{t("store.any")}</option>
            {OCOP_GROUPS.map((g) => (
              <option key={g} value={g}>
                {t(`ocop.group.${g}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          {t("inspector.status")}
          <select name="status" defaultValue={query.status ?? ""} className="mt-1 block w-full">
            <option value="">{t("store.any")}</option>
            {BATCH_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`batchStatus.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          {t("inspector.reason")}
          <select name="reason" defaultValue={query.reason ?? ""} className="mt-1 block w-full">
            <option value="">{t("store.any")}</option>
            {RISK_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`risk.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          className="col-span-2 rounded-md border border-brand-700 px-3 py-1 font-semibold text-brand-700 sm:col-span-4"
        >
          {t("store.filter")}
        </button>
      </form>
      <p className="mb-2 text-sm" role="status">
        {t("inspector.results", { n: total })}
      </p>
      {batches.length === 0 ? <p>{t("inspector.none")}</p> : null}
      <ol className="space-y-2">
        {batches.map((b) => (
          <li key={b.id} className="rounded-lg border border-stone-200 bg-white p-3">
            <Link to={`/inspector/batches/${b.id}`} className="font-semibold">
              {t("ib.title", { lot: b.lotCode, product: b.product.name })}
            </Link>
            <p className="text-sm text-stone-700">
              {b.product.producer.name} · {findProvinceName(provinces, b.product.producer.provinceCode)} ·{" "}
              {formatDate(locale, b.producedAt)} · {t(`batchStatus.${b.status}`)}
            </p>
            {b.status === "ON_HOLD" && b.holdUntil ? (
              <p className="text-sm font-semibold text-amber-900" data-phi-hold>
                {t("inspector.phiHold", { until: b.holdUntil })}
              </p>
            ) : null}
            <p className="text-sm font-semibold">{t("inspector.score", { n: b.score })}</p>
            <ul className="flex flex-wrap gap-1 text-xs">
              {b.reasons.map((r) => (
                <li key={r} className="rounded bg-amber-100 px-2 py-0.5 text-amber-900">
                  {t(`risk.${r}`)}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      {pages > 1 ? (
        <nav className="mt-4 flex justify-between">
          {query.page > 1 ? <Link to={pageLink(query.page - 1)}>{t("store.prev")}</Link> : <span />}
          <span className="text-sm">{t("store.page", { n: query.page, m: pages })}</span>
          {query.page < pages ? <Link to={pageLink(query.page + 1)}>{t("store.next")}</Link> : <span />}
        </nav>
      ) : null}
    </Page>
  );
}

function findProvinceName(provinces: { code: string; name: string }[], code: string) {
  return provinces.find((p) => p.code === code)?.name ?? code;
}
