import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { hideSchema, HIDE_REASON_MAX_CHARS } from "~/domain/reviews/review-input";
import { hideReview, reviewsToModerate } from "~/domain/reviews/reviews.server";
import { forbidden, requireRole } from "~/web/auth.server";
import { inspectorProvinces } from "~/web/inspection-access.server";
import { reviewRowAction } from "~/web/review-forms.server";
import { Page } from "~/components/layout";
import { FormError, TextField } from "~/components/form-fields";
import { ReviewRowForm, rowFieldError, StaffReviewCard } from "~/components/reviews";
import { useT } from "~/i18n/use-t";

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
  return reviewRowAction(request, hideSchema, (input) => hideReview(input.reviewId, { userId: user.id, isAdmin, provinces }, input.reason));
}

export default function ModerateReviews() {
  const t = useT();
  const { reviews } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Page title={t("review.moderateTitle")}>
      <FormError error={result?.error} />
      {reviews.length === 0 ? <p>{t("review.empty")}</p> : null}
      {reviews.map((r) => (
        <StaffReviewCard
          key={r.id}
          review={r}
          about={[r.product.name, r.product.producer.name, r.lots.map((l) => t("review.lot", { n: l.batch.lotCode })).join(", ")].join(
            " · ",
          )}
        >
          {r.hiddenAt ? null : (
            <ReviewRowForm reviewId={r.id} busy={busy} submitLabel={t("review.hide")}>
              <TextField
                id={`reason-${r.id}`}
                name="reason"
                label={t("review.hideReason")}
                maxLength={HIDE_REASON_MAX_CHARS}
                error={rowFieldError(result, r.id, "reason")}
                required
              />
            </ReviewRowForm>
          )}
        </StaffReviewCard>
      ))}
    </Page>
  );
}
