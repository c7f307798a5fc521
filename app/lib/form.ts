import type { z } from "zod";

// Field errors are i18n keys, optionally "key|param" (e.g. "error.tooLong|120"),
// translated where they are shown, next to the field.
export type FieldErrors = Record<string, string>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; fieldErrors: FieldErrors };

export function formToObject(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string") out[key] = value;
  }
  return out;
}

export function parseForm<S extends z.ZodTypeAny>(schema: S, formData: FormData): FormResult<z.output<S>> {
  const result = schema.safeParse(formToObject(formData));
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "_form");
    fieldErrors[field] ??= issue.message;
  }
  return { ok: false, fieldErrors };
}
