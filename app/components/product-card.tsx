import { Link } from "@remix-run/react";
import { useLocale, useT } from "~/i18n/use-t";
import { formatVnd } from "~/i18n/locale";

export type ProductCardData = {
  id: string;
  name: string;
  ocopGroup: number;
  unit: string;
  priceVnd: number;
  photo: string | null;
  stars: number | null;
  provinceName: string;
  inStock: boolean;
  soldUnits: number;
  producer: { name: string };
};

/** One product in a list: small photo (lazy), name, producer and province, stars, price. */
export function ProductCard({ product: p }: { product: ProductCardData }) {
  const t = useT();
  const locale = useLocale();
  return (
    <Link
      to={`/products/${p.id}`}
      className="flex h-full gap-3 rounded-lg border border-stone-200 bg-white p-3 text-stone-900 no-underline hover:border-brand-600"
    >
      {p.photo ? (
        <img
          src={`/media/${p.photo}-320.webp`}
          alt=""
          loading="lazy"
          width={80}
          height={80}
          className="h-20 w-20 shrink-0 rounded object-cover"
        />
      ) : null}
      <span className="min-w-0">
        <span className="block font-semibold">{p.name}</span>
        <span className="block text-sm text-stone-600">
          {p.producer.name} · {p.provinceName}
        </span>
        <span className="block text-sm">
          {t(`ocop.group.${p.ocopGroup}`)}
          {p.stars ? <span className="ml-1 font-semibold text-amber-800">{"★".repeat(p.stars)}</span> : null}
        </span>
        <span className="mt-1 block font-semibold text-brand-700">
          {formatVnd(locale, p.priceVnd)} / {t(`unit.${p.unit}`)}
          {p.inStock ? null : <span className="ml-2 text-sm font-normal text-red-800">{t("store.soldOut")}</span>}
        </span>
        {p.soldUnits > 0 ? <span className="block text-sm text-stone-600">{t("review.sold", { n: p.soldUnits })}</span> : null}
      </span>
    </Link>
  );
}
