import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { replySchema, REPLY_MAX_CHARS } from "~/domain/reviews/review-input";
import { answerReview, reviewsOfProducer } from "~/domain/reviews/reviews.server";
import { requireProducerMember } from "~/web/auth.server";
import { reviewRowAction } from "~/web/review-forms.server";
import { Page } from "~/components/layout";
import { FormError, TextAreaField } from "~/components/form-fields";
import { ReviewRowForm, rowFieldError, StaffReviewCard } from "~/components/reviews";
import { useT } from "~/i18n/use-t";

export const meta: MetaFunction = () => [{ title: "Đánh giá của khách · ocop-trace" }];

// The producer's reviews and their one answer to each. Who may answer is checked against the
// review's own producer (owner or member), not the producer this page shows.
export async function loader({ request }: LoaderFunctionArgs) {
  const { producer } = await requireProducerMember(request);
  return { reviews: await reviewsOfProducer(producer.id) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireProducerMember(request);
  return reviewRowAction(request, replySchema, (input) => answerReview(input.reviewId, user.id, input.reply));
}

export default function ProducerReviews() {
  const t = useT();
  const { reviews } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Page title={t("review.producerTitle")}>
      <FormError error={result?.error} />
      {reviews.length === 0 ? <p>{t("review.empty")}</p> : null}
      {reviews.map((r) => (
        <StaffReviewCard key={r.id} review={r} about={r.product.name}>
          {r.reply ? (
            <p className="mt-2 border-l-4 border-stone-300 pl-2 text-sm">
              <span className="font-semibold">{t("review.reply")}</span> {r.reply}
            </p>
          ) : (
            <ReviewRowForm reviewId={r.id} busy={busy} submitLabel={t("review.answerSubmit")}>
              <TextAreaField
                id={`reply-${r.id}`}
                name="reply"
                label={t("review.answer")}
                maxLength={REPLY_MAX_CHARS}
                rows={2}
                error={rowFieldError(result, r.id, "reply")}
                required
              />
            </ReviewRowForm>
          )}
        </StaffReviewCard>
      ))}
    </Page>
  );
}
