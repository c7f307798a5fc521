import type { AggregateRating, LocalBusiness, Offer, Organization, Product, WithContext } from "schema-dts";

// schema.org JSON-LD for the product and producer pages, typed by schema-dts at compile time.
// Built from what the page itself shows (so only verified OCOP stars: the page's badge), with
// absolute URLs from the app's base URL. Remix's <Meta> escapes "<" in it, so a name holding
// "</script>" stays data.

/** The largest stored variant of a photo (uploads: 320/640/1024 WebP, never enlarged). */
export const LARGEST_WIDTH = 1024;

export type Photo = { storageKey: string; width: number; height: number };

/** A photo's largest WebP variant: its absolute URL and the size it was stored at. */
export function largestVariant(baseUrl: string, photo: Photo): { url: string; width: number; height: number } {
  const width = Math.min(LARGEST_WIDTH, photo.width);
  const height = photo.width > 0 ? Math.round((photo.height * width) / photo.width) : photo.height;
  return { url: `${baseUrl}/media/${photo.storageKey}-${LARGEST_WIDTH}.webp`, width, height };
}

/** The `image` property: every photo's largest variant, absolute (none without photos). */
const imageUrls = (baseUrl: string, images: Photo[]): { image?: string[] } =>
  images.length > 0 ? { image: images.map((img) => largestVariant(baseUrl, img).url) } : {};

/** GS1 Web Vocabulary: gs1:Product is an exact match of schema:Product. */
export const GS1_PRODUCT = "https://gs1.org/voc/Product";

export type ProductFacts = {
  id: string;
  name: string;
  description: string | null;
  gtin: string | null;
  priceVnd: number;
  /** Units a buyer can order now: 0 when sold out, held or recalled. */
  stock: number;
  images: Photo[];
  /** The verified OCOP badge's wording, or null (self-declared stars never reach here). */
  award: string | null;
  producer: { id: string; name: string };
  reviews: { average: number | null; count: number };
  /** The trace page of the lot a buyer would receive now. */
  trace: { code: string; name: string } | null;
};

export const productUrl = (baseUrl: string, id: string) => `${baseUrl}/products/${id}`;
export const producerUrl = (baseUrl: string, id: string) => `${baseUrl}/producers/${id}`;

function producerRef(baseUrl: string, producer: { id: string; name: string }): Organization {
  const url = producerUrl(baseUrl, producer.id);
  return { "@type": "Organization", "@id": `${url}#organization`, name: producer.name, url };
}

export function productJsonLd(baseUrl: string, p: ProductFacts): WithContext<Product> {
  const url = productUrl(baseUrl, p.id);
  const offer: Offer = {
    "@type": "Offer",
    url,
    price: p.priceVnd,
    priceCurrency: "VND",
    availability: p.stock > 0 ? "https://schema.org/InStock" : "https://schema.org/OutOfStock",
    itemCondition: "https://schema.org/NewCondition",
    seller: producerRef(baseUrl, p.producer),
  };
  const rating: AggregateRating | null =
    p.reviews.count >= 1 && p.reviews.average !== null
      ? {
          "@type": "AggregateRating",
          ratingValue: Math.round(p.reviews.average * 10) / 10,
          reviewCount: p.reviews.count,
          bestRating: 5,
          worstRating: 1,
        }
      : null;
  return {
    "@context": "https://schema.org",
    "@type": "Product",
    "@id": `${url}#product`,
    additionalType: GS1_PRODUCT,
    name: p.name,
    url,
    sku: p.id,
    ...(p.description ? { description: p.description } : {}),
    ...imageUrls(baseUrl, p.images),
    ...(p.gtin ? { gtin: p.gtin } : {}),
    brand: producerRef(baseUrl, p.producer),
    ...(p.award ? { award: p.award } : {}),
    offers: offer,
    ...(rating ? { aggregateRating: rating } : {}),
    ...(p.trace ? { subjectOf: { "@type": "WebPage", url: `${baseUrl}/t/${p.trace.code}`, name: p.trace.name } } : {}),
  };
}

export type ProducerFacts = {
  id: string;
  name: string;
  story: string | null;
  /** The owner's public contact phone, or null when they publish none. */
  contactPhone: string | null;
  ward: string;
  province: string;
  latitude: number | null;
  longitude: number | null;
  images: Photo[];
  /** Verified OCOP badges of its listed products. */
  awards: string[];
};

export function producerJsonLd(baseUrl: string, p: ProducerFacts): WithContext<LocalBusiness> {
  const url = producerUrl(baseUrl, p.id);
  return {
    "@context": "https://schema.org",
    "@type": "LocalBusiness",
    "@id": `${url}#organization`,
    name: p.name,
    url,
    ...(p.story ? { description: p.story } : {}),
    ...imageUrls(baseUrl, p.images),
    ...(p.contactPhone ? { telephone: p.contactPhone } : {}),
    address: { "@type": "PostalAddress", addressLocality: p.ward, addressRegion: p.province, addressCountry: "VN" },
    ...(p.latitude !== null && p.longitude !== null
      ? { geo: { "@type": "GeoCoordinates", latitude: p.latitude, longitude: p.longitude } }
      : {}),
    ...(p.awards.length > 0 ? { award: p.awards } : {}),
  };
}
