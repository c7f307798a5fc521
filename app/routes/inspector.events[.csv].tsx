import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import stylesheet from "~/styles/tailwind.css";
import { forbidden } from "~/web/auth.server";
import { requireProvinceViewer } from "~/web/inspection-access.server";
import { provinceEventsCsv } from "~/domain/inspection/exports.server";
import { findProvince } from "~/domain/address/address.server";
import { getTranslator } from "~/i18n/locale.server";
import { isoDate } from "~/domain/input/fields";
import { toIsoDay, vnDayStart } from "~/lib/time";
import { refusal } from "~/i18n/refusal";

const query = z.object({
  province: z.string().refine((c) => Boolean(findProvince(c)), "error.chooseProvince"),
  from: isoDate.optional(),
  to: isoDate.optional(),
});

function escapeHtml(s: string) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The dashboard's form opens this URL in the browser: a refused request answers 400 with a
 * short page in the inspector's language and a way back, not a file to save.
 */
async function refused(request: Request, message: string, province: string | undefined): Promise<Response> {
  const { locale, t } = await getTranslator(request);
  const back =
    province && findProvince(province) ? `/inspector/dashboard?province=${encodeURIComponent(province)}` : "/inspector/dashboard";
  const html = `<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(t("export.errorTitle"))} · ocop-trace</title><link rel="stylesheet" href="${stylesheet}"></head><body><main class="mx-auto max-w-xl px-4 py-6"><div class="rounded-md border border-red-300 bg-red-50 p-4" role="alert"><h1 class="mb-2 text-xl font-bold text-red-900">${escapeHtml(t("export.errorTitle"))}</h1><p>${escapeHtml(t(message))}</p></div><p class="mt-4"><a href="${back}">${escapeHtml(t("export.back"))}</a></p></main></body></html>`;
  return new Response(html, { status: 400, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

const dmy = (d: Date) => toIsoDay(d).split("-").reverse().join("/");

// Every event of a province in a date range, streamed as CSV: inspectors of that province and admins.
// The dates are Vietnam days: from 00:00 of `from` to before 00:00 of `to` (the form says "Before").
export async function loader({ request }: LoaderFunctionArgs) {
  const { provinces } = await requireProvinceViewer(request);
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = query.safeParse(params);
  if (!parsed.success) return refused(request, "export.badQuery", params.province);
  const { province, from, to } = parsed.data;
  if (!provinces.includes(province)) throw forbidden();
  if (from && to && to.getTime() <= from.getTime())
    return refused(request, refusal("export.rangeReversed", { n: dmy(from), m: dmy(to) }), province);
  return new Response(provinceEventsCsv(province, from ? vnDayStart(from) : null, to ? vnDayStart(to) : null), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="events-${province}.csv"` },
  });
}
