import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { z } from "zod";
import { getOptionalUser } from "~/web/auth.server";
import { readKnownDevice, rememberDevice } from "~/web/known-device.server";
import { completeReset, requestReset, resetRequestGates, resetSchema } from "~/domain/identity/password-reset.server";
import { loginRedirect } from "~/web/login.server";
import { identifierValue } from "~/domain/identity/signup.server";
import { parseIdentifier, waitMessage } from "~/domain/identity/users.server";
import { clientIp } from "~/web/client-address.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import { addCodeTicket, readCodeTicket } from "~/web/code-ticket.server";
import { getTranslator } from "~/i18n/locale.server";
import { parsedText } from "~/domain/input/fields";
import { submittedValues, parseSubmission } from "~/lib/submission";
import { Page, Card } from "~/components/layout";
import { FormError, SubmitButton, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";
import { fieldProps, useReplyForm } from "~/components/use-reply-form";
import { refusal } from "~/i18n/refusal";

export const meta: MetaFunction = () => [{ title: "Quên mật khẩu · ocop-trace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect("/");
  return null;
}

const requestSchema = z.object({ identifier: parsedText(parseIdentifier, "error.badIdentifier") });

const reply = (values: Record<string, string>, fieldErrors: Record<string, string>, status: number, formError?: string, step?: "code") =>
  data({ step, to: values.identifier, fieldErrors, formError, values }, { status });

// intent=request: the code (password-reset.server.ts); intent=reset: code + new password.
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = submittedValues(form);
  delete values.password;
  if (form.get("intent") === "reset") {
    const parsed = parseSubmission(resetSchema, form);
    if (!parsed.ok) return reply(values, parsed.fieldErrors, 400, undefined, "code");
    const device = await readKnownDevice(request);
    const done = await completeReset(parsed.data.identifier, parsed.data.code, parsed.data.password, {
      device,
      ticket: await readCodeTicket(request),
    });
    if (!done.ok) {
      if (done.error === "error.tooManyAttempts") return reply(values, {}, 429, waitMessage(done.retryAfterSeconds ?? 60), "code");
      return reply(values, { code: done.error }, 400, undefined, "code");
    }
    return loginRedirect(request, done.userId, "/", [await rememberDevice(request, device, done.userId)]);
  }
  const parsed = parseSubmission(requestSchema, form);
  if (!parsed.ok) return reply(values, parsed.fieldErrors, 400);
  // The account's known device asks on its own allowance: strangers asking cannot use it up.
  for (const [name, key] of await resetRequestGates(parsed.data.identifier, await readKnownDevice(request), clientIp(request))) {
    const gate = await takeToken(name, key);
    if (!gate.ok) return reply(values, {}, 429, refusal("error.tooManyRequests", { n: Math.ceil(gate.retryAfterSeconds / 60) }));
  }
  const { t } = await getTranslator(request);
  const codeId = await requestReset(parsed.data.identifier, t);
  const to = identifierValue(parsed.data.identifier);
  // This device asked for the code: its guesses at it are the owner's (code-ticket.server.ts).
  return data(
    { step: "code" as const, to, fieldErrors: {}, formError: undefined, values: { identifier: to } },
    { status: 200, headers: await addCodeTicket(request, codeId) },
  );
}

export default function ForgotPassword() {
  const t = useT();
  const answer = useActionData<typeof action>();
  const { form, fields, busy, formError } = useReplyForm<"identifier" | "code" | "password">();
  const codeStep = answer?.step === "code";
  return (
    <Page title={t("reset.title")}>
      <Card className="max-w-md">
        <p className="mb-4" role="status">
          {codeStep ? t("reset.codeSent", { to: answer.to ?? "" }) : t("reset.lead")}
        </p>
        <FormError error={formError} />
        {codeStep ? (
          <Form method="post" noValidate id={form.id} onSubmit={form.onSubmit}>
            <input type="hidden" name="intent" value="reset" />
            <input type="hidden" name="identifier" value={answer.to ?? ""} />
            <TextField
              name="code"
              label={t("reset.code")}
              error={fields.code.errors?.[0]}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              required
            />
            <TextField
              name="password"
              type="password"
              label={t("reset.newPassword")}
              hint={t("signup.passwordHint")}
              error={fields.password.errors?.[0]}
              autoComplete="new-password"
              required
            />
            <SubmitButton busy={busy}>{busy ? t("common.working") : t("reset.submit")}</SubmitButton>
          </Form>
        ) : (
          <Form method="post" noValidate id={form.id} onSubmit={form.onSubmit}>
            <input type="hidden" name="intent" value="request" />
            <TextField
              {...fieldProps(fields.identifier)}
              label={t("auth.identifier")}
              hint={t("auth.identifierHint")}
              autoComplete="username"
              required
            />
            <SubmitButton busy={busy}>{busy ? t("common.working") : t("reset.send")}</SubmitButton>
          </Form>
        )}
        {codeStep ? (
          <p className="mt-4 text-sm">
            <Link to="/forgot-password">{t("reset.again")}</Link>
          </p>
        ) : null}
      </Card>
    </Page>
  );
}
