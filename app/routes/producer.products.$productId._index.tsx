import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requireProducerMember } from "~/domain/identity/auth.server";
import { findProductOfProducer } from "~/domain/catalog/product.server";
import { listBatchesOfProduct } from "~/domain/catalog/batch.server";
import { Page, Card } from "~/components/layout";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate, formatNumber, formatVnd } from "~/i18n/locale";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { producer } = await requireProducerMember(request);
  const product = await findProductOfProducer(producer.id, params.productId ?? "");
  if (!product) throw notFound();
  const batches = await listBatchesOfProduct(product.id);
  return { product, batches, canWrite: producer.status !== "SUSPENDED" };
}

export default function ProductDetail() {
  const t = useT();
  const locale = useLocale();
  const { product, batches, canWrite } = useLoaderData<typeof loader>();
  return (
    <Page title={product.name}>
      <Card>
        <p>{t(`ocop.group.${product.ocopGroup}`)}</p>
        <p className="font-semibold">
          {formatVnd(locale, product.priceVnd)} / {t(`unit.${product.unit}`)}
        </p>
        {product.description ? <p className="mt-2 whitespace-pre-line">{product.description}</p> : null}
      </Card>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-semibold">{t("batch.listTitle")}</h2>
        {canWrite ? (
          <Link to={`/producer/products/${product.id}/batches/new`} className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white no-underline">
            {t("batch.add")}
          </Link>
        ) : null}
      </div>
      {batches.length === 0 ? <p>{t("batch.none")}</p> : null}
      <ul>
        {batches.map((b) => (
          <li key={b.id}>
            <Card>
              <Link to={`/producer/batches/${b.id}`} className="font-semibold">
                {t("batch.lot")} {b.lotCode}
              </Link>
              <p className="text-sm text-stone-600">
                {t("batch.producedAt")}: {formatDate(locale, b.producedAt)} · {formatNumber(locale, b.quantity)} {t(`unit.${product.unit}`)} ·{" "}
                {b.codes.length ? t("batch.hasCode") : t("batch.noCode")}
              </p>
            </Card>
          </li>
        ))}
      </ul>
    </Page>
  );
}
