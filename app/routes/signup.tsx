import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { getOptionalUser } from "~/domain/identity/auth.server";
import { loginRedirect } from "~/domain/identity/session.server";
import { signup, signupSchema } from "~/domain/identity/users.server";
import { parseForm, formToObject } from "~/lib/form";
import { Page, Card } from "~/components/layout";
import { SubmitButton, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";
import { useFormState } from "~/components/use-form-state";

export const meta: MetaFunction = () => [{ title: "Đăng ký · ocop-trace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect("/");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = formToObject(form);
  delete values.password;
  const parsed = parseForm(signupSchema, form);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, values }, { status: 400 });
  const result = await signup(parsed.data);
  if (!result.ok) return data({ fieldErrors: { [result.field]: result.error }, values }, { status: 400 });
  return loginRedirect(request, result.userId, parsed.data.accountType === "PRODUCER" ? "/producer/profile" : "/");
}

export default function Signup() {
  const t = useT();
  const { errors, values, busy } = useFormState();
  return (
    <Page title={t("signup.title")}>
      <Card className="max-w-md">
        <Form method="post" noValidate>
          <fieldset className="mb-4">
            <legend className="text-sm font-medium">{t("signup.accountType")}</legend>
            <label className="mt-2 flex items-center gap-2 font-normal">
              <input type="radio" name="accountType" value="PRODUCER" defaultChecked={values.accountType !== "SHOPPER"} className="mt-0 w-auto" />
              {t("signup.asProducer")}
            </label>
            <label className="mt-2 flex items-center gap-2 font-normal">
              <input type="radio" name="accountType" value="SHOPPER" defaultChecked={values.accountType === "SHOPPER"} className="mt-0 w-auto" />
              {t("signup.asShopper")}
            </label>
            {errors.accountType ? <p className="text-sm text-red-700">{t(errors.accountType)}</p> : null}
          </fieldset>
          <TextField name="name" label={t("signup.name")} defaultValue={values.name} error={errors.name} autoComplete="name" required maxLength={100} />
          <TextField
            name="identifier"
            label={t("auth.identifier")}
            hint={t("auth.identifierHint")}
            defaultValue={values.identifier}
            error={errors.identifier}
            autoComplete="username"
            inputMode="email"
            required
          />
          <TextField name="password" type="password" label={t("auth.password")} hint={t("signup.passwordHint")} error={errors.password} autoComplete="new-password" required />
          <SubmitButton busy={busy}>{busy ? t("common.saving") : t("signup.submit")}</SubmitButton>
        </Form>
        <p className="mt-4 text-sm">
          {t("signup.haveAccount")} <Link to="/login">{t("nav.login")}</Link>
        </p>
      </Card>
    </Page>
  );
}
