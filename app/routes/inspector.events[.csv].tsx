import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { forbidden } from "~/domain/identity/auth.server";
import { requireProvinceViewer } from "~/domain/inspection/access.server";
import { provinceEventsCsv } from "~/domain/inspection/exports.server";
import { findProvince } from "~/domain/address/address.server";
import { isoDate } from "~/lib/fields";

const query = z.object({
  province: z.string().refine((c) => Boolean(findProvince(c)), "error.chooseProvince"),
  from: isoDate.optional(),
  to: isoDate.optional(),
});

// Every event of a province in a date range, streamed as CSV: inspectors of that province and admins.
export async function loader({ request }: LoaderFunctionArgs) {
  const { provinces } = await requireProvinceViewer(request);
  const parsed = query.safeParse(Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== "")));
  if (!parsed.success) return new Response("Cần chọn tỉnh; ngày theo dạng YYYY-MM-DD. / province (code) is required; from/to are YYYY-MM-DD.", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const { province, from, to } = parsed.data;
  if (!provinces.includes(province)) throw forbidden();
  return new Response(provinceEventsCsv(province, from ?? null, to ?? null), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="events-${province}.csv"` },
  });
}
