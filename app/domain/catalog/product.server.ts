import { z } from "zod";
import type { Prisma } from "@prisma/client";
import { findProvince } from "~/domain/address/address.server";
import { productSearchText } from "./search";
import { prisma } from "~/db.server";
import { optionalText, requiredText, wholeNumber } from "~/domain/input/fields";
import { OCOP_GROUPS, PRODUCT_UNITS } from "./ocop";
import { AVIF_WIDTHS, IMAGE_WIDTHS, imageVariantKey, saveImage, type RenderedImage } from "~/domain/files/uploads.server";
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

/** What the owner may change after creating a product (the name and group stay: they are on printed labels and in the log). */
export const productDetailsSchema = productSchema.pick({ unit: true, priceVnd: true, description: true });
export type ProductDetails = z.output<typeof productDetailsSchema>;

/** The most photos a product has. */
export const MAX_PRODUCT_PHOTOS = 6;

/** Creates a product, with its first photo when one is given: the product, the photo's files and its row are one transaction. */
export async function createProduct(producerId: string, input: ProductInput, createdById: string, photo?: RenderedImage) {
  return prisma.$transaction(async (tx) => {
    const product = await tx.product.create({ data: { ...input, producerId, createdById } });
    if (photo) await insertImage(tx, product.id, photo);
    await refreshListing(product.id, tx);
    return product;
  });
}

/** Changes price, unit and description; the shop and the trace pages show them from the next load. */
export async function updateProductDetails(productId: string, input: ProductDetails) {
  await prisma.$transaction(async (tx) => {
    await tx.product.update({ where: { id: productId }, data: input });
    await markTraceViewsStale(tx, { productId });
  });
}

/** Sets the product's GTIN; throws Prisma's P2002 when another product holds it. */
export async function setProductGtin(productId: string, gtin: string | null) {
  await prisma.$transaction(async (tx) => {
    await tx.product.update({ where: { id: productId }, data: { gtin } });
    await markTraceViewsStale(tx, { productId });
  });
}

type ImageToAdd = { key: string; width: number; height: number; hasAvif?: boolean; files?: RenderedImage["files"] };

/** Photo changes of one product wait for each other (positions are read, then written). */
async function lockProduct(tx: Prisma.TransactionClient, productId: string) {
  await tx.$queryRaw`SELECT 1 FROM "Product" WHERE "id" = ${productId} FOR UPDATE`;
}

async function insertImage(tx: Prisma.TransactionClient, productId: string, image: ImageToAdd) {
  if (image.files) await saveImage({ files: image.files }, tx);
  // After the last one: a count would repeat a position once a photo has been deleted.
  const last = await tx.productImage.aggregate({ where: { productId }, _max: { position: true } });
  const position = (last._max.position ?? -1) + 1;
  await tx.productImage.create({
    data: {
      productId,
      storageKey: image.key,
      mimeType: "image/webp",
      width: image.width,
      height: image.height,
      hasAvif: image.hasAvif ?? false,
      position,
    },
  });
}

/**
 * Adds a photo after the product's others; a rendered image's files are written in the same
 * transaction. False (nothing written) when the product already has MAX_PRODUCT_PHOTOS.
 */
export async function addProductImage(productId: string, image: ImageToAdd): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    await lockProduct(tx, productId);
    if ((await tx.productImage.count({ where: { productId } })) >= MAX_PRODUCT_PHOTOS) return false;
    await insertImage(tx, productId, image);
    await markTraceViewsStale(tx, { productId });
    return true;
  });
}

/** The product's photos in their order (the first is the one the shop and the trace page show). */
export async function listProductImages(productId: string) {
  return prisma.productImage.findMany({ where: { productId }, orderBy: [{ position: "asc" }, { createdAt: "asc" }] });
}

/** Rewrites positions as 0, 1, 2… in the given order. */
async function renumber(tx: Prisma.TransactionClient, ids: string[]) {
  for (const [position, id] of ids.entries()) await tx.productImage.update({ where: { id }, data: { position } });
}

/**
 * Moves a photo one place up (towards the first, the main photo) or down. False when the photo
 * is not this product's; moving the first up or the last down changes nothing.
 */
export async function moveProductImage(productId: string, imageId: string, direction: "up" | "down"): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    await lockProduct(tx, productId);
    const ids = (
      await tx.productImage.findMany({ where: { productId }, orderBy: [{ position: "asc" }, { createdAt: "asc" }], select: { id: true } })
    ).map((i) => i.id);
    const at = ids.indexOf(imageId);
    if (at === -1) return false;
    const to = direction === "up" ? at - 1 : at + 1;
    if (to < 0 || to >= ids.length) return true;
    [ids[at], ids[to]] = [ids[to]!, ids[at]!];
    await renumber(tx, ids);
    await markTraceViewsStale(tx, { productId });
    return true;
  });
}

/** Deletes a photo and its stored files. False when the photo is not this product's. */
export async function deleteProductImage(productId: string, imageId: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    await lockProduct(tx, productId);
    const image = await tx.productImage.findFirst({ where: { id: imageId, productId } });
    if (!image) return false;
    await tx.productImage.delete({ where: { id: image.id } });
    const keys = [
      ...IMAGE_WIDTHS.map((w) => imageVariantKey(image.storageKey, w)),
      ...AVIF_WIDTHS.map((w) => imageVariantKey(image.storageKey, w, "avif")),
    ];
    await tx.storedFile.deleteMany({ where: { key: { in: keys } } });
    const rest = await tx.productImage.findMany({
      where: { productId },
      orderBy: [{ position: "asc" }, { createdAt: "asc" }],
      select: { id: true },
    });
    await renumber(
      tx,
      rest.map((i) => i.id),
    );
    await markTraceViewsStale(tx, { productId });
    return true;
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
  const product = await db.product.findUniqueOrThrow({
    where: { id: productId },
    select: { name: true, producer: { select: { name: true, provinceCode: true } } },
  });
  const newest = await db.batch.aggregate({ where: { productId }, _max: { producedAt: true } });
  await db.product.update({
    where: { id: productId },
    data: {
      searchText: productSearchText({
        productName: product.name,
        producerName: product.producer.name,
        provinceName: findProvince(product.producer.provinceCode)?.name ?? "",
      }),
      latestBatchAt: newest._max.producedAt,
    },
  });
}

export async function refreshAllListings(): Promise<number> {
  const stale = await prisma.product.findMany({ where: { searchText: "" }, select: { id: true } });
  for (const p of stale) await refreshListing(p.id);
  return stale.length;
}
