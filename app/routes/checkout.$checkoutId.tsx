import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ordersOfCheckout } from "~/domain/orders/order-lookup.server";
import { receiptLinks } from "~/domain/orders/order-links.server";
import { vietQrImage } from "~/domain/payments/vietqr-image.server";
import { getSessionUserId } from "~/web/session.server";
import { notFound } from "~/web/auth.server";
import { Page } from "~/components/layout";
import { OrderReceipt } from "~/components/order-receipt";
import { useT } from "~/i18n/use-t";

export const meta: MetaFunction = () => [{ title: "Đã đặt hàng · ocop-trace" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const checkoutId = params.checkoutId ?? "";
  const orders = await ordersOfCheckout(checkoutId, { userId: await getSessionUserId(request) });
  if (orders.length === 0) throw notFound();
  return {
    checkoutId,
    orders: await Promise.all(orders.map(async (order) => ({ order, vietQr: await vietQrImage(order), ...receiptLinks(order) }))),
  };
}

export default function CheckoutDone() {
  const t = useT();
  const { checkoutId, orders } = useLoaderData<typeof loader>();
  return (
    <Page title={t("checkout.done")}>
      <p className="mb-1">{t("checkout.doneLead")}</p>
      <p className="mb-3 text-sm text-stone-700">{t("checkout.keepLink")}</p>
      {orders.map(({ order, vietQr, orderHref, qrPngHref }) => (
        <OrderReceipt
          key={order.code}
          order={order}
          vietQr={vietQr}
          payAction={`/orders/${order.code}?checkout=${checkoutId}`}
          orderHref={orderHref}
          qrPngHref={qrPngHref}
        />
      ))}
    </Page>
  );
}
