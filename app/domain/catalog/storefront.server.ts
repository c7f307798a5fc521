import { z } from "zod";
import type { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { findProvince, listProvinces } from "~/domain/address/address.server";
import { availableStock, batchesToSellFrom, SELLABLE_PRODUCT } from "~/domain/orders/stock.server";
import { badgeCertificate } from "./certificate";
import { OCOP_GROUPS } from "./ocop";
import { searchTerms } from "./search";

export const PAGE_SIZE = 20;

// Query-string filters: anything malformed is simply ignored, never an error page.
export const storefrontQuery = z.object({
  q: z.string().max(100).optional().catch(undefined),
  group: z.coerce.number().refine((n) => (OCOP_GROUPS as readonly number[]).includes(n)).optional().catch(undefined),
  province: z.string().refine((c) => Boolean(findProvince(c))).optional().catch(undefined),
  stars: z.coerce.number().int().min(3).max(5).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
});
export type StorefrontQuery = z.output<typeof storefrontQuery>;

export function parseStorefrontQuery(url: URL): StorefrontQuery {
  return storefrontQuery.parse(Object.fromEntries(url.searchParams));
}

const activeCertificate = (now: Date) => ({ revokedAt: null, validUntil: { gt: now } }) satisfies Prisma.OcopCertificateWhereInput;

/**
 * Products on sale, new harvests first. Search folds accents away on both sides and
 * needs every word at the start of a word of the name, producer or province
 * (" nuoc" in " nuoc mam phu quoc … "): a LIKE that runs the same on PostgreSQL.
 */
export async function searchProducts(query: StorefrontQuery, now = new Date()) {
  const where: Prisma.ProductWhereInput = {
    ...SELLABLE_PRODUCT,
    AND: searchTerms(query.q ?? "").map((term) => ({ searchText: { contains: ` ${term}` } })),
    ...(query.group ? { ocopGroup: query.group } : {}),
    ...(query.province ? { producer: { status: "APPROVED", provinceCode: query.province } } : {}),
    ...(query.stars ? { certificates: { some: { ...activeCertificate(now), stars: query.stars } } } : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.product.count({ where }),
    prisma.product.findMany({
      where,
      orderBy: [{ latestBatchAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }, { id: "asc" }],
      skip: (query.page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true, name: true, ocopGroup: true, unit: true, priceVnd: true, latestBatchAt: true,
        images: { select: { storageKey: true }, orderBy: { position: "asc" }, take: 1 },
        certificates: { where: activeCertificate(now), select: { stars: true, decisionDate: true, validUntil: true, revokedAt: true } },
        producer: { select: { name: true, provinceCode: true } },
        batches: { where: { status: "ACTIVE" }, select: { stock: true } },
      },
    }),
  ]);
  const products = rows.map(({ batches, certificates, images, ...p }) => ({
    ...p,
    photo: images[0]?.storageKey ?? null,
    stars: badgeCertificate(certificates, now)?.stars ?? null,
    provinceName: findProvince(p.producer.provinceCode)?.name ?? "",
    inStock: batches.some((b) => b.stock > 0),
  }));
  return { products, total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/** Provinces that have something on sale, for the browse list. */
export async function provincesWithProducts() {
  const rows = await prisma.producer.findMany({ where: { status: "APPROVED", products: { some: { listingStatus: "LISTED" } } }, select: { provinceCode: true }, distinct: ["provinceCode"] });
  const codes = new Set(rows.map((r) => r.provinceCode));
  return listProvinces().filter((p) => codes.has(p.code));
}

/**
 * The product page: null unless it is on sale (a suspended producer's or unlisted
 * product is a 404). Includes the batch a buyer would receive now and its trace code.
 */
export async function findProductForSale(productId: string, now = new Date()) {
  const product = await prisma.product.findFirst({
    where: { id: productId, ...SELLABLE_PRODUCT },
    select: {
      id: true, name: true, ocopGroup: true, unit: true, priceVnd: true, description: true,
      images: { select: { storageKey: true }, orderBy: { position: "asc" } },
      certificates: { select: { stars: true, level: true, decisionNumber: true, decisionDate: true, validUntil: true, revokedAt: true } },
      producer: { select: { id: true, name: true, type: true, story: true, wardCode: true, provinceCode: true } },
    },
  });
  if (!product) return null;
  const [stock, batches] = await Promise.all([availableStock(product.id), batchesToSellFrom(product.id)]);
  const next = batches[0];
  const nextBatch = next
    ? await prisma.batch.findUniqueOrThrow({
        where: { id: next.id },
        select: {
          lotCode: true, producedAt: true, expiresAt: true, productionArea: true,
          codes: { where: { kind: "BATCH", status: "ACTIVE" }, select: { code: true }, take: 1 },
          _count: { select: { events: true } },
        },
      })
    : null;
  const badge = badgeCertificate(product.certificates, now);
  const { certificates: _all, ...rest } = product;
  return {
    ...rest,
    badge: badge ? { stars: badge.stars, level: badge.level, decisionNumber: badge.decisionNumber, validUntil: badge.validUntil } : null,
    stock,
    nextBatch: nextBatch ? { lotCode: nextBatch.lotCode, producedAt: nextBatch.producedAt, expiresAt: nextBatch.expiresAt, productionArea: nextBatch.productionArea, events: nextBatch._count.events, traceCode: nextBatch.codes[0]?.code ?? null } : null,
  };
}
