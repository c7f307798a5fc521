import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireInspectorForBatch } from "~/domain/inspection/access.server";
import { circularDataset } from "~/domain/inspection/exports.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireInspectorForBatch(request, params.batchId ?? "");
  const dataset = await circularDataset(params.batchId ?? "");
  return Response.json(dataset, { headers: { "Content-Disposition": `attachment; filename="tt02-2024-${params.batchId}.json"` } });
}
