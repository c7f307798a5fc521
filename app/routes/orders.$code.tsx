import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { receiptLinks } from "~/domain/orders/order-links.server";
import { cancelOrder, startCardPayment } from "~/domain/payments/payments.server";
import { vietQrImage } from "~/domain/payments/vietqr-image.server";
import { orderForRequest } from "~/web/order-viewer.server";
import { reviewsOfOrder } from "~/domain/reviews/reviews.server";
import { OrderLineReviews } from "~/components/reviews";
import { Page } from "~/components/layout";
import { FormError } from "~/components/form-fields";
import { OrderReceipt } from "~/components/order-receipt";
import { receiptAlerts } from "~/web/recall-alerts.server";
import { ReceiptRecallAlerts } from "~/components/recall-alerts";
import { useT } from "~/i18n/use-t";
import { refusal } from "~/i18n/refusal";

export const meta: MetaFunction = () => [{ title: "Đơn hàng · ocop-trace" }, { name: "robots", content: "noindex" }];

// A signed-in buyer sees their own orders; a guest sees theirs through the
// unguessable checkout id carried in the link they were given (web/order-viewer.server.ts).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const order = await orderForRequest(request, params.code ?? "");
  return {
    order,
    vietQr: await vietQrImage(order),
    links: receiptLinks(order),
    reviews: await reviewsOfOrder(order.id),
    recallAlerts: await receiptAlerts(request, order),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const order = await orderForRequest(request, params.code ?? "");
  const intent = (await request.formData()).get("intent");
  if (intent === "pay") {
    const card = await startCardPayment(order.id);
    if (card.ok) return redirect(card.url);
    return data({ error: card.error }, { status: 409 });
  }
  if (intent === "cancel") {
    if (!["PENDING_PAYMENT", "PENDING_CONFIRMATION", "CONFIRMED"].includes(order.status))
      return data({ error: refusal("order.illegalMove", { n: order.status, m: "CANCELLED" }) }, { status: 409 });
    const moved = await cancelOrder(order.id, order.buyerId, "buyer");
    return moved.ok ? redirect(new URL(request.url).pathname + new URL(request.url).search) : data({ error: moved.error }, { status: 409 });
  }
  return data({ error: "error.badRequest" }, { status: 400 });
}

export default function OrderPage() {
  const t = useT();
  const { order, vietQr, links, reviews, recallAlerts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const here = `/orders/${order.code}?${search.toString()}`;
  return (
    <Page title={t("order.title", { n: order.code })}>
      <FormError error={result?.error} />
      {search.get("paid") && order.status === "PENDING_PAYMENT" ? (
        <p className="mb-3 rounded-md border border-amber-400 bg-amber-50 p-3" role="status">
          {t("order.cardReturn")}
        </p>
      ) : null}
      <OrderReceipt order={order} vietQr={vietQr} payAction={here} {...links} />
      <ReceiptRecallAlerts alerts={recallAlerts} />
      <OrderLineReviews
        lines={order.lines}
        reviews={reviews}
        delivered={order.status === "DELIVERED"}
        posted={search.get("reviewed") === "1"}
        reviewPath={(lineId) =>
          `/orders/${order.code}/review/${lineId}${search.get("checkout") ? `?checkout=${encodeURIComponent(search.get("checkout")!)}` : ""}`
        }
      />
      {["PENDING_PAYMENT", "PENDING_CONFIRMATION", "CONFIRMED"].includes(order.status) ? (
        <Form method="post" action={here}>
          <button type="submit" name="intent" value="cancel" className="text-sm text-red-800 underline">
            {t("order.cancel")}
          </button>
        </Form>
      ) : null}
    </Page>
  );
}
