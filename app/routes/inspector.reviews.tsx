import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { hideSchema, HIDE_REASON_MAX_CHARS } from "~/domain/reviews/review-input";
import { hideReview, reviewsToModerate } from "~/domain/reviews/reviews.server";
import { forbidden, requireRole } from "~/web/auth.server";
import { inspectorProvinces } from "~/web/inspection-access.server";
import { parseSubmission } from "~/lib/submission";
import { Card, Page } from "~/components/layout";
import { FormError, SubmitButton, TextField } from "~/components/form-fields";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate } from "~/i18n/locale";

export const meta: MetaFunction = () => [{ title: "Kiểm duyệt đánh giá · ocop-trace" }, { name: "robots", content: "noindex" }];

// Inspectors hide reviews of their provinces' products, admins any; a hidden review is kept,
// its reason shown to its author, and the decision written to the audit entries.
async function moderator(request: Request) {
  const user = await requireRole(request, "INSPECTOR", "ADMIN");
  const isAdmin = user.roles.includes("ADMIN");
  const provinces = user.roles.includes("INSPECTOR") ? await inspectorProvinces(user.id) : [];
  if (!isAdmin && provinces.length === 0) throw forbidden();
  return { user, isAdmin, provinces };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { isAdmin, provinces } = await moderator(request);
  return { reviews: await reviewsToModerate(isAdmin ? null : provinces) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, isAdmin, provinces } = await moderator(request);
  const parsed = parseSubmission(hideSchema, await request.formData());
  if (!parsed.ok) return data({ reviewId: null, fieldErrors: parsed.fieldErrors, error: undefined }, { status: 400 });
  const hidden = await hideReview(parsed.data.reviewId, { userId: user.id, isAdmin, provinces }, parsed.data.reason);
  if (!hidden.ok)
    return data(
      { reviewId: parsed.data.reviewId, fieldErrors: {} as Record<string, string>, error: hidden.error },
      { status: hidden.status },
    );
  return { reviewId: parsed.data.reviewId, fieldErrors: {} as Record<string, string>, error: undefined };
}

export default function ModerateReviews() {
  const t = useT();
  const locale = useLocale();
  const { reviews } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Page title={t("review.moderateTitle")}>
      <FormError error={result?.error} />
      {reviews.length === 0 ? <p>{t("review.empty")}</p> : null}
      {reviews.map((r) => (
        <Card key={r.id}>
          <p className="text-sm text-stone-600">
            {r.product.name} · {r.product.producer.name} · {r.lots.map((l) => t("review.lot", { n: l.batch.lotCode })).join(", ")} ·{" "}
            {formatDate(locale, r.createdAt)}
          </p>
          <p>
            <span className="text-amber-700">{"★".repeat(r.rating)}</span> <span className="font-semibold">{r.authorName}</span>
          </p>
          <p className="whitespace-pre-line break-words">{r.body}</p>
          {r.hiddenAt ? (
            <p className="text-sm text-red-800">{t("review.hiddenBy", { n: r.hiddenReason ?? "" })}</p>
          ) : (
            <Form method="post" className="mt-2">
              <input type="hidden" name="reviewId" value={r.id} />
              <TextField
                id={`reason-${r.id}`}
                name="reason"
                label={t("review.hideReason")}
                maxLength={HIDE_REASON_MAX_CHARS}
                error={result?.reviewId === null || result?.reviewId === r.id ? result?.fieldErrors.reason : undefined}
                required
              />
              <SubmitButton busy={busy}>{t("review.hide")}</SubmitButton>
            </Form>
          )}
        </Card>
      ))}
    </Page>
  );
}
