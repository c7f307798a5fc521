import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireProducerMember } from "~/domain/identity/auth.server";
import { listProductsOfProducer } from "~/domain/catalog/product.server";
import { Page, Card } from "~/components/layout";
import { useLocale, useT } from "~/i18n/use-t";
import { formatVnd } from "~/i18n/locale";

export async function loader({ request }: LoaderFunctionArgs) {
  const { producer } = await requireProducerMember(request);
  const products = await listProductsOfProducer(producer.id);
  return { producer: { name: producer.name, status: producer.status, statusReason: producer.statusReason }, products };
}

export default function ProducerHome() {
  const t = useT();
  const locale = useLocale();
  const { producer, products } = useLoaderData<typeof loader>();
  return (
    <Page title={producer.name}>
      {producer.status === "PENDING" ? (
        <p className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3" role="status">
          {t("producer.pendingNotice")}
        </p>
      ) : null}
      {producer.status === "SUSPENDED" ? (
        <p className="mb-4 rounded-md border border-red-300 bg-red-50 p-3" role="alert">
          {t("producer.suspendedNotice")} {producer.statusReason ?? ""}
        </p>
      ) : null}
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-semibold">{t("producer.products")}</h2>
        {producer.status !== "SUSPENDED" ? (
          <Link to="/producer/products/new" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white no-underline">
            {t("producer.addProduct")}
          </Link>
        ) : null}
      </div>
      {products.length === 0 ? <p>{t("producer.noProducts")}</p> : null}
      <ul>
        {products.map((p) => (
          <li key={p.id}>
            <Card>
              <Link to={`/producer/products/${p.id}`} className="font-semibold">
                {p.name}
              </Link>
              <p className="text-sm text-stone-600">
                {t(`ocop.group.${p.ocopGroup}`)} · {formatVnd(locale, p.priceVnd)} / {t(`unit.${p.unit}`)} · {t("producer.batchCount", { n: p._count.batches })}
              </p>
            </Card>
          </li>
        ))}
      </ul>
    </Page>
  );
}
