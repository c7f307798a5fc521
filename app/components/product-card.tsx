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
  producer: { id: string; name: string };
};

/**
 * One product in a list: small photo (lazy), name, producer and province, stars, price. The whole
 * card opens the product (the name's link is stretched over it); the producer's name opens the
 * producer's page, a link of its own above the stretched one (links cannot nest).
 */
export function ProductCard({ product: p }: { product: ProductCardData }) {
  const t = useT();
  const locale = useLocale();
  return (
    <div className="relative flex h-full gap-3 rounded-lg border border-stone-200 bg-white p-3 text-stone-900 hover:border-brand-600">
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
        <Link to={`/products/${p.id}`} className="block font-semibold text-stone-900 no-underline after:absolute after:inset-0">
          {p.name}
        </Link>
        <span className="block text-sm text-stone-600">
          <Link to={`/producers/${p.producer.id}`} className="relative z-10 text-stone-700 underline" data-testid="card-producer">
            {p.producer.name}
          </Link>{" "}
          · {p.provinceName}
        </span>
        <span className="block text-sm">
          {t(`ocop.group.${p.ocopGroup}`)}
          {p.stars ? <span className="ml-1 font-semibold text-amber-800">{"★".repeat(p.stars)}</span> : null}
        </span>
        <span className="mt-1 block font-semibold text-brand-700">
          {formatVnd(locale, p.priceVnd)} / {t(`unit.${p.unit}`)}
          {p.inStock ? null : <span className="ml-2 text-sm font-normal text-red-800">{t("store.soldOut")}</span>}
        </span>
      </span>
    </div>
  );
}
