import { z } from "zod";
import { requiredText } from "~/domain/input/fields";

// What a buyer, a producer and an inspector type about a review. Texts are NFC, trimmed, without
// bidi or zero-width characters (input/fields.ts), and without control characters other than a
// line break: a review is read by strangers.

export const REVIEW_MAX_CHARS = 500;
export const REPLY_MAX_CHARS = 500;
export const HIDE_REASON_MAX_CHARS = 300;

const CONTROL_CHARACTERS = /[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

const shownText = (max: number) =>
  requiredText(max).refine((v) => !CONTROL_CHARACTERS.test(v.replace(/\r\n/g, "\n")), "error.hiddenCharacters");

const id = z.string({ required_error: "error.required" }).trim().min(1, "error.required").max(40);

export const reviewSchema = z.object({
  lineId: id,
  rating: z
    .string({ required_error: "review.ratingRequired" })
    .regex(/^[1-5]$/, "review.ratingRequired")
    .transform(Number),
  body: shownText(REVIEW_MAX_CHARS),
});
export type ReviewInput = z.output<typeof reviewSchema>;

export const replySchema = z.object({ reviewId: id, reply: shownText(REPLY_MAX_CHARS) });
export const hideSchema = z.object({ reviewId: id, reason: shownText(HIDE_REASON_MAX_CHARS) });
