import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { listProvinces } from "~/domain/address/address.server";

// The sitemap: an index over pages of product URLs, producer URLs and the provinces' product
// lists (sitemaps.org: at most 50,000 URLs a file; we keep 5,000 so a page is one cheap query).
// A product is listed when a buyer could order it now: listed, of an approved producer, and
// with a lot on sale (so a held, recalled or sold-out product leaves the sitemap while its page
// still answers). Producers: approved ones. Trace pages are never listed (they are noindex).

export const SITEMAP_PAGE_SIZE = 5_000;

export type SitemapEntry = { loc: string; lastmod: Date | null };

// One SQL condition for "on sale now", kept with SELLABLE_PRODUCT and SELLABLE_BATCH (orders/stock.server.ts).
const ON_SALE = Prisma.sql`p."listingStatus" = 'LISTED' AND pr."status" = 'APPROVED'
  AND EXISTS (SELECT 1 FROM "Batch" b WHERE b."productId" = p."id" AND b."status" = 'ACTIVE' AND b."stock" > 0)`;

type PageSummary = { page: number; lastmod: Date | null };

async function productPages(size: number): Promise<PageSummary[]> {
  const rows = await prisma.$queryRaw<{ page: number; lastmod: Date | null }[]>`
    SELECT ((n - 1) / ${size})::int + 1 AS "page", max("updatedAt") AS "lastmod"
    FROM (SELECT p."updatedAt", row_number() OVER (ORDER BY p."id") AS n
          FROM "Product" p JOIN "Producer" pr ON pr."id" = p."producerId" WHERE ${ON_SALE}) listed
    GROUP BY 1 ORDER BY 1`;
  return rows;
}

async function producerPages(size: number): Promise<PageSummary[]> {
  return prisma.$queryRaw<PageSummary[]>`
    SELECT ((n - 1) / ${size})::int + 1 AS "page", max("updatedAt") AS "lastmod"
    FROM (SELECT pr."updatedAt", row_number() OVER (ORDER BY pr."id") AS n FROM "Producer" pr WHERE pr."status" = 'APPROVED') approved
    GROUP BY 1 ORDER BY 1`;
}

/** The index: every page file with the newest change among its rows. */
export async function sitemapIndex(baseUrl: string, size = SITEMAP_PAGE_SIZE): Promise<SitemapEntry[]> {
  const [products, producers, provinces] = await Promise.all([productPages(size), producerPages(size), provinceEntries(baseUrl)]);
  const newest = provinces.reduce<Date | null>((m, p) => (p.lastmod && (!m || p.lastmod > m) ? p.lastmod : m), null);
  return [
    ...products.map((p) => ({ loc: `${baseUrl}/sitemaps/products-${p.page}.xml`, lastmod: p.lastmod })),
    ...producers.map((p) => ({ loc: `${baseUrl}/sitemaps/producers-${p.page}.xml`, lastmod: p.lastmod })),
    ...(provinces.length > 0 ? [{ loc: `${baseUrl}/sitemaps/provinces.xml`, lastmod: newest }] : []),
  ];
}

/** Page `page` (from 1) of the products on sale, by id. */
export async function productEntries(baseUrl: string, page: number, size = SITEMAP_PAGE_SIZE): Promise<SitemapEntry[]> {
  const rows = await prisma.$queryRaw<{ id: string; updatedAt: Date }[]>`
    SELECT p."id", p."updatedAt" FROM "Product" p JOIN "Producer" pr ON pr."id" = p."producerId"
    WHERE ${ON_SALE} ORDER BY p."id" LIMIT ${size} OFFSET ${(page - 1) * size}`;
  return rows.map((r) => ({ loc: `${baseUrl}/products/${r.id}`, lastmod: r.updatedAt }));
}

/** Page `page` (from 1) of the approved producers, by id. */
export async function producerEntries(baseUrl: string, page: number, size = SITEMAP_PAGE_SIZE): Promise<SitemapEntry[]> {
  const rows = await prisma.producer.findMany({
    where: { status: "APPROVED" },
    select: { id: true, updatedAt: true },
    orderBy: { id: "asc" },
    skip: (page - 1) * size,
    take: size,
  });
  return rows.map((r) => ({ loc: `${baseUrl}/producers/${r.id}`, lastmod: r.updatedAt }));
}

/** The provinces' product lists (/products?province=…) that have a product on sale. */
export async function provinceEntries(baseUrl: string): Promise<SitemapEntry[]> {
  const rows = await prisma.$queryRaw<{ provinceCode: string; lastmod: Date }[]>`
    SELECT pr."provinceCode", max(p."updatedAt") AS "lastmod"
    FROM "Product" p JOIN "Producer" pr ON pr."id" = p."producerId" WHERE ${ON_SALE}
    GROUP BY pr."provinceCode"`;
  const newest = new Map(rows.map((r) => [r.provinceCode, r.lastmod]));
  return listProvinces()
    .filter((p) => newest.has(p.code))
    .map((p) => ({ loc: `${baseUrl}/products?province=${encodeURIComponent(p.code)}`, lastmod: newest.get(p.code) ?? null }));
}

const escapeXml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

function entryXml(tag: "url" | "sitemap", e: SitemapEntry): string {
  const lastmod = e.lastmod ? `<lastmod>${e.lastmod.toISOString()}</lastmod>` : "";
  return `<${tag}><loc>${escapeXml(e.loc)}</loc>${lastmod}</${tag}>`;
}

const NS = "http://www.sitemaps.org/schemas/sitemap/0.9";

export function sitemapIndexXml(entries: SitemapEntry[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="${NS}">\n${entries.map((e) => entryXml("sitemap", e)).join("\n")}\n</sitemapindex>\n`;
}

export function urlSetXml(entries: SitemapEntry[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="${NS}">\n${entries.map((e) => entryXml("url", e)).join("\n")}\n</urlset>\n`;
}
