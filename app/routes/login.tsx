import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { getOptionalUser } from "~/web/auth.server";
import { safeRedirect } from "~/web/session.server";
import { loginRedirect } from "~/web/login.server";
import { readKnownDevice, rememberDevice } from "~/web/known-device.server";
import { authenticate, loginSchema, waitMessage } from "~/domain/identity/users.server";
import { clientIp } from "~/web/client-address.server";
import { parseSubmission } from "~/lib/submission";
import { formText } from "~/domain/input/fields";
import { Page, Card } from "~/components/layout";
import { FormError, SubmitButton, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";
import { useReplyForm } from "~/components/use-reply-form";

export const meta: MetaFunction = () => [{ title: "Đăng nhập · ocop-trace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect("/");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const identifier = formText(form, "identifier").slice(0, 254);
  const parsed = parseSubmission(loginSchema, form);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, formError: undefined, identifier }, { status: 400 });
  const device = await readKnownDevice(request);
  const result = await authenticate(parsed.data.identifier, parsed.data.password, { ip: clientIp(request), device });
  if (!result.ok) {
    if (result.error === "error.tooManyAttempts") {
      const headers = { "Retry-After": String(result.retryAfterSeconds) };
      return data(
        { fieldErrors: {} as Record<string, string>, formError: waitMessage(result.retryAfterSeconds), identifier },
        { status: 429, headers },
      );
    }
    return data({ fieldErrors: {} as Record<string, string>, formError: result.error, identifier }, { status: 401 });
  }
  // This phone is now a known device of the account: its own attempts are counted apart.
  return loginRedirect(request, result.userId, safeRedirect(form.get("redirectTo"), "/"), [
    await rememberDevice(request, device, result.userId),
  ]);
}

export default function Login() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { form, fields, busy } = useReplyForm<"identifier" | "password">();
  return (
    <Page title={t("login.title")}>
      <Card className="max-w-md">
        <FormError error={actionData?.formError} />
        <Form method="post" noValidate id={form.id} onSubmit={form.onSubmit}>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
          <TextField
            name="identifier"
            label={t("auth.identifier")}
            defaultValue={actionData?.identifier}
            error={fields.identifier.errors?.[0]}
            autoComplete="username"
            required
          />
          <TextField
            name="password"
            type="password"
            label={t("auth.password")}
            error={fields.password.errors?.[0]}
            autoComplete="current-password"
            required
          />
          <SubmitButton busy={busy}>{busy ? t("common.working") : t("login.submit")}</SubmitButton>
        </Form>
        <p className="mt-4 text-sm">
          <Link to="/forgot-password">{t("login.forgot")}</Link>
        </p>
        <p className="mt-2 text-sm">
          {t("login.noAccount")} <Link to="/signup">{t("nav.signup")}</Link>
        </p>
      </Card>
    </Page>
  );
}
