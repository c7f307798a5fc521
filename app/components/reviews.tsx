import type { ReactNode } from "react";
import { Form, Link } from "@remix-run/react";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate } from "~/i18n/locale";
import { Card } from "~/components/layout";
import { SubmitButton } from "~/components/form-fields";

// Reviews by people who received the lot: on the product page (average, count, newest, each
// naming its lots with a link to their trace page), on a lot's trace page (no JavaScript, no
// photos) and on the buyer's order page (a "Đánh giá" link per delivered line).

type ReviewText = { id: string; authorName: string; rating: number; body: string; reply: string | null; createdAt: Date | string };

export type ProductReviewsData = {
  average: number | null;
  count: number;
  newest: (ReviewText & {
    photoKey: string | null;
    photoWidth: number | null;
    photoHeight: number | null;
    lots: { lotCode: string; traceCode: string | null }[];
  })[];
};

function Stars({ rating }: { rating: number }) {
  const t = useT();
  return (
    <span className="text-amber-700" role="img" aria-label={t("review.stars", { n: rating })}>
      {"★".repeat(rating)}
      <span className="text-stone-300">{"★".repeat(5 - rating)}</span>
    </span>
  );
}

function ReviewBody({ review }: { review: ReviewText }) {
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <p className="text-sm">
        <Stars rating={review.rating} /> <span className="font-semibold">{review.authorName}</span>
        <span className="text-stone-600">
          {" · "}
          {t("review.verifiedBuyer")} · {formatDate(locale, review.createdAt)}
        </span>
      </p>
      <p className="mt-1 whitespace-pre-line break-words">{review.body}</p>
      {review.reply ? (
        <p className="mt-2 border-l-4 border-stone-300 pl-2 text-sm text-stone-700">
          <span className="font-semibold">{t("review.reply")}</span> <span className="whitespace-pre-line">{review.reply}</span>
        </p>
      ) : null}
    </>
  );
}

