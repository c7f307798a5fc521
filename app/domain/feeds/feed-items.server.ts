import type { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { findProvince } from "~/domain/address/address.server";
import { activeCertificateWhere, badgeCertificate, publicCertificateSelect } from "~/domain/catalog/certificate";
import { isValidGtin } from "~/domain/catalog/gtin";
import { deliveryOf } from "~/domain/delivery/settings.server";
import { SELLABLE_BATCH, SELLABLE_PRODUCT } from "~/domain/orders/stock.server";
import type { FeedItem, FeedShipping } from "./formats";

// The items of a merchant feed, read a page at a time (keyset on the product id) so a feed of
// 16,000 products never sits in memory. Only what the shop sells appears: a listed product of
// an approved producer, with a photo (both channels refuse an item without one). A product
// whose lots with units are all held or recalled is left out, not shown out of stock: a
// marketplace must not advertise it at all.

export const FEED_PAGE_SIZE = 500;

const photoUrl = (base: string, storageKey: string) => `${base}/media/${storageKey}-1024.webp`;

type Table = NonNullable<Awaited<ReturnType<typeof deliveryOf>> extends Map<string, infer T> ? T : never>;

/** One g:shipping per zone: the zone's provinces by name, or the country for the rest; free above the table's amount. */
export function shippingFor(table: Table | null, priceVnd: number): FeedShipping[] {
  if (!table) return [];
  const free = table.freeAboveVnd !== null && priceVnd >= table.freeAboveVnd;
  return table.zones.flatMap((zone) => {
    const price = free ? 0 : table.flatFeeVnd + zone.feeVnd;
    const days = { priceVnd: price, minDays: zone.minDays, maxDays: zone.maxDays };
    const named = zone.provinceCodes.map((code) => ({ region: findProvince(code)?.name ?? code, ...days }));
    return zone.coversRest ? [...named, { region: null, ...days }] : named;
  });
}

export async function* feedItems(options: { baseUrl: string; producerId?: string; now?: Date }): AsyncGenerator<FeedItem> {
  const now = options.now ?? new Date();
  let after: string | undefined;
  for (;;) {
    const where: Prisma.ProductWhereInput = {
      ...SELLABLE_PRODUCT,
      images: { some: {} },
      ...(options.producerId ? { producerId: options.producerId } : {}),
      ...(after ? { id: { gt: after } } : {}),
    };
    const page = await prisma.product.findMany({
      where,
      orderBy: { id: "asc" },
      take: FEED_PAGE_SIZE,
      select: {
        id: true,
        name: true,
        description: true,
        priceVnd: true,
        gtin: true,
        producerId: true,
        producer: { select: { name: true } },
        images: { select: { storageKey: true }, orderBy: { position: "asc" } },
        certificates: { where: activeCertificateWhere(now), select: publicCertificateSelect },
      },
    });
    if (page.length === 0) return;
    after = page[page.length - 1]!.id;
    const ids = page.map((p) => p.id);
    const [sellable, stopped, tables] = await Promise.all([
      prisma.batch.groupBy({ by: ["productId"], where: { productId: { in: ids }, ...SELLABLE_BATCH }, _sum: { stock: true } }),
      prisma.batch.groupBy({
        by: ["productId"],
        where: { productId: { in: ids }, stock: { gt: 0 }, status: { in: ["ON_HOLD", "RECALLED"] } },
        _count: { _all: true },
      }),
      deliveryOf([...new Set(page.map((p) => p.producerId))]),
    ]);
    const stock = new Map(sellable.map((s) => [s.productId, s._sum.stock ?? 0]));
    const held = new Set(stopped.map((s) => s.productId));
    for (const p of page) {
      const inStock = (stock.get(p.id) ?? 0) > 0;
      if (!inStock && held.has(p.id)) continue;
      const [first, ...more] = p.images;
      const badge = badgeCertificate(p.certificates, now);
      yield {
        id: p.id,
        producerId: p.producerId,
        title: p.name,
        description: p.description.trim() || `${p.name} · ${p.producer.name}`,
        link: `${options.baseUrl}/products/${p.id}`,
        imageLink: photoUrl(options.baseUrl, first!.storageKey),
        additionalImageLinks: more.map((i) => photoUrl(options.baseUrl, i.storageKey)),
        availability: inStock ? "in_stock" : "out_of_stock",
        priceVnd: p.priceVnd,
        brand: p.producer.name,
        gtin: p.gtin && isValidGtin(p.gtin) ? p.gtin : null,
        stars: badge?.stars ?? null,
        shipping: shippingFor(tables.get(p.producerId) ?? null, p.priceVnd),
      };
    }
    if (page.length < FEED_PAGE_SIZE) return;
  }
}
