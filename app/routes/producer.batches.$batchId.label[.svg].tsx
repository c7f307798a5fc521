import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOwnLabel } from "~/web/label-request.server";
import { labelSvg } from "~/domain/trace/label.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { input, fileBase } = await requireOwnLabel(request, params.batchId);
  const download = new URL(request.url).searchParams.has("download");
  return new Response(labelSvg(input), {
    headers: {
      "Content-Type": "image/svg+xml; charset=utf-8",
      ...(download ? { "Content-Disposition": `attachment; filename="${fileBase}.svg"` } : {}),
      "Cache-Control": "private, no-store",
    },
  });
}
