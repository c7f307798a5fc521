import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { cartLineSchema, readCart, setCartQuantity } from "~/web/cart.server";
import { parseSubmission } from "~/lib/submission";
import { formText } from "~/domain/input/fields";
import { Page, Card } from "~/components/layout";
import { FormError } from "~/components/form-fields";
import { useLocale, useT } from "~/i18n/use-t";
import { formatVnd } from "~/i18n/locale";
import { deliveryForShopper, producerGroupsOf } from "~/web/shopper-province.server";
import { CartDelivery } from "~/components/delivery-quote";

export const meta: MetaFunction = () => [{ title: "Giỏ hàng · ocop-trace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const cart = await readCart(request);
  const { setCookie, ...delivery } = await deliveryForShopper(request, producerGroupsOf(cart.lines));
  return data({ ...cart, delivery }, setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined);
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  if (form.get("intent") === "remove") form.set("quantity", "0");
  const parsed = parseSubmission(cartLineSchema, form);
  if (!parsed.ok)
    return data(
      { ok: false, productId: formText(form, "productId"), error: parsed.fieldErrors.quantity ?? "error.badRequest" },
      { status: 400 },
    );
  const result = await setCartQuantity(request, parsed.data.productId, parsed.data.quantity, "set");
  if (!result.ok) {
    const limited =
      result.retryAfterSeconds !== undefined
        ? { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } }
        : { status: 409 };
    return data({ ok: false, productId: parsed.data.productId, error: result.error }, limited);
  }
  return data(
    { ok: true, productId: parsed.data.productId, error: undefined },
    result.setCookie ? { headers: { "Set-Cookie": result.setCookie } } : undefined,
  );
}

export default function Cart() {
  const t = useT();
  const locale = useLocale();
  const cart = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const blocked = cart.lines.some((l) => l.problem);
  return (
    <Page title={t("cart.title")}>
      {cart.lines.length === 0 ? (
        <p>
          {t("cart.empty")} <Link to="/products">{t("home.allProducts")}</Link>
        </p>
      ) : (
        <>
          <p className="mb-3 text-sm text-stone-700">{t("cart.byProducer")}</p>
          {result?.ok ? (
            <p className="mb-3 text-sm text-brand-800" role="status">
              {t("cart.saved")}
            </p>
          ) : null}
          <ul>
            {cart.lines.map((l) => (
              <li key={l.product.id}>
                <Card>
                  <p className="font-semibold">
                    <Link to={`/products/${l.product.id}`}>{l.product.name}</Link>
                  </p>
                  <p className="text-sm text-stone-600">{l.product.producer.name}</p>
                  <p>
                    {formatVnd(locale, l.product.priceVnd)} / {t(`unit.${l.product.unit}`)} ·{" "}
                    <strong>{formatVnd(locale, l.lineVnd)}</strong>
                  </p>
                  {result && !result.ok && result.productId === l.product.id ? <FormError error={result.error} /> : null}
                  {l.problem ? (
                    <p className="font-semibold text-red-800" role="alert">
                      {t(l.problem)}
                    </p>
                  ) : null}
                  <Form method="post" className="mt-2 flex flex-wrap items-center gap-2">
                    <input type="hidden" name="productId" value={l.product.id} />
                    <label htmlFor={`qty-${l.product.id}`} className="text-sm">
                      {t("product.quantity")}
                    </label>
                    <input
                      id={`qty-${l.product.id}`}
                      name="quantity"
                      type="number"
                      inputMode="numeric"
                      min={0}
                      defaultValue={l.quantity}
                      className="w-20"
                    />
                    <button
                      type="submit"
                      name="intent"
                      value="update"
                      className="rounded-md border border-brand-700 px-3 py-1 text-brand-700"
                    >
                      {t("cart.update")}
                    </button>
                    <button type="submit" name="intent" value="remove" className="text-sm underline">
                      {t("cart.remove")}
                    </button>
                  </Form>
                </Card>
              </li>
            ))}
          </ul>
          <p className="mb-3 text-lg">
            {t("cart.total")}: <strong>{formatVnd(locale, cart.totalVnd)}</strong>
          </p>
          <Card>
            <CartDelivery
              delivery={cart.delivery}
              producerNames={Object.fromEntries(cart.lines.map((l) => [l.product.producer.id, l.product.producer.name]))}
              goodsVnd={cart.totalVnd}
            />
          </Card>
          {blocked ? (
            <p className="font-semibold text-red-800">{t("cart.fix")}</p>
          ) : (
            <Link to="/checkout" className="inline-block rounded-md bg-brand-700 px-4 py-2 font-semibold text-white no-underline">
              {t("cart.checkout")}
            </Link>
          )}
        </>
      )}
    </Page>
  );
}
