import { z } from "zod";
import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { batchLeaf } from "~/domain/log/leaves.server";
import { logFact } from "~/domain/trace/logged-facts.server";
import { productionDateError } from "~/domain/trace/event-schema";
import { refreshListing } from "./product.server";
import { isoDate, optionalIsoDate, optionalText, wholeNumber } from "~/domain/input/fields";
import { refusal } from "~/i18n/refusal";

/** A new lot of a product registered at `productCreatedAt` (its production date bounded on both sides). */
export const batchSchemaOf = (productCreatedAt: Date) =>
  z
    .object({
      // Lot codes are printed on labels and typed by inspectors: letters, digits, - _ . /
      lotCode: z
        .string({ required_error: "error.required" })
        .trim()
        .min(1, "error.required")
        .max(40, refusal("error.tooLong", { n: 40 }))
        .transform((v) => v.toUpperCase())
        .refine((v) => /^[A-Z0-9][A-Z0-9\-_./]*$/.test(v), "error.badLotCode"),
      producedAt: isoDate,
      expiresAt: optionalIsoDate,
      quantity: wholeNumber(1, 10_000_000),
      productionArea: optionalText(200),
    })
    .superRefine((v, ctx) => {
      if (v.producedAt.getTime() > Date.now() + 24 * 3600_000) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["producedAt"], message: "error.dateInFuture" });
      }
      const tooEarly = productionDateError(v.producedAt, productCreatedAt);
      if (tooEarly) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["producedAt"], message: tooEarly });
      if (v.expiresAt && v.expiresAt <= v.producedAt) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["expiresAt"], message: "error.expiryBeforeProduction" });
      }
    });
export type BatchInput = z.output<ReturnType<typeof batchSchemaOf>>;

export type CreateBatchResult = { ok: true; batchId: string } | { ok: false; field: "lotCode"; error: string };

/** Writes a batch and its first leaf in the public log, in the caller's transaction. */
export async function insertBatch(tx: Prisma.TransactionClient, data: Prisma.BatchUncheckedCreateInput) {
  const created = await tx.batch.create({ data });
  await logFact(tx, batchLeaf(created));
  return created;
}

export async function createBatch(productId: string, input: BatchInput, createdById: string): Promise<CreateBatchResult> {
  try {
    const batch = await prisma.$transaction((tx) => insertBatch(tx, { ...input, productId, stock: input.quantity, createdById }));
    await refreshListing(productId);
    return { ok: true, batchId: batch.id };
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      return { ok: false, field: "lotCode", error: "error.lotCodeTaken" };
    }
    throw e;
  }
}

export async function listBatchesOfProduct(productId: string) {
  return prisma.batch.findMany({
    where: { productId },
    orderBy: { producedAt: "desc" },
    include: { codes: { where: { kind: "BATCH" }, select: { code: true } } },
  });
}

/** Null unless the batch's product belongs to this producer. */
export async function findBatchOfProducer(producerId: string, batchId: string) {
  return prisma.batch.findFirst({
    where: { id: batchId, product: { producerId } },
    include: { product: true, codes: { where: { kind: "BATCH" }, orderBy: { issuedAt: "asc" } } },
  });
}
