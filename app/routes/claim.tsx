import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { claimAccount, claimRequestSchema, claimSchema, requestClaimCode } from "~/domain/identity/household-claims.server";
import { addCodeTicket, readCodeTicket } from "~/web/code-ticket.server";
import { loginRedirect } from "~/web/login.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import { waitMessage } from "~/domain/identity/users.server";
import { clientIp } from "~/web/client-address.server";
import { getTranslator } from "~/i18n/locale.server";
import { submittedValues, parseSubmission } from "~/lib/submission";
import { Page, Card } from "~/components/layout";
import { FormError, SubmitButton, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";
import { useReplyForm } from "~/components/use-reply-form";
import { refusal } from "~/i18n/refusal";

// The helper's card links here with the household's phone filled in (never the code).
const prefill = z.object({
  phone: z
    .string()
    .regex(/^[0-9 +]{9,16}$/)
    .optional()
    .catch(undefined),
});
export const loader = ({ request }: LoaderFunctionArgs) => ({
  phone: prefill.parse(Object.fromEntries(new URL(request.url).searchParams)).phone ?? "",
});

type Reply = { fieldErrors: Record<string, string>; formError?: string; values: Record<string, string>; sentTo?: string };
const reply = (body: Reply, status: number, headers?: HeadersInit) => data(body, { status, headers });

// A household takes over the account a helper made for it, with the helper's paper code
// (10 digits) or a fresh code sent to its phone (intent=send, 6 digits). Strangers' guesses
// are slowed per phone (LIMITS.claimPerPhone, a rolling hour); the device that asked for the
// SMS code guesses it on its own allowance (household-claims.server.ts, docs/decisions/014).
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = submittedValues(form);
  delete values.password;
  if (form.get("intent") === "send") {
    const parsed = parseSubmission(claimRequestSchema, form);
    if (!parsed.ok) return reply({ fieldErrors: parsed.fieldErrors, values }, 400);
    for (const [name, key] of [
      ["claimRequestPerClient", clientIp(request)],
      ["claimRequestPerPhone", parsed.data.phone],
    ] as const) {
      const gate = await takeToken(name, key);
      if (!gate.ok)
        return reply(
          { fieldErrors: {}, formError: refusal("error.tooManyRequests", { n: Math.ceil(gate.retryAfterSeconds / 60) }), values },
          429,
          { "Retry-After": String(gate.retryAfterSeconds) },
        );
    }
    const { t } = await getTranslator(request);
    const codeId = await requestClaimCode(parsed.data.phone, t);
    return reply(
      { fieldErrors: {}, values: { phone: values.phone ?? "" }, sentTo: parsed.data.phone },
      200,
      await addCodeTicket(request, codeId),
    );
  }
  const parsed = parseSubmission(claimSchema, form);
  if (!parsed.ok) return reply({ fieldErrors: parsed.fieldErrors, values }, 400);
  // Per client address first (LIMITS.claimPerClient), so fresh phone numbers from one client stop
  // there and leave no per-phone counter behind.
  const client = await takeToken("claimPerClient", clientIp(request));
  if (!client.ok)
    return reply({ fieldErrors: {}, formError: waitMessage(client.retryAfterSeconds), values }, 429, {
      "Retry-After": String(client.retryAfterSeconds),
    });
  const result = await claimAccount(parsed.data.phone, parsed.data.code, parsed.data.password, await readCodeTicket(request));
  if (!result.ok && result.error === "error.tooManyAttempts") {
    const wait = result.retryAfterSeconds ?? 60;
    return reply({ fieldErrors: {}, formError: waitMessage(wait), values }, 429, { "Retry-After": String(wait) });
  }
  if (!result.ok) return reply({ fieldErrors: { code: result.error }, values }, 400);
  return loginRedirect(request, result.userId, "/producer/helpers");
}

export default function Claim() {
  const t = useT();
  const answer = useActionData<typeof action>();
  const { phone } = useLoaderData<typeof loader>();
  const { form, fields, busy, formError } = useReplyForm<"phone" | "code" | "password">();
  const phoneTyped = fields.phone.initialValue;
  return (
    <Page title={t("claim.title")}>
      <p className="mb-4">{t("claim.lead")}</p>
      <Card className="max-w-md">
        <FormError error={formError} />
        {answer?.sentTo ? (
          <p className="mb-4" role="status">
            {t("claim.codeSent", { to: answer.sentTo })}
          </p>
        ) : null}
        <Form method="post" noValidate id={form.id} onSubmit={form.onSubmit}>
          <TextField
            name="phone"
            label={t("helper.headPhone")}
            inputMode="tel"
            defaultValue={phoneTyped ?? phone}
            error={fields.phone.errors?.[0]}
          />
          <TextField
            name="code"
            label={t("claim.codeAny")}
            inputMode="numeric"
            defaultValue={answer?.sentTo ? "" : fields.code.initialValue}
            error={fields.code.errors?.[0]}
            maxLength={10}
          />
          <TextField
            name="password"
            type="password"
            label={t("claim.password")}
            hint={t("signup.passwordHint")}
            error={fields.password.errors?.[0]}
            autoComplete="new-password"
          />
          <SubmitButton busy={busy}>{t("claim.submit")}</SubmitButton>
        </Form>
      </Card>
      <Card className="mt-4 max-w-md">
        <p className="mb-2 text-sm">{t("claim.sendLead")}</p>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="send" />
          <TextField name="phone" label={t("helper.headPhone")} inputMode="tel" defaultValue={phoneTyped ?? phone} />
          <SubmitButton busy={busy}>{t("claim.sendNew")}</SubmitButton>
        </Form>
      </Card>
    </Page>
  );
}
