import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { lookUpOrder, orderLookupSchema } from "~/domain/orders/lookup.server";
import { buyerOrderPath } from "~/domain/orders/order-links.server";
import { getSessionUserId } from "~/domain/identity/session.server";
import { clientIp } from "~/domain/identity/users.server";
import { submittedValues, parseSubmission } from "~/lib/submission";
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

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = submittedValues(form);
  const parsed = parseSubmission(orderLookupSchema, form);
  if (!parsed.ok) return data({ values, fieldErrors: parsed.fieldErrors, error: undefined as string | undefined }, { status: 400 });
  const found = await lookUpOrder(parsed.data, clientIp(request));
  if (!found.ok) return data({ values, fieldErrors: {} as Record<string, string>, error: refusal("error.tooManyRequests", { n: Math.ceil(found.retryAfterSeconds / 60) }) }, { status: 429 });
  // A wrong phone and an unknown code get this same answer.
  if (!found.order) return data({ values, fieldErrors: {} as Record<string, string>, error: "lookup.notFound" }, { status: 404 });
  const { order } = found;
  // An account's order opens with that account (a checkout id never opens it).
  if (order.buyerId && order.buyerId !== (await getSessionUserId(request))) return redirect(`/login?redirectTo=${encodeURIComponent(`/orders/${order.code}`)}`);
  return redirect(buyerOrderPath(order));
}

export default function OrderLookup() {
  const t = useT();
  const { code, signedIn } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const values: Record<string, string> = result?.values ?? { code };
  const errors: Record<string, string> = result?.fieldErrors ?? {};
  return (
    <Page title={t("lookup.title")}>
      <p className="mb-3">{t("lookup.lead")}</p>
      <FormError error={result?.error} />
      <Card>
        <Form method="post" noValidate>
          <TextField name="phone" label={t("lookup.phone")} type="tel" inputMode="tel" autoComplete="tel" defaultValue={values.phone} error={errors.phone} maxLength={30} required />
          <TextField
            name="code"
            label={t("lookup.code")}
            hint={t("lookup.codeHint")}
            defaultValue={values.code}
            error={errors.code}
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
