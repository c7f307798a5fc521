import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAuditorForBatch } from "~/web/inspection-access.server";
import { circularDataset } from "~/domain/inspection/exports.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAuditorForBatch(request, params.batchId ?? "");
  const dataset = await circularDataset(params.batchId ?? "");
  if (!dataset) throw new Response("Not Found", { status: 404 });
  return Response.json(dataset, { headers: { "Content-Disposition": `attachment; filename="tt02-2024-${params.batchId}.json"` } });
}
