import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { newestProducts, provincesWithProducts } from "~/domain/catalog/storefront-search.server";
import { OCOP_GROUPS } from "~/domain/catalog/ocop";
import { Page } from "~/components/layout";
import { EAGER_CARD_PHOTOS, ProductCard } from "~/components/product-card";
import { useT } from "~/i18n/use-t";
import { listSeo } from "~/web/page-seo.server";
import { seoMeta } from "~/components/page-seo";

export const meta: MetaFunction<typeof loader> = ({ data }) => seoMeta("ocop-trace · Truy xuất nguồn gốc sản phẩm OCOP", data?.seo);

export async function loader({ request }: LoaderFunctionArgs) {
  const [products, provinces, seo] = await Promise.all([newestProducts(8), provincesWithProducts(), listSeo(request, "/")]);
  return { products, provinces, seo };
}

export default function Home() {
  const t = useT();
  const { products, provinces } = useLoaderData<typeof loader>();
  return (
    <Page title={t("home.title")}>
      <p className="mb-4 text-lg">{t("home.lead")}</p>
      <form method="get" action="/products" role="search" className="mb-4 flex gap-2">
        <label htmlFor="home-q" className="sr-only">
          {t("store.searchLabel")}
        </label>
        <input id="home-q" name="q" type="search" placeholder={t("store.searchLabel")} className="min-w-0 flex-1" />
        <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white">
          {t("store.search")}
        </button>
      </form>
      <h2 className="mb-2 text-lg font-semibold">{t("home.browseGroups")}</h2>
      <ul className="mb-4 flex flex-wrap gap-2">
        {OCOP_GROUPS.map((g) => (
          <li key={g}>
            <Link to={`/products?group=${g}`} className="inline-block rounded-full border border-brand-600 px-3 py-1 text-sm no-underline">
              {t(`ocop.group.${g}`)}
            </Link>
          </li>
        ))}
      </ul>
      <h2 className="mb-2 text-lg font-semibold">{t("home.browseStars")}</h2>
      <ul className="mb-4 flex flex-wrap gap-2">
        {[5, 4, 3].map((s) => (
          <li key={s}>
            <Link
              to={`/products?stars=${s}`}
              className="inline-block rounded-full border border-amber-500 px-3 py-1 text-sm text-amber-900 no-underline"
            >
              {"★".repeat(s)} {t("store.starsN", { n: s })}
            </Link>
          </li>
        ))}
      </ul>
      <h2 className="mb-2 text-lg font-semibold">{t("home.browseProvinces")}</h2>
      <ul className="mb-6 flex flex-wrap gap-2">
        {provinces.map((p) => (
          <li key={p.code}>
            <Link
              to={`/products?province=${p.code}`}
              className="inline-block rounded-full border border-stone-400 px-3 py-1 text-sm no-underline"
            >
              {p.name}
            </Link>
          </li>
        ))}
      </ul>
      <h2 className="mb-3 text-xl font-semibold">{t("home.newHarvests")}</h2>
      {products.length === 0 ? <p>{t("home.noProducts")}</p> : null}
      <ul className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-3">
        {products.map((p, i) => (
          <li key={p.id}>
            <ProductCard product={p} photoLoading={i < EAGER_CARD_PHOTOS ? "eager" : "lazy"} />
          </li>
        ))}
      </ul>
      <p className="mb-6">
        <Link to="/products">{t("home.allProducts")}</Link>
      </p>
      <p className="mb-6 text-sm">
        <Link to="/du-lieu-mo">{t("openData.homeLink")}</Link>
      </p>
      <Link to="/signup" className="inline-block rounded-md border border-brand-700 px-4 py-2 font-semibold text-brand-700 no-underline">
        {t("home.ctaProducer")}
      </Link>
    </Page>
  );
}
