import { z } from "zod";
import { prisma } from "~/db.server";
import { optionalText, requiredText, wholeNumber } from "~/lib/fields";
import { OCOP_GROUPS, PRODUCT_UNITS } from "./ocop";
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
  return prisma.product.create({ data: { ...input, producerId, createdById } });
}

/** Sets the product's GTIN; throws Prisma's P2002 when another product holds it. */
export async function setProductGtin(productId: string, gtin: string | null) {
  await prisma.$transaction(async (tx) => {
    await tx.product.update({ where: { id: productId }, data: { gtin } });
    await markTraceViewsStale(tx, { productId });
  });
}

export async function addProductImage(productId: string, image: { key: string; width: number; height: number }) {
  await prisma.$transaction(async (tx) => {
    const position = await tx.productImage.count({ where: { productId } });
    await tx.productImage.create({ data: { productId, storageKey: image.key, mimeType: "image/webp", width: image.width, height: image.height, position } });
    await markTraceViewsStale(tx, { productId });
  });
}

/** Null unless the product belongs to this producer: callers answer 404, never someone else's data. */
export async function findProductOfProducer(producerId: string, productId: string) {
  return prisma.product.findFirst({ where: { id: productId, producerId } });
}

/** Newest products of approved producers, for the home page. */
export async function listPublicProducts(take = 12) {
  return prisma.product.findMany({
    where: { listingStatus: "LISTED", producer: { status: "APPROVED" } },
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      name: true,
      ocopGroup: true,
      unit: true,
      priceVnd: true,
      producer: { select: { name: true, provinceCode: true } },
    },
  });
}