/** The product page's section: average, count, "Đã bán N" and the newest reviews. */
export function ProductReviews({ reviews, soldUnits }: { reviews: ProductReviewsData; soldUnits: number }) {
  const t = useT();
  return (
    <Card>
      <h2 className="mb-1 text-lg font-semibold" id="reviews">
        {t("review.title")}
      </h2>
      <p className="mb-2" data-testid="review-summary">
        {reviews.count > 0 && reviews.average !== null ? (
          <>
            <span className="font-semibold text-amber-800">★ {t("review.average", { n: reviews.average.toFixed(1) })}</span>
            {" · "}
            {t("review.count", { n: reviews.count })}
          </>
        ) : (
          <span className="text-stone-600">{t("review.none")}</span>
        )}
        {soldUnits > 0 ? (
          <>
            {" · "}
            {t("review.sold", { n: soldUnits })}
          </>
        ) : null}
      </p>
      <ul className="space-y-3">
        {reviews.newest.map((r) => (
          <li key={r.id} className="border-t border-stone-200 pt-2">
            <ReviewBody review={r} />
            {r.photoKey && r.photoWidth && r.photoHeight ? (
              <img
                src={`/media/${r.photoKey}-320.webp`}
                alt=""
                loading="lazy"
                width={160}
                height={Math.round((160 * r.photoHeight) / r.photoWidth)}
                className="mt-2 h-auto w-40 rounded"
              />
            ) : null}
            <p className="mt-1 text-sm text-stone-600">
              {t("review.aboutLots")}{" "}
              {r.lots.map((lot, i) => (
                <span key={lot.lotCode}>
                  {i > 0 ? ", " : null}
                  {lot.traceCode ? (
                    <Link reloadDocument to={`/t/${lot.traceCode}`}>
                      {t("review.lot", { n: lot.lotCode })}
                    </Link>
                  ) : (
                    t("review.lot", { n: lot.lotCode })
                  )}
                </span>
              ))}
            </p>
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** A lot's reviews on its trace page: plain markup, a few lines of text. */
export function LotReviewList({ reviews }: { reviews: { count: number; newest: ReviewText[] } }) {
  const t = useT();
  if (reviews.count === 0) return null;
  return (
    <section className="mx-auto max-w-xl px-4 pb-6" aria-labelledby="lot-reviews">
      <h2 id="lot-reviews" className="mb-1 text-lg font-semibold">
        {t("review.lotTitle")}
      </h2>
      <p className="mb-2 text-sm text-stone-600">{t("review.lotCount", { n: reviews.count })}</p>
      <ul className="space-y-3">
        {reviews.newest.map((r) => (
          <li key={r.id} className="rounded-md border border-stone-200 bg-white p-3">
            <ReviewBody review={r} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export type OwnLineReview = { orderLineId: string; rating: number; hiddenAt: Date | string | null; hiddenReason: string | null };

/** On the buyer's order page: per line, "Đánh giá" once delivered, or what became of their review. */
export function OrderLineReviews({
  lines,
  reviews,
  delivered,
  posted,
  reviewPath,
}: {
  lines: { id: string; product: { name: string } }[];
  reviews: OwnLineReview[];
  delivered: boolean;
  posted: boolean;
  reviewPath: (lineId: string) => string;
}) {
  const t = useT();
  if (!delivered) return null;
  return (
    <Card>
      <h2 className="mb-1 text-lg font-semibold">{t("review.title")}</h2>
      {posted ? (
        <p className="mb-2 text-brand-700" role="status">
          {t("review.posted")}
        </p>
      ) : null}
      <ul className="space-y-2">
        {lines.map((line) => {
          const own = reviews.find((r) => r.orderLineId === line.id);
          return (
            <li key={line.id} className="flex flex-wrap items-center justify-between gap-2">
              <span>{line.product.name}</span>
              {own ? (
                <span className="text-sm">
                  {t("review.yours", { n: own.rating })}
                  {own.hiddenAt ? (
                    <span className="block text-red-800" role="status">
                      {t("review.hiddenNotice", { n: own.hiddenReason ?? "" })}
                    </span>
                  ) : null}
                </span>
              ) : (
                <Link
                  to={reviewPath(line.id)}
                  className="rounded-md bg-brand-700 px-3 py-2 font-semibold text-white no-underline"
                  aria-label={`${t("review.write")}: ${line.product.name}`}
                >
                  {t("review.write")}
                </Link>
              )}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

type StaffReview = {
  id: string;
  authorName: string;
  rating: number;
  body: string;
  createdAt: Date | string;
  hiddenAt: Date | string | null;
  hiddenReason: string | null;
};

/**
 * One review on the producer's page and the moderators' page: what it is about (`about`), who
 * said what, why it was hidden, then the page's own part (the answer, the hide form).
 */
export function StaffReviewCard({ review, about, children }: { review: StaffReview; about: string; children: ReactNode }) {
  const t = useT();
  const locale = useLocale();
  return (
    <Card>
      <p className="text-sm text-stone-600">
        {about} · {formatDate(locale, review.createdAt)}
      </p>
      <p>
        <span className="text-amber-700">{"★".repeat(review.rating)}</span> <span className="font-semibold">{review.authorName}</span>
      </p>
      <p className="whitespace-pre-line break-words">{review.body}</p>
      {review.hiddenAt ? <p className="text-sm text-red-800">{t("review.hiddenBy", { n: review.hiddenReason ?? "" })}</p> : null}
      {children}
    </Card>
  );
}

/** A form posted from one review's row; the server reads the review from `reviewId` (reviewRowAction). */
export function ReviewRowForm({
  reviewId,
  busy,
  submitLabel,
  children,
}: {
  reviewId: string;
  busy: boolean;
  submitLabel: string;
  children: ReactNode;
}) {
  return (
    <Form method="post" className="mt-2">
      <input type="hidden" name="reviewId" value={reviewId} />
      {children}
      <SubmitButton busy={busy}>{submitLabel}</SubmitButton>
    </Form>
  );
}

/** A field's error under the row it was posted from (every row when the form did not parse). */
export function rowFieldError(
  result: { reviewId: string | null; fieldErrors: Record<string, string> } | undefined,
  reviewId: string,
  field: string,
): string | undefined {
  return result?.reviewId === null || result?.reviewId === reviewId ? result?.fieldErrors[field] : undefined;
}
