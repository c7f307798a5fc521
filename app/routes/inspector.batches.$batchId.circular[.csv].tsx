import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAuditorForBatch } from "~/web/inspection-access.server";
import { circularCsv, circularDataset } from "~/domain/inspection/exports.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAuditorForBatch(request, params.batchId ?? "");
  const dataset = await circularDataset(params.batchId ?? "");
  if (!dataset) throw new Response("Not Found", { status: 404 });
  return new Response(circularCsv(dataset), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="tt02-2024-${params.batchId}.csv"` },
  });
}
