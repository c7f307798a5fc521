import type { MetaDescriptor } from "@remix-run/node";

// A page's search and share tags (web/page-seo.server.ts makes the data in the loader).

export type PageSeo = {
  description: string;
  /** Absolute: search engines and share previews need the full URL. */
  canonical: string;
  ogType: "website" | "product" | "profile";
  image: { url: string; width: number; height: number; alt: string } | null;
  /** schema.org JSON-LD (Remix's <Meta> writes it as a data block, "<" escaped). */
  jsonLd: object | null;
};

export function seoMeta(title: string, seo: PageSeo | undefined): MetaDescriptor[] {
  if (!seo) return [{ title }];
  const image = seo.image;
  return [
    { title },
    { name: "description", content: seo.description },
    { tagName: "link", rel: "canonical", href: seo.canonical },
    { property: "og:title", content: title },
    { property: "og:description", content: seo.description },
    { property: "og:url", content: seo.canonical },
    { property: "og:type", content: seo.ogType },
    { property: "og:locale", content: "vi_VN" },
    { property: "og:site_name", content: "ocop-trace" },
    ...(image
      ? [
          { property: "og:image", content: image.url },
          { property: "og:image:width", content: String(image.width) },
          { property: "og:image:height", content: String(image.height) },
          { property: "og:image:alt", content: image.alt },
          { name: "twitter:card", content: "summary_large_image" },
          { name: "twitter:image", content: image.url },
        ]
      : [{ name: "twitter:card", content: "summary" }]),
    { name: "twitter:title", content: title },
    { name: "twitter:description", content: seo.description },
    ...(seo.jsonLd ? [{ "script:ld+json": seo.jsonLd as Record<string, unknown> }] : []),
  ] as MetaDescriptor[];
}
