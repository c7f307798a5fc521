import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readCart } from "~/web/cart.server";
import { checkoutSchema, lastDeliveryAddressOf, placeCheckout } from "~/domain/orders/checkout.server";
import { unpaidClientKey } from "~/domain/orders/expiry.server";
import { paymentMethodsForCart } from "~/domain/orders/payment-methods.server";
import { startCardPayment } from "~/domain/payments/payments.server";
import { getOptionalUser } from "~/web/auth.server";
import { clientIp } from "~/web/client-address.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import { listProvinces, wardsOfChosenProvince, type Ward } from "~/domain/address/address.server";
import { submittedValues, parseSubmission, type FieldErrors } from "~/lib/submission";
import { Page, Card } from "~/components/layout";
import { FormError, SubmitButton, TextAreaField, TextField } from "~/components/form-fields";
import { AddressFields } from "~/components/address-fields";
import { CheckoutDelivery } from "~/components/delivery-quote";
import { deliveryForProvince, producerGroupsOf, shopperProvince, type ShopperDelivery } from "~/web/shopper-province.server";
import { useLocale, useT } from "~/i18n/use-t";
import { formatVnd } from "~/i18n/locale";
import { refusal } from "~/i18n/refusal";
import { firstErrors, refillValues, useReplyForm } from "~/components/use-reply-form";

