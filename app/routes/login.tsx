import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { getOptionalUser } from "~/domain/identity/auth.server";
import { loginRedirect, safeRedirect } from "~/domain/identity/session.server";
import { readKnownDevice, rememberDevice } from "~/domain/identity/known-device.server";
import { authenticate, clientIp, loginSchema, waitMessage } from "~/domain/identity/users.server";
import { parseForm } from "~/lib/form";
import { formText } from "~/lib/fields";
import { Page, Card } from "~/components/layout";
import { FormError, SubmitButton, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";

export const meta: MetaFunction = () => [{ title: "Đăng nhập · ocop-trace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect("/");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const identifier = formText(form, "identifier").slice(0, 254);
  const parsed = parseForm(loginSchema, form);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, formError: undefined, identifier }, { status: 400 });
  const device = await readKnownDevice(request);
  const result = await authenticate(parsed.data.identifier, parsed.data.password, { ip: clientIp(request), device });
  if (!result.ok) {
    if (result.error === "error.tooManyAttempts") {
      const headers = { "Retry-After": String(result.retryAfterSeconds) };
      return data({ fieldErrors: {} as Record<string, string>, formError: waitMessage(result.retryAfterSeconds), identifier }, { status: 429, headers });
    }
    return data({ fieldErrors: {} as Record<string, string>, formError: result.error, identifier }, { status: 401 });
  }
  // This phone is now a known device of the account: its own attempts are counted apart.
  return loginRedirect(request, result.userId, safeRedirect(form.get("redirectTo"), "/"), [await rememberDevice(request, device, result.userId)]);
}

export default function Login() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const busy = useNavigation().state === "submitting";
  return (
    <Page title={t("login.title")}>
      <Card className="max-w-md">
        <FormError error={actionData?.formError} />
        <Form method="post" noValidate>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
          <TextField name="identifier" label={t("auth.identifier")} defaultValue={actionData?.identifier} error={errors.identifier} autoComplete="username" required />
          <TextField name="password" type="password" label={t("auth.password")} error={errors.password} autoComplete="current-password" required />
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
