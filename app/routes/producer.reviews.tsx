import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { replySchema, REPLY_MAX_CHARS } from "~/domain/reviews/review-input";
import { answerReview, reviewsOfProducer } from "~/domain/reviews/reviews.server";
import { requireProducerMember } from "~/web/auth.server";
import { parseSubmission } from "~/lib/submission";
import { Card, Page } from "~/components/layout";
import { FormError, SubmitButton, TextAreaField } from "~/components/form-fields";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate } from "~/i18n/locale";

export const meta: MetaFunction = () => [{ title: "Đánh giá của khách · ocop-trace" }];

// The producer's reviews and their one answer to each. Who may answer is checked against the
// review's own producer (owner or member), not the producer this page shows.
export async function loader({ request }: LoaderFunctionArgs) {
  const { producer } = await requireProducerMember(request);
  return { reviews: await reviewsOfProducer(producer.id) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireProducerMember(request);
  const parsed = parseSubmission(replySchema, await request.formData());
  if (!parsed.ok) return data({ reviewId: null, fieldErrors: parsed.fieldErrors, error: undefined }, { status: 400 });
  const answered = await answerReview(parsed.data.reviewId, user.id, parsed.data.reply);
  if (!answered.ok)
    return data(
      { reviewId: parsed.data.reviewId, fieldErrors: {} as Record<string, string>, error: answered.error },
      { status: answered.status },
    );
  return { reviewId: parsed.data.reviewId, fieldErrors: {} as Record<string, string>, error: undefined };
}

export default function ProducerReviews() {
  const t = useT();
  const locale = useLocale();
  const { reviews } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Page title={t("review.producerTitle")}>
      <FormError error={result?.error} />
      {reviews.length === 0 ? <p>{t("review.empty")}</p> : null}
      {reviews.map((r) => (
        <Card key={r.id}>
          <p className="text-sm text-stone-600">
            {r.product.name} · {formatDate(locale, r.createdAt)}
          </p>
          <p>
            <span className="text-amber-700">{"★".repeat(r.rating)}</span> <span className="font-semibold">{r.authorName}</span>
          </p>
          <p className="whitespace-pre-line break-words">{r.body}</p>
          {r.hiddenAt ? <p className="text-sm text-red-800">{t("review.hiddenBy", { n: r.hiddenReason ?? "" })}</p> : null}
          {r.reply ? (
            <p className="mt-2 border-l-4 border-stone-300 pl-2 text-sm">
              <span className="font-semibold">{t("review.reply")}</span> {r.reply}
            </p>
          ) : (
            <Form method="post" className="mt-2">
              <input type="hidden" name="reviewId" value={r.id} />
              <TextAreaField
                id={`reply-${r.id}`}
                name="reply"
                label={t("review.answer")}
                maxLength={REPLY_MAX_CHARS}
                rows={2}
                error={result?.reviewId === null || result?.reviewId === r.id ? result?.fieldErrors.reply : undefined}
                required
              />
              <SubmitButton busy={busy}>{t("review.answerSubmit")}</SubmitButton>
            </Form>
          )}
        </Card>
      ))}
    </Page>
  );
}
