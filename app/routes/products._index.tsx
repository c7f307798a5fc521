import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { effectiveSort, parseStorefrontQuery, provincesWithProducts, searchProducts } from "~/domain/catalog/storefront-search.server";
import { OCOP_GROUPS } from "~/domain/catalog/ocop";
import { Page } from "~/components/layout";
import { EAGER_CARD_PHOTOS, ProductCard } from "~/components/product-card";
import { choiceParams, StorefrontSortFilters } from "~/components/storefront-sort-filters";
import { useT } from "~/i18n/use-t";
import { listSeo } from "~/web/page-seo.server";
import { seoMeta } from "~/components/page-seo";

export const meta: MetaFunction<typeof loader> = ({ data }) => seoMeta("Sản phẩm OCOP · ocop-trace", data?.seo);

export async function loader({ request }: LoaderFunctionArgs) {
  const query = parseStorefrontQuery(new URL(request.url));
  const [result, provinces, seo] = await Promise.all([
    searchProducts(query),
    provincesWithProducts(),
    listSeo(request, "/products", query.province),
  ]);
  return { query, sort: effectiveSort(query), ...result, provinces, seo };
}

export default function Products() {
  const t = useT();
  const { query, sort, products, total, pages, provinces, suggestion } = useLoaderData<typeof loader>();
  const pageLink = (page: number) => {
    const params = choiceParams(query);
    params.set("page", String(page));
    return `/products?${params}`;
  };
  // The suggestion keeps the filters and the order, from the first page.
  const suggestLink = (q: string) => `/products?${choiceParams({ ...query, q })}`;
  return (
    <Page title={t("store.title")}>
      <form method="get" role="search" className="mb-4 rounded-lg border border-stone-200 bg-white p-3">
        <label htmlFor="q" className="mb-1 block font-medium">
          {t("store.searchLabel")}
        </label>
        <div className="mb-3 flex gap-2">
          <input id="q" name="q" type="search" defaultValue={query.q ?? ""} className="min-w-0 flex-1" />
          <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white">
            {t("store.search")}
          </button>
        </div>
        <div className="grid grid-cols-1 gap-2 sm:grid-cols-3">
          <label className="text-sm">
            {t("store.group")}
            <select name="group" defaultValue={query.group ?? ""} className="mt-1 block w-full">
              <option value="">{t("store.any")}</option>
              {OCOP_GROUPS.map((g) => (
                <option key={g} value={g}>
                  {t(`ocop.group.${g}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm">
            {t("store.province")}
            <select name="province" defaultValue={query.province ?? ""} className="mt-1 block w-full">
              <option value="">{t("store.any")}</option>
              {provinces.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm">
            {t("store.stars")}
            <select name="stars" defaultValue={query.stars ?? ""} className="mt-1 block w-full">
              <option value="">{t("store.any")}</option>
              {[5, 4, 3].map((s) => (
                <option key={s} value={s}>
                  {t("store.starsN", { n: s })}
                </option>
              ))}
            </select>
          </label>
        </div>
        <StorefrontSortFilters query={query} sort={sort} />
        <p className="mt-3 flex gap-4">
          <button type="submit" className="rounded-md border border-brand-700 px-3 py-1 font-semibold text-brand-700">
            {t("store.filter")}
          </button>
          <Link to="/products" className="self-center text-sm">
            {t("store.clear")}
          </Link>
        </p>
      </form>
      {suggestion ? (
        <p className="mb-2 rounded-md border border-amber-300 bg-amber-50 p-3" data-testid="did-you-mean">
          {t("store.didYouMean")}{" "}
          <Link to={suggestLink(suggestion)} className="font-semibold">
            {suggestion}
          </Link>
          <span className="mt-1 block text-sm text-stone-700">{t("store.typoResults", { q: query.q ?? "" })}</span>
        </p>
      ) : null}
      <p className="mb-2 text-sm text-stone-700" role="status">
        {t("store.results", { n: total })}
      </p>
      {products.length === 0 ? <p>{t("store.noResults")}</p> : null}
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3">
        {products.map((p, i) => (
          <li key={p.id}>
            <ProductCard product={p} photoLoading={i < EAGER_CARD_PHOTOS ? "eager" : "lazy"} />
          </li>
        ))}
      </ul>
      {pages > 1 ? (
        <nav className="mt-4 flex items-center justify-between" aria-label={t("store.page", { n: query.page, m: pages })}>
          {query.page > 1 ? <Link to={pageLink(query.page - 1)}>{t("store.prev")}</Link> : <span />}
          <span className="text-sm">{t("store.page", { n: query.page, m: pages })}</span>
          {query.page < pages ? <Link to={pageLink(query.page + 1)}>{t("store.next")}</Link> : <span />}
        </nav>
      ) : null}
    </Page>
  );
}
