import type { LoaderFunctionArgs } from "@remix-run/node";
import { findTraceView } from "~/domain/trace/trace-page.server";
import { apiError, apiJson, traceJson } from "~/web/public-api.server";

// The same facts as the trace page, as JSON. Reading it is not a scan.
export async function loader({ params }: LoaderFunctionArgs) {
  const view = await findTraceView(params.code ?? "");
  if (!view) return apiError(404, "unknown code");
  return apiJson(traceJson(view));
}
