import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { reportPageData, reportTargetByCode, sendReport } from "~/web/report.server";
import { ReportPage } from "~/components/report-page";
import type { RouteHandle } from "~/lib/body-limits";

// "Report a problem" from a scanned code: works with JavaScript off, stored for inspectors.
export const handle = { hydrate: false, body: "upload" } satisfies RouteHandle;

export async function loader({ params }: LoaderFunctionArgs) {
  return reportPageData(await reportTargetByCode(params.code));
}

export const meta: MetaFunction = () => [{ title: "Báo cáo vấn đề · ocop-trace" }, { name: "robots", content: "noindex" }];

export async function action({ request, params }: ActionFunctionArgs) {
  return sendReport(request, await reportTargetByCode(params.code));
}

export default ReportPage;
