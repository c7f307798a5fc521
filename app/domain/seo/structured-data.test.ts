import { productJsonLd, producerJsonLd, type ProductFacts } from "./structured-data";
import { validateStructuredData } from "../../../test/schema-org-vocabulary";

// The JSON-LD builders, checked by an independent validator (@adobe/structured-data-validator with
// the schema.org vocabulary, offline) through the same <script> escaping Remix's <Meta> applies.

const BASE = "https://ocop.example.vn";

/** What Remix's <Meta> writes for a "script:ld+json" descriptor (markup.escapeHtml). */
function asScript(data: object): string {
  const escaped = JSON.stringify(data).replace(/[&><\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `<html><head><script type="application/ld+json">${escaped}</script></head><body></body></html>`;
}

const PRODUCT: ProductFacts = {
  id: "p1",
  name: "Chè búp Tân Cương",
  description: "Chè xanh hái tay.",
  gtin: "08930000000012",
  priceVnd: 120000,
  stock: 12,
  images: [{ storageKey: "img/abc", width: 2000, height: 1500 }],
  award: "OCOP 4 sao (QĐ 12/QĐ-UBND)",
  producer: { id: "pr1", name: "HTX Chè Tân Cương" },
  reviews: { average: 4.6667, count: 3 },
  trace: { code: "ABCD1234", name: "Nguồn gốc lô L-1" },
};

describe("product JSON-LD", () => {
  it("validates with no errors: offer in VND, rating from the reviews, GTIN, gs1:Product, trace page as subjectOf", async () => {
    const ld = productJsonLd(BASE, PRODUCT);
    const { issues, jsonld } = await validateStructuredData(asScript(ld));
    expect(issues.filter((i) => i.severity === "ERROR")).toEqual([]);
    expect(jsonld.Product).toHaveLength(1);
    expect(ld).toMatchObject({
      additionalType: "https://gs1.org/voc/Product",
      gtin: "08930000000012",
      image: [`${BASE}/media/img/abc-1024.webp`],
      offers: { price: 120000, priceCurrency: "VND", availability: "https://schema.org/InStock" },
      aggregateRating: { ratingValue: 4.7, reviewCount: 3 },
      subjectOf: { "@type": "WebPage", url: `${BASE}/t/ABCD1234` },
      brand: { "@type": "Organization", url: `${BASE}/producers/pr1` },
    });
  });

  it("has no rating without reviews, no GTIN without one, and is OutOfStock with nothing to sell", async () => {
    const ld = productJsonLd(BASE, { ...PRODUCT, gtin: null, stock: 0, reviews: { average: null, count: 0 }, award: null });
    expect(ld).not.toHaveProperty("aggregateRating");
    expect(ld).not.toHaveProperty("gtin");
    expect(ld).not.toHaveProperty("award");
    expect(ld).toMatchObject({ offers: { availability: "https://schema.org/OutOfStock" } });
    const { issues } = await validateStructuredData(asScript(ld));
    expect(issues.filter((i) => i.severity === "ERROR")).toEqual([]);
  });

  it("keeps a name holding </script> inside the data block", async () => {
    const name = 'Mật ong </script><script>alert("x")</script>';
    const html = asScript(productJsonLd(BASE, { ...PRODUCT, name }));
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    const { jsonld } = await validateStructuredData(html);
    expect((jsonld.Product?.[0] as { name: string }).name).toBe(name);
  });

  it("the validator does catch a broken product (no offer, rating or review)", async () => {
    const { offers: _o, aggregateRating: _a, ...bare } = productJsonLd(BASE, PRODUCT) as unknown as Record<string, unknown>;
    const { issues } = await validateStructuredData(asScript(bare));
    expect(issues.some((i) => i.severity === "ERROR")).toBe(true);
  });
});

describe("producer JSON-LD", () => {
  it("is a LocalBusiness with its address in Vietnam, public phone and photo, and validates with no errors", async () => {
    const ld = producerJsonLd(BASE, {
      id: "pr1",
      name: "HTX Chè Tân Cương",
      story: "Ba đời làm chè.",
      contactPhone: "0912345678",
      ward: "Xã Tân Cương",
      province: "Thái Nguyên",
      latitude: 21.6,
      longitude: 105.8,
      images: [{ storageKey: "img/farm", width: 800, height: 600 }],
      awards: [],
    });
    expect(ld).toMatchObject({
      "@type": "LocalBusiness",
      telephone: "0912345678",
      address: { "@type": "PostalAddress", addressLocality: "Xã Tân Cương", addressRegion: "Thái Nguyên", addressCountry: "VN" },
      image: [`${BASE}/media/img/farm-1024.webp`],
    });
    const { issues, jsonld } = await validateStructuredData(asScript(ld));
    expect(jsonld.LocalBusiness).toHaveLength(1);
    expect(issues.filter((i) => i.severity === "ERROR")).toEqual([]);
  });
});
