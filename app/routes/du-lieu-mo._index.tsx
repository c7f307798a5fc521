import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { OpenDataPage } from "~/components/open-data-page";
import { allowance } from "~/domain/security/rate-limits.server";
import { appUrl } from "~/lib/app-url.server";
import { setting } from "~/lib/env.server";

export const meta: MetaFunction = () => [
  { title: "Dữ liệu mở · ocop-trace" },
  { name: "description", content: "Dữ liệu mở về sản phẩm OCOP, lô hàng và truy xuất nguồn gốc, giấy phép CC BY 4.0." },
];

// No database read: the page is the datasets' list and links.
export function loader() {
  return { baseUrl: appUrl(), publisher: setting("OPEN_DATA_PUBLISHER"), perMinute: allowance("openDataList") };
}

export default function OpenData() {
  return <OpenDataPage {...useLoaderData<typeof loader>()} />;
}
