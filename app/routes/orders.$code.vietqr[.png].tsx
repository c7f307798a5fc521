import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/web/auth.server";
import { vietQrFileName, vietQrPng } from "~/domain/payments/vietqr-image.server";
import { orderForRequest } from "~/web/order-viewer.server";

// "Lưu ảnh QR": the order's VietQR as a PNG download, for the same people as the order page.
export async function loader({ request, params }: LoaderFunctionArgs): Promise<Response> {
  const order = await orderForRequest(request, params.code ?? "");
  const png = order.status === "PENDING_PAYMENT" ? await vietQrPng(order) : null;
  if (!png) throw notFound();
  return new Response(new Uint8Array(png), {
    headers: {
      "Content-Type": "image/png",
      "Content-Disposition": `attachment; filename="${vietQrFileName(order.code)}"`,
      "Cache-Control": "private, no-store",
      "X-Robots-Tag": "noindex",
    },
  });
}
