import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { findProductForSale } from "~/domain/catalog/product-for-sale.server";
import { productReviews } from "~/domain/reviews/reviews.server";
import { ProductReviews } from "~/components/reviews";
import { cartLineSchema, setCartQuantity } from "~/web/cart.server";
import { describeLocation } from "~/domain/address/address.server";
import { notFound } from "~/web/auth.server";
import { parseSubmission } from "~/lib/submission";
import { ProductGallery } from "~/components/product-gallery";
import { Page, Card } from "~/components/layout";
import { FormError, SubmitButton, TextField } from "~/components/form-fields";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate, formatVnd } from "~/i18n/locale";
import { deliveryForShopper } from "~/web/shopper-province.server";
import { ProductDelivery } from "~/components/delivery-quote";
import { productSeo } from "~/web/page-seo.server";
import { seoMeta } from "~/components/page-seo";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const product = await findProductForSale(params.productId ?? "");
  if (!product) throw notFound();
  const { setCookie, ...delivery } = await deliveryForShopper(request, [
    { producerId: product.producer.id, subtotalVnd: product.priceVnd },
  ]);
  const located = { ...product, location: describeLocation(product.producer.wardCode, product.producer.provinceCode) };
  const reviews = await productReviews(product.id);
  return data(
    { product: located, reviews, delivery, seo: await productSeo(request, located, reviews) },
    setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined,
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  seoMeta(data ? `${data.product.name} · ocop-trace` : "ocop-trace", data?.seo);

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  form.set("productId", params.productId ?? "");
  const parsed = parseSubmission(cartLineSchema, form);
  if (!parsed.ok) return data({ added: false, fieldErrors: parsed.fieldErrors, error: undefined }, { status: 400 });
  const result = await setCartQuantity(request, parsed.data.productId, Math.max(1, parsed.data.quantity), "add");
  if (!result.ok) {
    const limited =
      result.retryAfterSeconds !== undefined
        ? { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } }
        : { status: 409 };
    return data({ added: false, fieldErrors: {} as Record<string, string>, error: result.error }, limited);
  }
  return data(
    { added: true, fieldErrors: {} as Record<string, string>, error: undefined },
    result.setCookie ? { headers: { "Set-Cookie": result.setCookie } } : undefined,
  );
}

export default function ProductPage() {
  const t = useT();
  const locale = useLocale();
  const { product, reviews, delivery } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const unit = t(`unit.${product.unit}`);
  return (
    <Page title={product.name}>
      <ProductGallery images={product.images} name={product.name} />
      <Card>
        <p className="text-sm text-stone-600">{t(`ocop.group.${product.ocopGroup}`)}</p>
        {product.badge ? (
          <p className="mb-1">
            <span className="rounded bg-amber-100 px-2 py-1 font-semibold text-amber-900">
              {"★".repeat(product.badge.stars)} {t("cert.badge", { stars: product.badge.stars })}
            </span>{" "}
            <span className="text-sm text-stone-700">
              {t("cert.decisionNo", { number: product.badge.decisionNumber })} ·{" "}
              {t("cert.validUntil", { date: formatDate(locale, product.badge.validUntil) })}
            </span>
          </p>
        ) : null}
        {product.badge?.verifiedBy && product.badge.verifiedAt ? (
          <p className="mb-1 text-sm text-stone-700">
            {t("cert.verifiedBy", { office: product.badge.verifiedBy, date: formatDate(locale, product.badge.verifiedAt) })}
          </p>
        ) : null}
        <p className="text-2xl font-bold text-brand-700">
          {formatVnd(locale, product.priceVnd)} / {unit}
        </p>
        <p className={product.stock > 0 ? "text-stone-700" : "font-semibold text-red-800"}>
          {product.stock > 0
            ? t("product.stock", { count: t(`qty.${product.unit}`, { n: product.stock }) })
            : product.saleStopped
              ? t(`saleStopped.${product.saleStopped.kind}`, {
                  lot: product.saleStopped.lotCode,
                  reason: product.saleStopped.reason ?? "",
                  ...(product.saleStopped.until ? { until: product.saleStopped.until } : {}),
                })
              : t("product.soldOut")}
        </p>
        {product.description ? <p className="mt-2 whitespace-pre-line">{product.description}</p> : null}
      </Card>
      <Card>
        <ProductDelivery delivery={delivery} />
      </Card>
      {product.stock > 0 ? (
        <Card>
          <FormError error={result?.error} />
          {result?.added ? (
            <p className="mb-3 rounded-md border border-brand-600 bg-brand-50 p-3" role="status">
              {t("product.added")} <Link to="/cart">{t("product.viewCart")}</Link>
            </p>
          ) : null}
          <Form method="post" className="flex flex-wrap items-end gap-3">
            <div className="w-28">
              <TextField
                name="quantity"
                label={t("product.quantity")}
                type="number"
                inputMode="numeric"
                min={1}
                max={product.stock}
                defaultValue="1"
                error={result?.fieldErrors.quantity}
                required
              />
            </div>
            <div className="mb-4">
              <SubmitButton busy={busy}>{t("product.addToCart")}</SubmitButton>
            </div>
          </Form>
        </Card>
      ) : null}
      <Card>
        <h2 className="mb-1 text-lg font-semibold">{t("product.origin")}</h2>
        {product.nextBatch ? (
          <>
            <p>{t("product.originSummary", { lot: product.nextBatch.lotCode, date: formatDate(locale, product.nextBatch.producedAt) })}</p>
            {product.nextBatch.productionArea ? <p>{t("product.area", { n: product.nextBatch.productionArea })}</p> : null}
            {product.nextBatch.expiresAt ? <p>{t("product.expires", { n: formatDate(locale, product.nextBatch.expiresAt) })}</p> : null}
            {product.nextBatch.events > 0 ? (
              <p>{t("product.events", { n: product.nextBatch.events })}</p>
            ) : (
              <p className="text-stone-600">{t("product.noEvents")}</p>
            )}
            {product.nextBatch.traceCode ? (
              <p className="mt-2">
                <Link reloadDocument to={`/t/${product.nextBatch.traceCode}`}>
                  {t("product.trace")}
                </Link>
              </p>
            ) : null}
          </>
        ) : (
          <p>{t("product.noBatch")}</p>
        )}
      </Card>
      <ProductReviews reviews={reviews} soldUnits={product.soldUnits} />
      <Card>
        <h2 className="mb-1 text-lg font-semibold">{t("product.producer")}</h2>
        <p className="font-semibold">{product.producer.name}</p>
        <p>{t(`producerType.${product.producer.type}`)}</p>
        <p>
          {product.location.ward}, {product.location.province}
        </p>
        {product.producer.story ? <p className="mt-2 whitespace-pre-line text-stone-700">{product.producer.story}</p> : null}
        <p className="mt-2">
          <Link to={`/producers/${product.producer.id}`}>{t("producerPage.link")}</Link>
        </p>
      </Card>
    </Page>
  );
}
