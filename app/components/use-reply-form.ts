import { useForm, type DefaultValue, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { useActionData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";

// What a form action answers on a refusal: one message key per field (`_form` for the whole
// form), the values to refill (a repeated name as a list), and a message above the form.
export type FormReply =
  { fieldErrors?: Record<string, string>; values?: Record<string, string | string[]>; formError?: string } | undefined;

/** The action's reply as Conform's last result, so that the server's messages sit next to their fields. */
export function lastResultOf(reply: FormReply): SubmissionResult<string[]> | undefined {
  if (!reply?.fieldErrors && !reply?.values) return undefined;
  // `_form` stays a name of its own: pages show it above or below the form, as before.
  const error = Object.fromEntries(Object.entries(reply.fieldErrors ?? {}).map(([name, key]) => [name, [key]]));
  return { status: Object.keys(error).length ? "error" : undefined, initialValue: reply.values ?? {}, error };
}

/**
 * A form page's state from its action's reply, through Conform (`Name`: the form's field names): `fields.x.errors` and
 * `fields.x.initialValue` for each field (the reply's values, else `defaultValue`), `form.id`/`form.onSubmit` for the <Form>, the
 * message above the form, and whether it is sending. Validation stays on the server (the same
 * zod schema, parseSubmission), so the page works the same without JavaScript.
 */
export function useReplyForm<Name extends string>(options: { id?: string; defaultValue?: Partial<Record<Name, string>> } = {}) {
  const reply: FormReply = useActionData<FormReply>();
  // Made once per reply: Conform takes a new last result as a new answer and reports it again.
  const lastResult = useMemo(() => lastResultOf(reply), [reply]);
  const [form, fields] = useForm<Record<Name, string>>({
    id: options.id,
    defaultValue: options.defaultValue as DefaultValue<Record<Name, string>> | undefined,
    lastResult,
  });
  return { form, fields, formError: reply?.formError, busy: useNavigation().state === "submitting" };
}

/** A field component's name, message and refill value, taken from its Conform metadata. */
export function fieldProps(field: FieldMetadata<unknown>): { name: string; error?: string; defaultValue?: string } {
  const value = field.initialValue;
  return { name: field.name, error: field.errors?.[0], defaultValue: typeof value === "string" ? value : undefined };
}

/** The first message of each field Conform holds, for pages that merge them with the upload's own. */
export function firstErrors(allErrors: Record<string, string[]>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(allErrors).map(([name, keys]) => [name, keys[0]]));
}

/** The refill values of a whole form as one text per name, for field groups that take a record (ProducerProfileFields). */
export function refillValues(initialValue: Record<string, unknown> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(initialValue ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}
