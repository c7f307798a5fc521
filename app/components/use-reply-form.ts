import { useActionData, useNavigation } from "@remix-run/react";

type FormReply = { fieldErrors?: Record<string, string>; values?: Record<string, string>; formError?: string } | undefined;

/** What a form page needs from its action's reply: field errors, the values to refill, and whether it is sending. */
export function useFormState() {
  const reply = useActionData() as FormReply;
  return {
    errors: reply?.fieldErrors ?? {},
    values: reply?.values ?? {},
    formError: reply?.formError,
    busy: useNavigation().state === "submitting",
  };
}
