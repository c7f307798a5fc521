import { z } from "zod";
import type { Prisma } from "@prisma/client";
import { findProvince } from "~/domain/address/address.server";
import { productSearchText } from "./search";
import { prisma } from "~/db.server";
import { optionalText, requiredText, wholeNumber } from "~/lib/fields";
import { OCOP_GROUPS, PRODUCT_UNITS } from "./ocop";
import { saveImage, type RenderedImage } from "~/domain/files/uploads.server";
import { markTraceViewsStale } from "~/domain/trace/view-version.server";

export const productSchema = z.object({
  name: requiredText(150),
  ocopGroup: z
    .string({ required_error: "error.chooseOne" })
    .transform((v) => Number(v))
    .refine((n) => (OCOP_GROUPS as readonly number[]).includes(n), "error.chooseOne"),
  unit: z.enum(PRODUCT_UNITS, { errorMap: () => ({ message: "error.chooseOne" }) }),
  priceVnd: wholeNumber(0, 1_000_000_000),
  description: optionalText(4000).transform((v) => v ?? ""),
});
export type ProductInput = z.output<typeof productSchema>;

export async function createProduct(producerId: string, input: ProductInput, createdById: string) {
  const product = await prisma.product.create({ data: { ...input, producerId, createdById } });
  await refreshListing(product.id);
  return product;
}

/** Sets the product's GTIN; throws Prisma's P2002 when another product holds it. */
export async function setProductGtin(productId: string, gtin: string | null) {
  await prisma.$transaction(async (tx) => {
    await tx.product.update({ where: { id: productId }, data: { gtin } });
    await markTraceViewsStale(tx, { productId });
  });
}

/** Adds a photo to a product; a rendered image's files are written in the same transaction. */
export async function addProductImage(productId: string, image: { key: string; width: number; height: number; files?: RenderedImage["files"] }) {
  await prisma.$transaction(async (tx) => {
    if (image.files) await saveImage({ files: image.files }, tx);
    const position = await tx.productImage.count({ where: { productId } });
    await tx.productImage.create({ data: { productId, storageKey: image.key, mimeType: "image/webp", width: image.width, height: image.height, position } });
    await markTraceViewsStale(tx, { productId });
  });
}

/** Null unless the product belongs to this producer: callers answer 404, never someone else's data. */
export async function findProductOfProducer(producerId: string, productId: string) {
  return prisma.product.findFirst({ where: { id: productId, producerId } });
}


/**
 * Keeps a product's storefront fields current: its folded search text (name,
 * producer, province) and when its newest batch was produced. Called after a
 * product or batch is made; `refreshAllListings` fills rows made before these fields.
 */
export async function refreshListing(productId: string, db: Prisma.TransactionClient = prisma) {
  const product = await db.product.findUniqueOrThrow({ where: { id: productId }, select: { name: true, producer: { select: { name: true, provinceCode: true } } } });
  const newest = await db.batch.aggregate({ where: { productId }, _max: { producedAt: true } });
  await db.product.update({
    where: { id: productId },
    data: {
      searchText: productSearchText({ productName: product.name, producerName: product.producer.name, provinceName: findProvince(product.producer.provinceCode)?.name ?? "" }),
      latestBatchAt: newest._max.producedAt,
    },
  });
}

export async function refreshAllListings(): Promise<number> {
  const stale = await prisma.product.findMany({ where: { searchText: "" }, select: { id: true } });
  for (const p of stale) await refreshListing(p.id);
  return stale.length;
}
