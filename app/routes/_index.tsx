import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listPublicProducts } from "~/domain/catalog/product.server";
import { findProvince } from "~/domain/address/address.server";
import { Page, Card } from "~/components/layout";
import { useLocale, useT } from "~/i18n/use-t";
import { formatVnd } from "~/i18n/locale";

export const meta: MetaFunction = () => [
  { title: "ocop-trace · Truy xuất nguồn gốc sản phẩm OCOP" },
  { name: "description", content: "Quét mã QR để biết sản phẩm OCOP đến từ đâu, ai làm ra và ai đã kiểm tra." },
];

export async function loader(_: LoaderFunctionArgs) {
  const products = await listPublicProducts(12);
  return {
    products: products.map((p) => ({ ...p, provinceName: findProvince(p.producer.provinceCode)?.name ?? "" })),
  };
}

export default function Home() {
  const t = useT();
  const locale = useLocale();
  const { products } = useLoaderData<typeof loader>();
  return (
    <Page title={t("home.title")}>
      <p className="mb-4 text-lg">{t("home.lead")}</p>
      <div className="mb-6 flex flex-wrap gap-3">
        <Link to="/signup" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white no-underline">
          {t("home.ctaProducer")}
        </Link>
      </div>
      <h2 className="mb-3 text-xl font-semibold">{t("home.newProducts")}</h2>
      {products.length === 0 ? <p>{t("home.noProducts")}</p> : null}
      <ul className="grid gap-3 sm:grid-cols-2">
        {products.map((p) => (
          <li key={p.id}>
            <Card className="mb-0 h-full">
              <p className="font-semibold">{p.name}</p>
              <p className="text-sm text-stone-600">
                {p.producer.name} · {p.provinceName}
              </p>
              <p className="text-sm">{t(`ocop.group.${p.ocopGroup}`)}</p>
              <p className="mt-1 font-semibold text-brand-700">
                {formatVnd(locale, p.priceVnd)} / {t(`unit.${p.unit}`)}
              </p>
            </Card>
          </li>
        ))}
      </ul>
    </Page>
  );
}
