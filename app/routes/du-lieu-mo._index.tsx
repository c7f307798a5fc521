import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { OpenDataPage } from "~/components/open-data-page";
import { listSnapshotDays } from "~/domain/open-data/snapshots.server";
import { allowance } from "~/domain/security/rate-limits.server";
import { appUrl } from "~/lib/app-url.server";
import { setting } from "~/lib/env.server";

export const meta: MetaFunction = () => [
  { title: "Dữ liệu mở · ocop-trace" },
  { name: "description", content: "Dữ liệu mở về sản phẩm OCOP, lô hàng và truy xuất nguồn gốc, giấy phép CC BY 4.0." },
];

// One small read: the newest day with files, so the page never links a file that is not there
// yet (a new install has none until the first night's job).
export async function loader() {
  const [latestDay = null] = await listSnapshotDays();
  return { baseUrl: appUrl(), publisher: setting("OPEN_DATA_PUBLISHER"), perMinute: allowance("openDataList"), latestDay };
}

export default function OpenData() {
  return <OpenDataPage {...useLoaderData<typeof loader>()} />;
}
