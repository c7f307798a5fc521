import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { reportPageData, reportTargetByGs1, sendReport } from "~/web/report.server";
import { ReportPage } from "~/components/report-page";
import type { RouteHandle } from "~/lib/body-limits";

// "Report a problem" from a unit page reached by its GS1 path (see t.$code.report.tsx).
export const handle = { hydrate: false, body: "upload" } satisfies RouteHandle;

export async function loader({ params }: LoaderFunctionArgs) {
  return reportPageData(await reportTargetByGs1(params));
}

export const meta: MetaFunction = () => [{ title: "Báo cáo vấn đề · ocop-trace" }, { name: "robots", content: "noindex" }];

export async function action({ request, params }: ActionFunctionArgs) {
  return sendReport(request, await reportTargetByGs1(params));
}

export default ReportPage;
