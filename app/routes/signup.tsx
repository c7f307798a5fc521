import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { getOptionalUser } from "~/web/auth.server";
import { rememberDevice } from "~/web/known-device.server";
import { loginRedirect } from "~/web/login.server";
import { confirmSchema, confirmSignup, identifierValue, startSignup } from "~/domain/identity/signup.server";
import { identifierKey, signupSchema } from "~/domain/identity/users.server";
import { clientIp } from "~/web/client-address.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import { getTranslator } from "~/i18n/locale.server";
import { parseSubmission, submittedValues } from "~/lib/submission";
import { Page, Card } from "~/components/layout";
import { FormError, SubmitButton, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";
import { fieldProps, useReplyForm } from "~/components/use-reply-form";
import { refusal } from "~/i18n/refusal";

export const meta: MetaFunction = () => [{ title: "Đăng ký · ocop-trace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect("/");
  return null;
}

const fail = (values: Record<string, string>, fieldErrors: Record<string, string>, status = 400, formError?: string, step?: "code") =>
  data({ step, to: values.identifier, fieldErrors, formError, values }, { status });

// Step 1 (the form) always answers "we sent a code" (signup.server.ts); step 2 (intent=confirm) makes the account.
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = submittedValues(form);
  delete values.password;
  if (form.get("intent") === "confirm") {
    const parsed = parseSubmission(confirmSchema, form);
    if (!parsed.ok) return fail(values, parsed.fieldErrors, 400, undefined, "code");
    const done = await confirmSignup(parsed.data.identifier, parsed.data.code);
    if (!done.ok) return fail(values, { code: done.error }, 400, undefined, "code");
    const device = await rememberDevice(request, null, done.userId);
    return loginRedirect(request, done.userId, done.accountType === "PRODUCER" ? "/producer/profile" : "/", [device]);
  }
  const parsed = parseSubmission(signupSchema, form);
  if (!parsed.ok) return fail(values, parsed.fieldErrors);
  // Per client address, and codes per phone/e-mail (each may be an SMS to a stranger's phone).
  for (const [name, key] of [
    ["signup", clientIp(request)],
    ["signupCodePerIdentifier", identifierKey(parsed.data.identifier)],
  ] as const) {
    const gate = await takeToken(name, key);
    if (!gate.ok) return fail(values, {}, 429, refusal("error.tooManyRequests", { n: Math.ceil(gate.retryAfterSeconds / 60) }));
  }
  const { t } = await getTranslator(request);
  await startSignup(parsed.data, t);
  const to = identifierValue(parsed.data.identifier);
  return data({ step: "code" as const, to, fieldErrors: {} as Record<string, string>, formError: undefined, values: { identifier: to } });
}

export default function Signup() {
  const t = useT();
  const reply = useActionData<typeof action>();
  const { form, fields, busy, formError } = useReplyForm<"name" | "identifier" | "password" | "accountType" | "code">();
  if (reply?.step === "code") {
    return (
      <Page title={t("signup.codeTitle")}>
        <Card className="max-w-md">
          <p className="mb-4" role="status">
            {t("signup.codeSent", { to: reply.to ?? "" })}
          </p>
          <FormError error={formError} />
          <Form method="post" noValidate id={form.id} onSubmit={form.onSubmit}>
            <input type="hidden" name="intent" value="confirm" />
            <input type="hidden" name="identifier" value={reply.to ?? ""} />
            <TextField
              name="code"
              label={t("signup.code")}
              error={fields.code.errors?.[0]}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              required
            />
            <SubmitButton busy={busy}>{busy ? t("common.working") : t("signup.confirm")}</SubmitButton>
          </Form>
          <p className="mt-4 text-sm">
            <Link to="/signup">{t("signup.startOver")}</Link>
          </p>
        </Card>
      </Page>
    );
  }
  return (
    <Page title={t("signup.title")}>
      <Card className="max-w-md">
        <FormError error={formError} />
        <Form method="post" noValidate id={form.id} onSubmit={form.onSubmit}>
          <fieldset className="mb-4">
            <legend className="text-sm font-medium">{t("signup.accountType")}</legend>
            <label className="mt-2 flex items-center gap-2 font-normal">
              <input
                type="radio"
                name="accountType"
                value="PRODUCER"
                defaultChecked={fields.accountType.initialValue !== "SHOPPER"}
                className="mt-0 w-auto"
              />
              {t("signup.asProducer")}
            </label>
            <label className="mt-2 flex items-center gap-2 font-normal">
              <input
                type="radio"
                name="accountType"
                value="SHOPPER"
                defaultChecked={fields.accountType.initialValue === "SHOPPER"}
                className="mt-0 w-auto"
              />
              {t("signup.asShopper")}
            </label>
            {fields.accountType.errors ? <p className="text-sm text-red-700">{t(fields.accountType.errors[0] ?? "")}</p> : null}
          </fieldset>
          <TextField {...fieldProps(fields.name)} label={t("signup.name")} autoComplete="name" required maxLength={100} />
          <TextField
            {...fieldProps(fields.identifier)}
            label={t("auth.identifier")}
            hint={t("auth.identifierHint")}
            autoComplete="username"
            inputMode="email"
            required
          />
          <TextField
            {...fieldProps(fields.password)}
            type="password"
            label={t("auth.password")}
            hint={t("signup.passwordHint")}
            autoComplete="new-password"
            required
          />
          <SubmitButton busy={busy}>{busy ? t("common.saving") : t("signup.submit")}</SubmitButton>
        </Form>
        <p className="mt-4 text-sm">
          {t("signup.haveAccount")} <Link to="/login">{t("nav.login")}</Link>
        </p>
      </Card>
    </Page>
  );
}
