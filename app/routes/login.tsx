import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { getOptionalUser } from "~/domain/identity/auth.server";
import { loginRedirect, safeRedirect } from "~/domain/identity/session.server";
import { authenticate, clientIp, loginSchema } from "~/domain/identity/users.server";
import { parseForm } from "~/lib/form";
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
  const identifier = String(form.get("identifier") ?? "").slice(0, 254);
  const parsed = parseForm(loginSchema, form);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, formError: undefined, identifier }, { status: 400 });
  const result = await authenticate(parsed.data.identifier, parsed.data.password, clientIp(request));
  if (!result.ok) {
    const formError = result.error === "error.tooManyAttempts" ? `${result.error}|${result.retryAfterMinutes}` : result.error;
    return data({ fieldErrors: {} as Record<string, string>, formError, identifier }, { status: result.error === "error.tooManyAttempts" ? 429 : 401 });
  }
  return loginRedirect(request, result.userId, safeRedirect(form.get("redirectTo"), "/"));
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
          {t("login.noAccount")} <Link to="/signup">{t("nav.signup")}</Link>
        </p>
      </Card>
    </Page>
  );
}
