import { data, redirect } from "@remix-run/node";
import type { z } from "zod";
import { checkFile, filesOf, IMAGE_TYPES, renderImage } from "~/domain/files/uploads.server";
import { reviewSchema } from "~/domain/reviews/review-input";
import { postReview, type ReviewRefusal } from "~/domain/reviews/reviews.server";
import { buyerOrderPath } from "~/domain/orders/order-links.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import { parseSubmission, submittedValues, type FieldErrors } from "~/lib/submission";
import { refusal } from "~/i18n/refusal";
import { clientIp } from "~/web/client-address.server";
import { parseUploadForm } from "~/web/upload-form.server";

export type ReviewReply = { fieldErrors: Record<string, string>; values: Record<string, string>; formError?: string };

const reply = (status: number, answer: Partial<ReviewReply>, headers: Record<string, string> = {}) =>
  data<ReviewReply>(
    { fieldErrors: answer.fieldErrors ?? {}, values: answer.values ?? {}, formError: answer.formError },
    { status, headers },
  );

/**
 * A buyer's review of one line of an order they proved is theirs (orderForRequest). Counted per
 * client address and per buyer (their account, or a guest's order phone) before anything is read
 * or a photo decoded; the domain refuses an order not yet delivered and a second review.
 */
export async function reviewAction(
  request: Request,
  order: { id: string; code: string; checkoutId: string; status: string; buyerId: string | null; buyerName: string; buyerPhone: string },
  lineId: string,
) {
  const buyerKey = order.buyerId ? `user:${order.buyerId}` : `phone:${order.buyerPhone}`;
  for (const [name, key] of [
    ["reviewPerClient", clientIp(request)],
    ["reviewPerBuyer", buyerKey],
  ] as const) {
    const limit = await takeToken(name, key);
    if (!limit.ok)
      return reply(
        429,
        { formError: refusal("error.tooManyRequests", { n: Math.ceil(limit.retryAfterSeconds / 60) }) },
        { "Retry-After": String(limit.retryAfterSeconds) },
      );
  }
  const upload = await parseUploadForm(request);
  if (!upload.ok) return reply(upload.status, { fieldErrors: { photo: upload.error } });
  const form = upload.form;
  // The line is the page's own (its path), never a field a forged form could point elsewhere.
  form.set("lineId", lineId);
  const values = submittedValues(form);
  const parsed = parseSubmission(reviewSchema, form);
  const fieldErrors: Record<string, string> = parsed.ok ? {} : { ...parsed.fieldErrors };
  const [photo] = filesOf(form, "photo");
  const checked = photo ? await checkFile(photo, IMAGE_TYPES) : null;
  if (checked && !checked.ok) fieldErrors.photo = checked.error;
  if (!parsed.ok || Object.keys(fieldErrors).length) return reply(400, { fieldErrors, values });
  const image = checked?.ok ? await renderImage(checked.bytes) : undefined;
  const posted = await postReview(order, order.buyerId, parsed.data, image);
  if (!posted.ok) return reply(posted.status, { formError: posted.error, values });
  const back = buyerOrderPath(order);
  return redirect(`${back}${back.includes("?") ? "&" : "?"}reviewed=1`);
}

/** What a producer's answer or a moderator's hide tells its page: which review's row it was about (null when the form did not parse), so the error stands under that row. */
export type ReviewRowReply = { reviewId: string | null; fieldErrors: FieldErrors; error: string | undefined };

/**
 * The form posted from one review's row (producer's answer, inspector's hide): parsed with its
 * schema, then handed to the domain step, whose refusal comes back with its status. The caller
 * has checked role and ownership first; the domain checks the review itself.
 */
export async function reviewRowAction<S extends z.ZodType<{ reviewId: string }, z.ZodTypeDef, unknown>>(
  request: Request,
  schema: S,
  act: (input: z.output<S>) => Promise<{ ok: true } | ReviewRefusal>,
) {
  const parsed = parseSubmission(schema, await request.formData());
  if (!parsed.ok) return data<ReviewRowReply>({ reviewId: null, fieldErrors: parsed.fieldErrors, error: undefined }, { status: 400 });
  const done = await act(parsed.data);
  if (!done.ok)
    return data<ReviewRowReply>({ reviewId: parsed.data.reviewId, fieldErrors: {}, error: done.error }, { status: done.status });
  return data<ReviewRowReply>({ reviewId: parsed.data.reviewId, fieldErrors: {}, error: undefined });
}
