import { prisma } from "~/db.server";
import { availableStock, batchesToSellFrom, saleStoppedReason, SELLABLE_PRODUCT } from "~/domain/orders/stock.server";
import { activeCertificateWhere, publicCertificateSelect, badgeCertificate, publicBadge } from "./certificate";

/**
 * The product page: null unless it is on sale (a suspended producer's or unlisted
 * product is a 404). Includes the batch a buyer would receive now and its trace code.
 */
export async function findProductForSale(productId: string, now = new Date()) {
  const product = await prisma.product.findFirst({
    where: { id: productId, ...SELLABLE_PRODUCT },
    select: {
      id: true,
      name: true,
      gtin: true,
      ocopGroup: true,
      unit: true,
      priceVnd: true,
      soldUnits: true,
      description: true,
      images: { select: { storageKey: true, width: true, height: true, hasAvif: true }, orderBy: { position: "asc" } },
      certificates: {
        where: activeCertificateWhere(now),
        select: publicCertificateSelect,
      },
      producer: { select: { id: true, name: true, type: true, story: true, wardCode: true, provinceCode: true } },
    },
  });
  if (!product) return null;
  const [stock, batches] = await Promise.all([availableStock(product.id), batchesToSellFrom(product.id)]);
  // Nothing to sell while a lot still has units: the page says why (held, recalled, interval).
  const saleStopped = stock === 0 ? await saleStoppedReason(product.id) : null;
  const next = batches[0];
  const nextBatch = next
    ? await prisma.batch.findUniqueOrThrow({
        where: { id: next.id },
        select: {
          lotCode: true,
          producedAt: true,
          expiresAt: true,
          productionArea: true,
          codes: { where: { kind: "BATCH", status: "ACTIVE" }, select: { code: true }, take: 1 },
          _count: { select: { events: true } },
        },
      })
    : null;
  const badge = badgeCertificate(product.certificates, now);
  const { certificates: _all, ...rest } = product;
  return {
    ...rest,
    badge: publicBadge(badge),
    stock,
    saleStopped,
    nextBatch: nextBatch
      ? {
          lotCode: nextBatch.lotCode,
          producedAt: nextBatch.producedAt,
          expiresAt: nextBatch.expiresAt,
          productionArea: nextBatch.productionArea,
          events: nextBatch._count.events,
          traceCode: nextBatch.codes[0]?.code ?? null,
        }
      : null,
  };
}
