import { z } from "zod";
import type { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { describeLocation } from "~/domain/address/address.server";
import { IMAGE_WIDTHS, imageVariantKey, saveImage, type RenderedImage } from "~/domain/files/uploads.server";
import { normalizePhone } from "~/domain/identity/users.server";
import { activeCertificateWhere, publicCertificateSelect, badgeCertificate, publicBadge } from "./certificate";
import { producerProducts } from "./storefront-search.server";

// The public producer page and what its owner sets for it: the contact phone and photos.
// Public facts only: never a member's own phone or e-mail, never the street of a household.

/** An id as the app makes them (cuid); anything else — "%00", a path, a long string — is simply not found. */
const producerId = z.string().regex(/^[a-z0-9]{8,40}$/);

/** The most photos a producer page has. */
export const MAX_PRODUCER_PHOTOS = 6;

/** The approved producer's public page, or null (unknown, pending, suspended or a malformed id). */
export async function findPublicProducer(id: string, now = new Date()) {
  if (!producerId.safeParse(id).success) return null;
  const producer = await prisma.producer.findFirst({
    where: { id, status: "APPROVED" },
    select: {
      id: true,
      name: true,
      type: true,
      story: true,
      wardCode: true,
      provinceCode: true,
      latitude: true,
      longitude: true,
      contactPhone: true,
      images: { select: { storageKey: true, width: true, height: true }, orderBy: [{ position: "asc" }, { createdAt: "asc" }] },
      products: {
        where: { listingStatus: "LISTED" },
        select: {
          id: true,
          name: true,
          certificates: {
            where: activeCertificateWhere(now),
            select: publicCertificateSelect,
          },
        },
        orderBy: { name: "asc" },
      },
    },
  });
  if (!producer) return null;
  const { products: listed, ...rest } = producer;
  // One badge a product, as its page shows: verified by an officer, in date, not revoked.
  const certificates = listed.flatMap((p) => {
    const badge = publicBadge(badgeCertificate(p.certificates, now));
    return badge ? [{ productId: p.id, productName: p.name, ...badge }] : [];
  });
  return {
    ...rest,
    location: describeLocation(producer.wardCode, producer.provinceCode),
    certificates,
    products: await producerProducts(producer.id, now),
  };
}

/** The owner's public contact phone: a Vietnamese mobile number, or empty for none. */
export const contactPhoneSchema = z.object({
  contactPhone: z
    .string()
    .trim()
    .max(30, "error.badPhone")
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const phone = normalizePhone(v);
      if (!phone) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "error.badPhone" });
        return z.NEVER;
      }
      return phone;
    }),
});

export async function setContactPhone(producerId: string, contactPhone: string | null) {
  await prisma.producer.update({ where: { id: producerId }, data: { contactPhone } });
}

/** Photo changes of one producer wait for each other (positions are read, then written). */
async function lockProducer(tx: Prisma.TransactionClient, id: string) {
  await tx.$queryRaw`SELECT 1 FROM "Producer" WHERE "id" = ${id} FOR UPDATE`;
}

export async function listProducerImages(producerId: string) {
  return prisma.producerImage.findMany({ where: { producerId }, orderBy: [{ position: "asc" }, { createdAt: "asc" }] });
}

/**
 * Adds a rendered photo (WebP variants, metadata stripped by renderImage) after the others: its
 * files and its row in one transaction. False (nothing written) at MAX_PRODUCER_PHOTOS.
 */
export async function addProducerImage(producerId: string, image: RenderedImage): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    await lockProducer(tx, producerId);
    if ((await tx.producerImage.count({ where: { producerId } })) >= MAX_PRODUCER_PHOTOS) return false;
    await saveImage({ files: image.files }, tx);
    const last = await tx.producerImage.aggregate({ where: { producerId }, _max: { position: true } });
    await tx.producerImage.create({
      data: {
        producerId,
        storageKey: image.key,
        mimeType: "image/webp",
        width: image.width,
        height: image.height,
        position: (last._max.position ?? -1) + 1,
      },
    });
    return true;
  });
}

/** Deletes one of this producer's photos and its files. False when the photo is not this producer's. */
export async function deleteProducerImage(producerId: string, imageId: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    await lockProducer(tx, producerId);
    const image = await tx.producerImage.findFirst({ where: { id: imageId, producerId } });
    if (!image) return false;
    await tx.producerImage.delete({ where: { id: image.id } });
    await tx.storedFile.deleteMany({ where: { key: { in: IMAGE_WIDTHS.map((w) => imageVariantKey(image.storageKey, w)) } } });
    return true;
  });
}
