import { Link } from "@remix-run/react";
import { useLocale, useT } from "~/i18n/use-t";
import { formatVnd } from "~/i18n/locale";
import { ResponsivePhoto, type PhotoLoading } from "~/components/product-photo";

export type ProductCardData = {
  id: string;
  name: string;
  ocopGroup: number;
  unit: string;
  priceVnd: number;
  photo: string | null;
  /** The photo has AVIF variants (photos stored before them have WebP only). */
  photoHasAvif?: boolean;
  stars: number | null;
  provinceName: string;
  inStock: boolean;
  soldUnits: number;
  producer: { id: string; name: string };
};

/** How wide a card's photo is: half a phone's width in two columns, a third of the page (≤ 896 px) from 640 px on. */
export const CARD_PHOTO_SIZES = "(min-width: 640px) 280px, calc(50vw - 1.5rem)";

/**
 * One product in a grid: square photo on top (or a drawn placeholder), name, producer and province,
 * stars, price. The whole card opens the product (the name's link is stretched over it); the
 * producer's name opens the producer's page, a link of its own above the stretched one (links
 * cannot nest). `photoLoading`: the lists load the first row eagerly, the rest lazily.
 */
export function ProductCard({ product: p, photoLoading = "lazy" }: { product: ProductCardData; photoLoading?: PhotoLoading }) {
  const t = useT();
  const locale = useLocale();
  return (
    <div className="relative flex h-full flex-col overflow-hidden rounded-lg border border-stone-200 bg-white text-stone-900 hover:border-brand-600">
      {p.photo ? (
        <ResponsivePhoto
          photo={{ storageKey: p.photo, hasAvif: p.photoHasAvif }}
          alt=""
          sizes={CARD_PHOTO_SIZES}
          width={320}
          height={320}
          loading={photoLoading}
          className="aspect-square h-auto w-full bg-stone-100 object-cover"
        />
      ) : (
        <span className="flex aspect-square w-full items-center justify-center bg-stone-100 text-stone-400" data-testid="photo-placeholder">
          <svg viewBox="0 0 24 24" width="48" height="48" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5">
            <rect x="3" y="5" width="18" height="14" rx="2" />
            <circle cx="9" cy="10" r="2" />
            <path d="M4 18l5-5 4 4 3-3 4 4" />
          </svg>
        </span>
      )}
      <span className="flex min-w-0 flex-1 flex-col p-2">
        <Link
          to={`/products/${p.id}`}
          className="line-clamp-2 block font-semibold text-stone-900 no-underline after:absolute after:inset-0"
        >
          {p.name}
        </Link>
        {/* Two lines, each cut on its own: in a half-width card one line would lose the province. */}
        <Link
          to={`/producers/${p.producer.id}`}
          className="relative z-10 block truncate text-sm text-stone-700 underline"
          data-testid="card-producer"
        >
          {p.producer.name}
        </Link>
        <span className="block truncate text-sm text-stone-600">{p.provinceName}</span>
        <span className="block text-sm">
          {t(`ocop.group.${p.ocopGroup}`)}
          {p.stars ? <span className="ml-1 font-semibold text-amber-800">{"★".repeat(p.stars)}</span> : null}
        </span>
        <span className="mt-auto block pt-1 font-semibold text-brand-700">
          {formatVnd(locale, p.priceVnd)} / {t(`unit.${p.unit}`)}
          {p.inStock ? null : <span className="ml-2 block text-sm font-normal text-red-800">{t("store.soldOut")}</span>}
        </span>
        {p.soldUnits > 0 ? <span className="block text-sm text-stone-600">{t("review.sold", { n: p.soldUnits })}</span> : null}
      </span>
    </div>
  );
}

/** How many cards make the first row (two on a phone): their photos load eagerly. */
export const EAGER_CARD_PHOTOS = 2;
