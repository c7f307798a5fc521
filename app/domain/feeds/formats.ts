// The two merchant-feed formats, with no database: one item in, its text out. The Google
// Merchant Center feed is RSS 2.0 with the g: namespace; the Meta catalog is a CSV whose
// columns are Meta's own names. Both carry the same items (feed-items.server.ts).

export type FeedAvailability = "in_stock" | "out_of_stock" | "preorder";

export type FeedShipping = {
  /** Province name; null for the zone that covers the rest of the country. */
  region: string | null;
  priceVnd: number;
  minDays: number;
  maxDays: number;
};

export type FeedItem = {
  id: string;
  producerId: string;
  title: string;
  description: string;
  link: string;
  imageLink: string;
  additionalImageLinks: string[];
  availability: FeedAvailability;
  priceVnd: number;
  brand: string;
  /** Only a GTIN whose check digit is right. */
  gtin: string | null;
  /** Verified OCOP stars in force, else null. */
  stars: number | null;
  shipping: FeedShipping[];
};

/** Google and Meta both take at most 10 additional images. */
const MAX_ADDITIONAL_IMAGES = 10;

export const vnd = (amount: number) => `${amount} VND`;

/** Text for an XML element: the five escapes, and characters XML 1.0 forbids dropped. */
export function xmlText(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const el = (name: string, value: string) => `<${name}>${xmlText(value)}</${name}>`;

export function googleFeedHead(channel: { title: string; link: string; description: string }): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">\n<channel>\n` +
    `${el("title", channel.title)}\n${el("link", channel.link)}\n${el("description", channel.description)}\n`
  );
}

export const GOOGLE_FEED_TAIL = "</channel>\n</rss>\n";

export function starsLabel(stars: number): string {
  return `OCOP ${stars} sao`;
}

/**
 * Merchant Center takes g:region only for AU, BR, FR, DE, IN, JP, NZ and US (ISO 3166-2 codes),
 * not for Vietnam: one g:shipping for the country, at the table's highest fee (the cost shown
 * may not be below what a buyer pays) and its widest transit time. Meta's CSV names provinces.
 */
function googleShipping(zones: FeedShipping[]): string[] {
  if (zones.length === 0) return [];
  const price = Math.max(...zones.map((z) => z.priceVnd));
  const minDays = Math.min(...zones.map((z) => z.minDays));
  const maxDays = Math.max(...zones.map((z) => z.maxDays));
  return [
    `<g:shipping>${el("g:country", "VN")}${el("g:price", vnd(price))}` +
      `${el("g:min_transit_time", String(minDays))}${el("g:max_transit_time", String(maxDays))}</g:shipping>`,
  ];
}

export function googleFeedItem(item: FeedItem): string {
  const parts = [
    el("g:id", item.id),
    el("g:title", item.title),
    el("g:description", item.description),
    el("g:link", item.link),
    el("g:image_link", item.imageLink),
    ...item.additionalImageLinks.slice(0, MAX_ADDITIONAL_IMAGES).map((url) => el("g:additional_image_link", url)),
    el("g:availability", item.availability),
    el("g:price", vnd(item.priceVnd)),
    el("g:brand", item.brand),
    item.gtin ? el("g:gtin", item.gtin) : el("g:identifier_exists", "no"),
    el("g:condition", "new"),
    ...googleShipping(item.shipping),
    ...(item.stars ? [el("g:custom_label_0", starsLabel(item.stars))] : []),
  ];
  return `<item>${parts.join("")}</item>\n`;
}

/** Meta's catalog columns (commerce catalog data feed), in the order written. */
export const META_COLUMNS = [
  "id",
  "title",
  "description",
  "availability",
  "condition",
  "price",
  "link",
  "image_link",
  "brand",
  "gtin",
  "additional_image_link",
  "shipping",
  "custom_label_0",
] as const;

/** Meta spells availability with spaces ("in stock"), Google with underscores. */
const META_AVAILABILITY: Record<FeedAvailability, string> = {
  in_stock: "in stock",
  out_of_stock: "out of stock",
  preorder: "preorder",
};

export function metaFeedRow(item: FeedItem): Record<(typeof META_COLUMNS)[number], string> {
  return {
    id: item.id,
    title: item.title,
    description: item.description,
    availability: META_AVAILABILITY[item.availability],
    condition: "new",
    price: vnd(item.priceVnd),
    link: item.link,
    image_link: item.imageLink,
    brand: item.brand,
    gtin: item.gtin ?? "",
    additional_image_link: item.additionalImageLinks.slice(0, MAX_ADDITIONAL_IMAGES).join(","),
    // Meta's shipping column: COUNTRY:REGION:SERVICE:PRICE, entries separated by commas.
    shipping: item.shipping.map((s) => `VN:${(s.region ?? "").replace(/[:,]/g, " ")}::${vnd(s.priceVnd)}`).join(","),
    custom_label_0: item.stars ? starsLabel(item.stars) : "",
  };
}
