import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiError, isPublicBatch } from "~/web/public-api.server";
import { batchEpcisDocument } from "~/domain/trace/epcis.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  if (!(await isPublicBatch(id))) return apiError(404, "unknown batch");
  const doc = await batchEpcisDocument(id);
  if (!doc) return apiError(404, "unknown batch");
  return new Response(JSON.stringify(doc), {
    headers: { "Content-Type": "application/ld+json; charset=utf-8", "Access-Control-Allow-Origin": "*" },
  });
}