export const meta: MetaFunction = () => [{ title: "Đặt hàng · ocop-trace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const [cart, user] = await Promise.all([readCart(request), getOptionalUser(request)]);
  if (cart.lines.length === 0) throw redirect("/cart");
  // Only the ways to pay every producer of the cart can take (VietQR needs each one's bank account).
  const [{ methods, unavailable }, last] = await Promise.all([
    paymentMethodsForCart(cart.cartId),
    user ? lastDeliveryAddressOf(user.id) : null,
  ]);
  // The address starts where the shopper already is: the province chosen for fees on the
  // product page or cart, else (signed in) the address of the last order sent.
  const remembered = shopperProvince(request).code;
  const address: Record<string, string> = remembered && remembered !== last?.provinceCode ? { provinceCode: remembered } : { ...last };
  return {
    cart,
    methods,
    unavailable,
    provinces: listProvinces(),
    wards: wardsOfChosenProvince(address),
    delivery: await deliveryForProvince(address.provinceCode ?? null, producerGroupsOf(cart.lines)),
    prefill: { buyerName: user?.name ?? "", buyerPhone: user?.phone ?? "", ...address },
  };
}

// Every answer that stays on the page: what was typed (refilled, the pickup boxes too), the
// wards and the fees of the chosen province (none on a rate-limit refusal: the page keeps
// what it showed), and the messages, next to a field or above the form.
function answer(
  form: FormData,
  wards: Ward[],
  delivery: ShopperDelivery | null,
  refused: { fieldErrors?: FieldErrors; formError?: string; status?: number } = {},
) {
  return data(
    {
      values: submittedValues(form),
      pickup: form.getAll("pickup").filter((v): v is string => typeof v === "string"),
      wards,
      delivery,
      fieldErrors: refused.fieldErrors ?? {},
      formError: refused.formError,
    },
    { status: refused.status ?? 200 },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = submittedValues(form);
  const wards = wardsOfChosenProvince(values);
  const quote = async () => deliveryForProvince(values.provinceCode ?? null, producerGroupsOf((await readCart(request)).lines));
  // "Show wards" re-posts the form without placing the order (works with JavaScript off).
  if (form.get("intent") === "loadWards") return answer(form, wards, await quote());
  const parsed = parseSubmission(checkoutSchema, form);
  if (!parsed.ok) return answer(form, wards, await quote(), { fieldErrors: parsed.fieldErrors, status: 400 });
  // Orders hold stock and send messages: a client may place only so many (LIMITS.checkout).
  const gate = await takeToken("checkout", clientIp(request));
  if (!gate.ok)
    return answer(form, wards, null, {
      formError: refusal("error.tooManyRequests", { n: Math.ceil(gate.retryAfterSeconds / 60) }),
      status: 429,
    });
  const [cart, user] = await Promise.all([readCart(request), getOptionalUser(request)]);
  if (!cart.cartId) return redirect("/cart");
  const placed = await placeCheckout({
    cartId: cart.cartId,
    buyerId: user?.id ?? null,
    buyerEmail: user?.email ?? null,
    input: parsed.data,
    clientKey: unpaidClientKey(clientIp(request)),
  });
  // A refusal about one field (the producer's COD unit limit) is shown next to that field.
  if (!placed.ok)
    return answer(form, wards, await quote(), {
      ...(placed.field ? { fieldErrors: { [placed.field]: placed.error } } : { formError: placed.error }),
      status: 409,
    });
  // One card order goes straight to Stripe; several are paid one by one from the summary.
  if (parsed.data.paymentMethod === "STRIPE" && placed.orders.length === 1) {
    const card = await startCardPayment(placed.orders[0]!.id);
    if (card.ok) return redirect(card.url);
  }
  return redirect(`/checkout/${placed.checkoutId}`);
}

export default function Checkout() {
  const t = useT();
  const locale = useLocale();
  const page = useLoaderData<typeof loader>();
  const { cart, methods, unavailable, provinces, prefill } = page;
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") !== "loadWards";
  const { form, formError } = useReplyForm<"buyerName" | "buyerPhone" | "provinceCode" | "wardCode" | "street" | "note" | "paymentMethod">({
    defaultValue: prefill,
  });
  const values = refillValues(form.initialValue);
  const errors = firstErrors(form.allErrors);
  const chosen = methods.includes(values.paymentMethod as (typeof methods)[number]) ? values.paymentMethod : methods[0];
  return (
    <Page title={t("checkout.title")}>
      <Card>
        <ul className="text-sm">
          {cart.lines.map((l) => (
            <li key={l.product.id}>
              {t(`qty.${l.product.unit}`, { n: l.quantity })} × {l.product.name} ({l.product.producer.name}) —{" "}
              {formatVnd(locale, l.lineVnd)}
            </li>
          ))}
        </ul>
        <p className="mt-2 text-lg">
          {t("cart.total")}: <strong>{formatVnd(locale, cart.totalVnd)}</strong>
        </p>
      </Card>
      <FormError error={formError} />
      <Form method="post" noValidate id={form.id} onSubmit={form.onSubmit}>
        <Card>
          <h2 className="mb-2 text-lg font-semibold">{t("checkout.contact")}</h2>
          <TextField
            name="buyerName"
            label={t("checkout.name")}
            defaultValue={values.buyerName}
            error={errors.buyerName}
            maxLength={100}
            autoComplete="name"
            required
          />
          <TextField
            name="buyerPhone"
            label={t("checkout.phone")}
            type="tel"
            inputMode="tel"
            defaultValue={values.buyerPhone}
            error={errors.buyerPhone}
            autoComplete="tel"
            required
          />
          <AddressFields provinces={provinces} wards={result?.wards ?? page.wards} values={values} errors={errors} />
          <TextAreaField
            name="note"
            label={t("checkout.note")}
            hint={t("common.optional")}
            defaultValue={values.note}
            error={errors.note}
            maxLength={500}
            rows={2}
          />
        </Card>
        <Card>
          <CheckoutDelivery
            delivery={result?.delivery ?? page.delivery}
            producerNames={Object.fromEntries(cart.lines.map((l) => [l.product.producer.id, l.product.producer.name]))}
            goodsVnd={cart.totalVnd}
            pickedUp={result?.pickup ?? []}
          />
        </Card>
        <Card>
          <fieldset>
            <legend className="mb-2 text-lg font-semibold">{t("checkout.payment")}</legend>
            {methods.map((m) => (
              <label key={m} className="mb-2 flex min-h-11 items-center gap-3 text-base">
                <input type="radio" name="paymentMethod" value={m} defaultChecked={chosen === m} className="mt-0 h-5 w-5 shrink-0 p-0" />
                {t(`checkout.method.${m}`)}
              </label>
            ))}
            {unavailable.map((u) => (
              <p key={`${u.method}-${u.reason}`} className="mb-1 text-sm text-stone-700" data-testid={`unavailable-${u.method}`}>
                {t(u.reason)}
              </p>
            ))}
            {methods.length === 0 ? (
              <p className="text-sm font-semibold text-red-800" role="alert">
                {t("checkout.noMethod")}
              </p>
            ) : null}
            {errors.paymentMethod ? (
              <p className="text-sm text-red-800" role="alert">
                {t(errors.paymentMethod)}
              </p>
            ) : null}
          </fieldset>
        </Card>
        {methods.length > 0 ? (
          <SubmitButton name="intent" value="place" busy={busy}>
            {busy ? t("checkout.placing") : t("checkout.place")}
          </SubmitButton>
        ) : null}
      </Form>
    </Page>
  );
}
