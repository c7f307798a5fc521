import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { dashboardChoice, requireProvinceViewer } from "~/web/inspection-access.server";
import { ALL_PROVINCES } from "~/domain/inspection/all-provinces";
import { provinceDashboard } from "~/domain/inspection/dashboard.server";
import { findProvince } from "~/domain/address/address.server";
import { BarChart } from "~/components/bar-chart";
import { Page, Card } from "~/components/layout";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate, formatMonth, formatNumber } from "~/i18n/locale";

export const meta: MetaFunction = () => [{ title: "Số liệu tỉnh · ocop-trace" }];

const dashboardQuery = z.object({ province: z.string().max(8).optional().catch(undefined) });

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireProvinceViewer(request);
  const { provinces, inspects } = viewer;
  // Another province than the viewer's own is simply not offered; asking for it falls back
  // to an inspector's first province, or to every province for an admin.
  const choice = dashboardChoice(viewer, dashboardQuery.parse(Object.fromEntries(new URL(request.url).searchParams)).province);
  const all = choice === ALL_PROVINCES;
  const d = await provinceDashboard(all ? (viewer.user.roles.includes("ADMIN") ? null : provinces) : choice);
  // Links only to pages this viewer may open: lots and recalls of provinces they inspect.
  const opens = (provinceCode: string) => inspects.includes(provinceCode);
  return {
    province: all ? null : { code: choice, name: findProvince(choice)?.name ?? choice },
    provinces: provinces.map((code) => ({ code, name: findProvince(code)?.name ?? code })),
    back: inspects.length > 0 ? "/inspector" : "/admin",
    ...d,
    openRecalls: d.openRecalls.map((r) => ({
      ...r,
      provinceName: findProvince(r.provinceCode)?.name ?? r.provinceCode,
      href: opens(r.provinceCode) ? `/inspector/recalls/${r.id}` : null,
    })),
    holds: d.holds.map((h) => ({
      ...h,
      provinceName: findProvince(h.provinceCode)?.name ?? h.provinceCode,
      href: opens(h.provinceCode) ? `/inspector/batches/${h.id}` : null,
    })),
  };
}

const STATUS_COLORS = ["#15803d"];
const RESULT_COLORS = ["#15803d", "#d97706", "#b91c1c"];

