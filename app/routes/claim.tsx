import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { claimAccount, claimSchema } from "~/domain/identity/helpers.server";
import { loginRedirect } from "~/domain/identity/session.server";
import { resetLimit, takeToken } from "~/domain/security/rate-limits.server";
import { clientIp, waitMessage } from "~/domain/identity/users.server";
import { formToObject, parseForm } from "~/lib/form";
import { Page, Card } from "~/components/layout";
import { FormError, SubmitButton, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";
import { useFormState } from "~/components/use-form-state";

export const loader = (_: LoaderFunctionArgs) => null;

// A household takes over the account a helper made for it. Guesses are limited per
// phone (LIMITS.claimPerPhone: 5, then an hour's wait), whichever address they come from.
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = formToObject(form);
  delete values.password;
  const parsed = parseForm(claimSchema, form);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, formError: undefined as string | undefined, values }, { status: 400 });
  // Per client address first (LIMITS.claimPerClient), so fresh phone numbers from one client
  // stop there and leave no per-phone counter behind; then per phone. Both are taken before
  // the code is checked, so parallel guesses cannot slip past them.
  const client = await takeToken("claimPerClient", clientIp(request));
  if (!client.ok) return data({ fieldErrors: {}, formError: waitMessage(client.retryAfterSeconds), values }, { status: 429, headers: { "Retry-After": String(client.retryAfterSeconds) } });
  const gate = await takeToken("claimPerPhone", parsed.data.phone);
  if (!gate.ok) return data({ fieldErrors: {}, formError: waitMessage(gate.retryAfterSeconds), values }, { status: 429, headers: { "Retry-After": String(gate.retryAfterSeconds) } });
  const result = await claimAccount(parsed.data.phone, parsed.data.code, parsed.data.password);
  if (result.ok) await resetLimit("claimPerPhone", parsed.data.phone);
  if (!result.ok) return data({ fieldErrors: { code: result.error } as Record<string, string>, formError: undefined, values }, { status: 400 });
  return loginRedirect(request, result.userId, "/producer/helpers");
}

export default function Claim() {
  const t = useT();
  const { errors, values, busy, formError } = useFormState();
  return (
    <Page title={t("claim.title")}>
      <p className="mb-4">{t("claim.lead")}</p>
      <Card className="max-w-md">
        <FormError error={formError} />
        <Form method="post" noValidate>
          <TextField name="phone" label={t("helper.headPhone")} inputMode="tel" defaultValue={values.phone} error={errors.phone} />
          <TextField name="code" label={t("claim.code")} inputMode="numeric" defaultValue={values.code} error={errors.code} maxLength={10} />
          <TextField name="password" type="password" label={t("claim.password")} hint={t("signup.passwordHint")} error={errors.password} autoComplete="new-password" />
          <SubmitButton busy={busy}>{t("claim.submit")}</SubmitButton>
        </Form>
      </Card>
    </Page>
  );
}
