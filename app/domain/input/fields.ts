import { z } from "zod";
import { refusal } from "~/i18n/refusal";

// Reusable zod pieces for what people type, whose messages are i18n keys (parsed by lib/submission.ts).

// Bidi overrides/isolates/marks make text read in another order than it is stored
// ("Mật ong\u202Egnp.exe"), zero-width characters make two different names look the
// same: names and notes are shown to other people, so neither is accepted.
const HIDDEN_CHARACTERS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\u2060\uFEFF]/;
const visible = (v: string) => !HIDDEN_CHARACTERS.test(v);

// Vietnamese arrives composed or decomposed (NFD from some phones' keyboards and macOS):
// stored composed, so search, uniqueness and length limits see one form.
const composed = (messages: { required_error?: string; invalid_type_error?: string } = {}) =>
  z.string(messages).transform((v) => v.normalize("NFC"));

export const requiredText = (max: number) =>
  composed({ required_error: "error.required", invalid_type_error: "error.required" }).pipe(
    z
      .string()
      .trim()
      .min(1, "error.required")
      .max(max, refusal("error.tooLong", { n: max }))
      .refine(visible, "error.hiddenCharacters"),
  );

export const optionalText = (max: number) =>
  composed()
    .pipe(
      z
        .string()
        .trim()
        .max(max, refusal("error.tooLong", { n: max }))
        .refine(visible, "error.hiddenCharacters"),
    )
    .optional()
    .transform((v) => (v ? v : undefined));

/** Whole number from a form field: "1.500.000" and "1 500 000" are read as 1500000. */
export const wholeNumber = (min: number, max: number) =>
  z
    .string({ required_error: "error.required" })
    .trim()
    .min(1, "error.required")
    // Digits, optionally grouped in thousands ("1.500.000", "1 500 000"); "12.5" is refused, not guessed at.
    .refine((v) => /^\d{1,15}$/.test(v) || /^\d{1,3}([.\s,]\d{3})+$/.test(v), "error.notWholeNumber")
    .transform((v) => v.replace(/[.\s,]/g, ""))
    .transform((v) => Number(v))
    .refine((n) => n >= min, refusal("error.tooSmall", { n: min }))
    .refine((n) => n <= max, refusal("error.tooLarge", { n: max }));

/** A calendar date from <input type="date"> (YYYY-MM-DD), as midnight UTC. */
export const isoDate = z
  .string({ required_error: "error.required" })
  .trim()
  .min(1, "error.required")
  // Round-trip check: JS would roll 2026-02-30 over into March instead of refusing it.
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
  }, "error.badDate")
  .transform((v) => new Date(`${v}T00:00:00Z`));

export const optionalIsoDate = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(isoDate.optional());

/**
 * Required text turned into a value by `parse`; when `parse` gives null the field
 * gets `error`. For phones, sign-in identifiers, date-times and the like.
 */
export function parsedText<T>(parse: (v: string) => T | null, error: string, max = 254) {
  return z
    .string({ required_error: "error.required" })
    .trim()
    .min(1, "error.required")
    .max(max, refusal("error.tooLong", { n: max }))
    .transform((v, ctx) => {
      const parsed = parse(v);
      if (parsed === null) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: error });
        return z.NEVER;
      }
      return parsed;
    });
}

/** A form field's text: `fallback` when the field is missing, "" when it holds a file. */
export function formText(form: FormData, name: string, fallback = ""): string {
  const value = form.get(name);
  return value === null ? fallback : typeof value === "string" ? value : "";
}
