import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { buyerOrderPath } from "~/domain/orders/order-links.server";
import { REVIEW_MAX_CHARS } from "~/domain/reviews/review-input";
import { reviewsOfOrder } from "~/domain/reviews/reviews.server";
import { notFound } from "~/web/auth.server";
import { orderForRequest } from "~/web/order-viewer.server";
import { reviewAction } from "~/web/review-forms.server";
import { fieldProps, useReplyForm } from "~/components/use-reply-form";
import { Card, Page } from "~/components/layout";
import { FormError, SubmitButton, TextAreaField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";
import type { RouteHandle } from "~/lib/body-limits";

// The review's optional photo comes as a multipart upload (the edge's upload limits).
export const handle = { body: "upload" } satisfies RouteHandle;

export const meta: MetaFunction = () => [{ title: "Đánh giá · ocop-trace" }, { name: "robots", content: "noindex" }];

// A review of one line of the buyer's order: the order is proved theirs exactly as its own page
// is (their session, or a guest's order link), and the form is offered only once it was delivered.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const order = await orderForRequest(request, params.code ?? "");
  const line = order.lines.find((l) => l.id === params.lineId);
  if (!line) throw notFound();
  const own = (await reviewsOfOrder(order.id)).find((r) => r.orderLineId === line.id) ?? null;
  return {
    productName: line.product.name,
    lots: [...new Set(line.allocations.map((a) => a.batch.lotCode))],
    delivered: order.status === "DELIVERED",
    reviewed: Boolean(own),
    back: buyerOrderPath(order),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const order = await orderForRequest(request, params.code ?? "");
  return reviewAction(request, order, params.lineId ?? "");
}

export default function ReviewLine() {
  const t = useT();
  const page = useLoaderData<typeof loader>();
  const { form, fields, formError, busy } = useReplyForm<"rating" | "body" | "photo">();
  const rating = fields.rating.initialValue;
  return (
    <Page title={t("review.pageTitle", { n: page.productName })}>
      <FormError error={formError} />
      {!page.delivered ? (
        <p role="status">{t("review.notDelivered")}</p>
      ) : page.reviewed ? (
        <p role="status">{t("review.already")}</p>
      ) : (
        <Card>
          <p className="mb-3 text-sm text-stone-700">{t("review.pageLead", { n: page.lots.join(", ") })}</p>
          <Form method="post" encType="multipart/form-data" noValidate id={form.id} onSubmit={form.onSubmit}>
            <fieldset className="mb-3" aria-describedby={fields.rating.errors ? "rating-error" : undefined}>
              <legend className="mb-1 font-semibold">{t("review.rating")}</legend>
              <div className="flex flex-wrap gap-2">
                {[5, 4, 3, 2, 1].map((n) => (
                  <label key={n} className="flex min-h-11 items-center gap-1 rounded-md border border-stone-300 px-3">
                    <input type="radio" name="rating" value={String(n)} defaultChecked={rating === String(n)} required />
                    <span className="whitespace-nowrap">{t("review.stars", { n })}</span>
                  </label>
                ))}
              </div>
              {fields.rating.errors ? (
                <p id="rating-error" className="mt-1 text-sm text-red-800">
                  {t(fields.rating.errors[0]!)}
                </p>
              ) : null}
            </fieldset>
            <TextAreaField
              {...fieldProps(fields.body)}
              label={t("review.body")}
              hint={t("review.bodyHint", { n: REVIEW_MAX_CHARS })}
              maxLength={REVIEW_MAX_CHARS}
              required
            />
            <div className="mb-3">
              <label htmlFor="photo" className="mb-1 block font-semibold">
                {t("review.photo")}
              </label>
              <input id="photo" name="photo" type="file" accept="image/jpeg,image/png,image/webp" />
              {fields.photo.errors ? <p className="mt-1 text-sm text-red-800">{t(fields.photo.errors[0]!)}</p> : null}
            </div>
            <SubmitButton busy={busy}>{t("review.submit")}</SubmitButton>
          </Form>
        </Card>
      )}
      <p className="mt-3">
        <Link to={page.back}>{t("order.title", { n: "" }).trim()}</Link>
      </p>
    </Page>
  );
}
