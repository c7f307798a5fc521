import { appUrl } from "~/lib/app-url.server";
import { getTranslator } from "~/i18n/locale.server";
import { formatVnd } from "~/i18n/locale";
import { findProvince } from "~/domain/address/address.server";
import {
  largestVariant,
  producerJsonLd,
  producerUrl,
  productJsonLd,
  productUrl,
  type Photo,
  type ProducerFacts,
  type ProductFacts,
} from "~/domain/seo/structured-data";
import type { PageSeo } from "~/components/page-seo";

// What search engines and share previews (Zalo, Facebook) read of a page: description,
// canonical URL, Open Graph image and JSON-LD. Made in the loader (the base URL and the
// visitor's language live on the server), turned into tags by the route's `meta`.

const DESCRIPTION_CHARS = 160;

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= DESCRIPTION_CHARS ? flat : `${flat.slice(0, DESCRIPTION_CHARS - 1).trimEnd()}…`;
}

function shareImage(photo: Photo | undefined, alt: string): PageSeo["image"] {
  return photo ? { ...largestVariant(appUrl(), photo), alt } : null;
}

/** The facts the JSON-LD shows as they are, and what this module puts into words for it. */
type ProductForSeo = Pick<ProductFacts, "id" | "name" | "description" | "gtin" | "priceVnd" | "stock" | "images" | "producer"> & {
  badge: { stars: number; decisionNumber: string } | null;
  location: { province: string };
  nextBatch: { lotCode: string; traceCode: string | null } | null;
};

export async function productSeo(
  request: Request,
  product: ProductForSeo,
  reviews: { average: number | null; count: number },
): Promise<PageSeo> {
  const { locale, t } = await getTranslator(request);
  const base = appUrl();
  const description = shorten(
    product.description ||
      t("seo.product", {
        name: product.name,
        producer: product.producer.name,
        province: product.location.province,
        price: formatVnd(locale, product.priceVnd),
      }),
  );
  const trace = product.nextBatch?.traceCode
    ? { code: product.nextBatch.traceCode, name: t("seo.tracePage", { lot: product.nextBatch.lotCode }) }
    : null;
  return {
    description,
    canonical: productUrl(base, product.id),
    ogType: "product",
    image: shareImage(product.images[0], product.name),
    // Google requires a Product's image: without a photo the page offers no Product data rather than invalid data.
    jsonLd:
      product.images.length > 0
        ? productJsonLd(base, {
            ...product,
            award: product.badge ? t("seo.award", { stars: product.badge.stars, number: product.badge.decisionNumber }) : null,
            reviews,
            trace,
          })
        : null,
  };
}

type ProducerForSeo = Pick<ProducerFacts, "id" | "name" | "story" | "contactPhone" | "latitude" | "longitude" | "images"> & {
  location: { ward: string; province: string };
  certificates: { stars: number; decisionNumber: string; productName: string }[];
};

export async function producerSeo(request: Request, producer: ProducerForSeo): Promise<PageSeo> {
  const { t } = await getTranslator(request);
  const base = appUrl();
  const description = shorten(
    producer.story || t("seo.producer", { name: producer.name, ward: producer.location.ward, province: producer.location.province }),
  );
  return {
    description,
    canonical: producerUrl(base, producer.id),
    ogType: "profile",
    image: shareImage(producer.images[0], producer.name),
    jsonLd: producerJsonLd(base, {
      ...producer,
      ward: producer.location.ward,
      province: producer.location.province,
      awards: producer.certificates.map((c) => `${c.productName}: ${t("seo.award", { stars: c.stars, number: c.decisionNumber })}`),
    }),
  };
}

/** The shop's list pages: the whole list, or one province's (the one filter the sitemap lists). */
export async function listSeo(request: Request, path: "/" | "/products", province?: string | null): Promise<PageSeo> {
  const { t } = await getTranslator(request);
  const name = province ? findProvince(province)?.name : undefined;
  const canonical = `${appUrl()}${path}${name && province ? `?province=${encodeURIComponent(province)}` : ""}`;
  const description = path === "/" ? t("seo.home") : name ? t("seo.productsIn", { province: name }) : t("seo.products");
  return { description, canonical, ogType: "website", image: null, jsonLd: null };
}
