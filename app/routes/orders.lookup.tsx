import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { lookUpOrder, orderLookupSchema } from "~/domain/orders/lookup.server";
import { buyerOrderPath } from "~/domain/orders/order-links.server";
import { getSessionUserId } from "~/web/session.server";
import { clientIp } from "~/web/client-address.server";
import { submittedValues, parseSubmission, type FieldErrors } from "~/lib/submission";
import { fieldProps, useReplyForm } from "~/components/use-reply-form";
import { Page, Card } from "~/components/layout";
import { FormError, SubmitButton, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";
import { refusal } from "~/i18n/refusal";

export const meta: MetaFunction = () => [{ title: "Tra cứu đơn hàng · ocop-trace" }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // A link may name the code (?code=DH…); the phone is always typed.
  const code = new URL(request.url).searchParams.get("code")?.slice(0, 30) ?? "";
  return { code, signedIn: Boolean(await getSessionUserId(request)) };
}

// A refusal: what was typed (refilled), messages by field, or one above the form.
const refused = (values: Record<string, string>, status: number, answer: { fieldErrors?: FieldErrors; error?: string }) =>
  data({ values, fieldErrors: answer.fieldErrors ?? {}, error: answer.error }, { status });

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = submittedValues(form);
  const parsed = parseSubmission(orderLookupSchema, form);
  if (!parsed.ok) return refused(values, 400, { fieldErrors: parsed.fieldErrors });
  const found = await lookUpOrder(parsed.data, clientIp(request));
  if (!found.ok) return refused(values, 429, { error: refusal("error.tooManyRequests", { n: Math.ceil(found.retryAfterSeconds / 60) }) });
  // A wrong phone and an unknown code get this same answer.
  if (!found.order) return refused(values, 404, { error: "lookup.notFound" });
  const { order } = found;
  // An account's order opens with that account (a checkout id never opens it).
  if (order.buyerId && order.buyerId !== (await getSessionUserId(request)))
    return redirect(`/login?redirectTo=${encodeURIComponent(`/orders/${order.code}`)}`);
  return redirect(buyerOrderPath(order));
}

export default function OrderLookup() {
  const t = useT();
  const { code, signedIn } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { form, fields } = useReplyForm<"phone" | "code">({ defaultValue: { code } });
  return (
    <Page title={t("lookup.title")}>
      <p className="mb-3">{t("lookup.lead")}</p>
      <FormError error={result?.error} />
      <Card>
        <Form method="post" noValidate id={form.id} onSubmit={form.onSubmit}>
          <TextField
            {...fieldProps(fields.phone)}
            label={t("lookup.phone")}
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            maxLength={30}
            required
          />
          <TextField
            {...fieldProps(fields.code)}
            label={t("lookup.code")}
            hint={t("lookup.codeHint")}
            maxLength={30}
            autoCapitalize="characters"
            autoCorrect="off"
            spellCheck={false}
            className="font-mono uppercase"
            required
          />
          <SubmitButton busy={navigation.state === "submitting"}>{t("lookup.submit")}</SubmitButton>
        </Form>
      </Card>
      {signedIn ? (
        <p className="text-sm">
          <Link to="/orders">{t("nav.orders")}</Link>
        </p>
      ) : (
        <p className="text-sm text-stone-700">{t("lookup.mine")}</p>
      )}
    </Page>
  );
}
