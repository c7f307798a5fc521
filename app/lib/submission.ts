import { parseWithZod } from "@conform-to/zod";
import type { z, ZodIssue } from "zod";

// Field errors are refusals (a message key, with its parameters when the message takes some:
// i18n/refusal.ts), translated where they are shown, next to the field. `_form` holds an error
// of the whole form.
export type FieldErrors = Record<string, string>;

export type Parsed<T> = { ok: true; data: T } | { ok: false; fieldErrors: FieldErrors };

/** What was typed, one text per field name (the last one wins), to put back into the form after a refusal. */
export function submittedValues(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string") out[key] = value;
  }
  return out;
}

// Files are read by the upload code (size and type limits), never by a schema.
function textEntries(formData: FormData): URLSearchParams {
  const text = new URLSearchParams();
  for (const [key, value] of formData.entries()) if (typeof value === "string") text.append(key, value);
  return text;
}

/**
 * Validates a posted form with its zod schema through Conform, the same schema the page may run
 * in the browser. A name posted more than once arrives as an array (checklists, repeated rows).
 * Text stays text (no coercion by Conform: "" is "" so `error.required` fires, not "Required"),
 * and each field keeps its first message.
 */
export function parseSubmission<S extends z.ZodTypeAny>(schema: S, formData: FormData): Parsed<z.output<S>> {
  const submission = parseWithZod(textEntries(formData), {
    schema,
    disableAutoCoercion: true,
    formatError: (issues: ZodIssue[]) => issues,
  });
  if (submission.status === "success") return { ok: true, data: submission.value };
  const fieldErrors: FieldErrors = {};
  for (const issues of Object.values(submission.error ?? {})) {
    for (const issue of issues ?? []) fieldErrors[String(issue.path[0] ?? "_form")] ??= issue.message;
  }
  return { ok: false, fieldErrors };
}