export default function ProvinceDashboard() {
  const t = useT();
  const locale = useLocale();
  const d = useLoaderData<typeof loader>();
  const th = "border-b border-stone-200 px-2 py-1 text-left font-medium";
  const td = "border-b border-stone-100 px-2 py-1";
  return (
    <Page title={d.province ? t("dash.title", { n: d.province.name }) : t("dash.titleAll")}>
      {d.provinces.length > 1 ? (
        <Form method="get" className="mb-4 flex items-end gap-2">
          <label className="flex-1">
            {t("store.province")}
            <select name="province" defaultValue={d.province?.code ?? ALL_PROVINCES}>
              <option value={ALL_PROVINCES}>{t("dash.allProvinces")}</option>
              <ProvinceOptions provinces={d.provinces} />
            </select>
          </label>
          <button type="submit" className="rounded-md border border-brand-700 px-4 py-2 text-brand-700">
            {t("dash.show")}
          </button>
        </Form>
      ) : null}
      <p className="mb-4">
        <Link to={d.back}>{d.back === "/admin" ? t("dash.backAdmin") : t("dash.queue")}</Link>
      </p>
      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("dash.eventsCsv")}</h2>
        <p className="mb-2 text-sm">{t("dash.eventsLead")}</p>
        <form method="get" action="/inspector/events.csv" className="grid grid-cols-2 gap-2 sm:grid-cols-3">
          {d.province ? (
            <input type="hidden" name="province" value={d.province.code} />
          ) : (
            <label className="col-span-2 text-sm sm:col-span-3">
              {t("store.province")}
              <select name="province" required defaultValue="" className="mt-1 block w-full">
                <option value="" disabled>
                  {t("dash.chooseProvince")}
                </option>
                <ProvinceOptions provinces={d.provinces} />
              </select>
            </label>
          )}
          <label className="text-sm">
            {t("dash.from")}
            <input type="date" name="from" className="mt-1 block w-full" />
          </label>
          <label className="text-sm">
            {t("dash.to")}
            <input type="date" name="to" className="mt-1 block w-full" />
          </label>
          <button type="submit" className="col-span-2 rounded-md border border-brand-700 px-4 py-2 text-brand-700 sm:col-span-1">
            {t("dash.download")}
          </button>
        </form>
      </Card>

      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("dash.batches")}</h2>
        <BarChart
          title={t("dash.batches")}
          bars={d.batchesByStatus.map((s) => ({ label: t(`batchStatus.${s.status}`), parts: [s.count] }))}
          colors={STATUS_COLORS}
        />
        <table className="w-full text-sm" data-testid="batches-by-status">
          <thead>
            <tr>
              <th className={th}>{t("dash.status")}</th>
              <th className={th}>{t("dash.count")}</th>
            </tr>
          </thead>
          <tbody>
            {d.batchesByStatus.map((s) => (
              <tr key={s.status}>
                <td className={td}>{t(`batchStatus.${s.status}`)}</td>
                <td className={td}>{formatNumber(locale, s.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>

      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("dash.inspections")}</h2>
        <BarChart
          title={t("dash.inspections")}
          bars={d.inspectionsByMonth.map((m) => ({ label: m.month.slice(5), parts: d.results.map((r) => m[r]) }))}
          colors={RESULT_COLORS}
          names={d.results.map((r) => t(`inspection.result.${r}`))}
        />
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="inspections-by-month">
            <thead>
              <tr>
                <th className={th}>{t("dash.month")}</th>
                {d.results.map((r) => (
                  <th key={r} className={th}>
                    {t(`inspection.result.${r}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {d.inspectionsByMonth.map((m) => (
                <tr key={m.month}>
                  <td className={td}>{formatMonth(locale, m.month)}</td>
                  {d.results.map((r) => (
                    <td key={r} className={td}>
                      {formatNumber(locale, m[r])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>

      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("dash.open", { n: d.openRecalls.length, m: d.holds.length })}</h2>
        {d.openRecalls.length + d.holds.length === 0 ? <p>{t("dash.noneOpen")}</p> : null}
        <ul className="space-y-1 text-sm" data-testid="open-actions">
          {d.openRecalls.map((r) => (
            <li key={r.id}>
              <span className="rounded bg-red-100 px-2 py-0.5 text-red-900">{t("recall.class", { n: r.severity })}</span>{" "}
              {r.href ? (
                <Link to={r.href}>{t("ib.title", { lot: r.lotCode, product: r.productName })}</Link>
              ) : (
                t("ib.title", { lot: r.lotCode, product: r.productName })
              )}
              {d.province ? "" : ` · ${r.provinceName}`} · {r.reason} · {formatDate(locale, r.createdAt)} ·{" "}
              {t("dash.notified", { n: r.buyersNotified })}
            </li>
          ))}
          {d.holds.map((h) => (
            <li key={h.id}>
              <span className="rounded bg-amber-100 px-2 py-0.5 text-amber-900">{t("batchStatus.ON_HOLD")}</span>{" "}
              {h.href ? (
                <Link to={h.href}>{t("ib.title", { lot: h.lotCode, product: h.productName })}</Link>
              ) : (
                t("ib.title", { lot: h.lotCode, product: h.productName })
              )}
              {d.province ? "" : ` · ${h.provinceName}`}
              {h.reason ? ` · ${h.reason}` : ""}
            </li>
          ))}
        </ul>
      </Card>

      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("dash.scans")}</h2>
        <BarChart
          title={t("dash.scans")}
          bars={d.scansByDay.map((s) => ({ label: s.day.slice(8), parts: [s.count] }))}
          colors={STATUS_COLORS}
          labelEvery={5}
        />
        <details>
          <summary className="cursor-pointer text-brand-700">{t("dash.asTable")}</summary>
          <table className="w-full text-sm" data-testid="scans-by-day">
            <thead>
              <tr>
                <th className={th}>{t("dash.day")}</th>
                <th className={th}>{t("dash.count")}</th>
              </tr>
            </thead>
            <tbody>
              {d.scansByDay.map((s) => (
                <tr key={s.day}>
                  <td className={td}>{formatDate(locale, s.day)}</td>
                  <td className={td}>{formatNumber(locale, s.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </Card>
    </Page>
  );
}

/** The provinces the viewer may choose, as options of a select. */
function ProvinceOptions({ provinces }: { provinces: { code: string; name: string }[] }) {
  return (
    <>
      {provinces.map((p) => (
        <option key={p.code} value={p.code}>
          {p.name}
        </option>
      ))}
    </>
  );
}
