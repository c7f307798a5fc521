import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOwnLabel } from "~/web/label-request.server";
import { labelPng } from "~/domain/trace/label.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { input, fileBase } = await requireOwnLabel(request, params.batchId);
  return new Response(new Uint8Array(labelPng(input)), {
    headers: {
      "Content-Type": "image/png",
      "Content-Disposition": `attachment; filename="${fileBase}.png"`,
      "Cache-Control": "private, no-store",
    },
  });
}
