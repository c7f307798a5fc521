import type { Batch, Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { BLOCKED_LOT_STATUSES } from "./order-state";

// Stock lives on batches. Only ACTIVE batches sell: ON_HOLD, RECALLED and DEPLETED
// never do, and nothing of a suspended producer or an unlisted product does. An ACTIVE
// lot whose stock reaches zero becomes DEPLETED ("sold out") in the same transaction, and
// ACTIVE again when units come back (a cancelled order); see settleSoldOut.
export const SELLABLE_BATCH = { status: "ACTIVE", stock: { gt: 0 } } satisfies Prisma.BatchWhereInput;
export const SELLABLE_PRODUCT = { listingStatus: "LISTED", producer: { status: "APPROVED" } } satisfies Prisma.ProductWhereInput;

export function isSellable(product: { listingStatus: string; producer: { status: string } }): boolean {
  return product.listingStatus === "LISTED" && product.producer.status === "APPROVED";
}

export async function availableStock(productId: string, db: Prisma.TransactionClient = prisma): Promise<number> {
  const sum = await db.batch.aggregate({ where: { productId, ...SELLABLE_BATCH }, _sum: { stock: true } });
  return sum._sum.stock ?? 0;
}

/** The batches a sale takes from, in order: earliest expiry first (no expiry last), then oldest. */
export async function batchesToSellFrom(productId: string, db: Prisma.TransactionClient = prisma) {
  const batches = await db.batch.findMany({
    where: { productId, ...SELLABLE_BATCH },
    select: { id: true, lotCode: true, stock: true, expiresAt: true, producedAt: true },
  });
  return batches.sort(
    (a, b) =>
      (a.expiresAt?.getTime() ?? Infinity) - (b.expiresAt?.getTime() ?? Infinity) ||
      a.producedAt.getTime() - b.producedAt.getTime() ||
      a.id.localeCompare(b.id),
  );
}

export class SoldOut extends Error {
  constructor(
    readonly productName: string,
    readonly left: number,
  ) {
    super(`only ${left} of ${productName} left`);
  }
}

/**
 * Takes `quantity` units of a product from its batches in sell order, inside the
 * caller's transaction. The product's sellable lots are locked first (in sell order, so
 * buyers queue up the same way): a buyer who waited reads what the one before left and
 * takes the rest of a lot before moving on, so the last unit still sells and two buyers
 * never get the same one. The CHECK (stock >= 0) stays the last guard. Callers that take
 * several products lock them in one order (by product id) so two carts never deadlock.
 */
export async function allocate(tx: Prisma.TransactionClient, product: { id: string; name: string }, quantity: number) {
  const lots = await tx.$queryRaw<Pick<Batch, "id" | "lotCode" | "stock">[]>`
    SELECT "id", "lotCode", "stock" FROM "Batch"
    WHERE "productId" = ${product.id} AND "status" = 'ACTIVE' AND "stock" > 0
    ORDER BY "expiresAt" ASC NULLS LAST, "producedAt" ASC, "id" ASC
    FOR UPDATE`;
  const taken: { batchId: string; lotCode: string; quantity: number }[] = [];
  let remaining = quantity;
  for (const lot of lots) {
    if (remaining === 0) break;
    const take = Math.min(remaining, lot.stock);
    // The row is locked and was ACTIVE when read, so taking all of its stock sells it out.
    await tx.batch.update({
      where: { id: lot.id },
      data: { stock: { decrement: take }, ...(take === lot.stock ? { status: "DEPLETED" as const } : {}) },
    });
    taken.push({ batchId: lot.id, lotCode: lot.lotCode, quantity: take });
    remaining -= take;
  }
  if (remaining > 0) throw new SoldOut(product.name, quantity - remaining);
  return taken;
}

/** Gives an order's allocated units back to their batches (a cancellation before shipping). */
export async function release(tx: Prisma.TransactionClient, orderId: string) {
  const allocations = await tx.orderAllocation.findMany({ where: { orderLine: { orderId } }, select: { batchId: true, quantity: true } });
  for (const a of allocations) await returnStock(tx, a.batchId, a.quantity);
}

/** Puts units back on a lot inside the caller's transaction; a sold-out lot sells again. */
export async function returnStock(tx: Prisma.TransactionClient, batchId: string, quantity: number) {
  await tx.batch.update({ where: { id: batchId }, data: { stock: { increment: quantity } } });
  await settleSoldOut(tx, batchId);
}

/**
 * Makes a lot's sold-out status agree with its stock, after a stock or status change in
 * the same transaction (whose UPDATE already holds the row lock, so no other writer sees
 * the two disagree): ACTIVE with nothing left becomes DEPLETED, DEPLETED with units
 * becomes ACTIVE. Held and recalled lots keep their status.
 */
export async function settleSoldOut(tx: Prisma.TransactionClient, batchId: string) {
  await tx.batch.updateMany({ where: { id: batchId, status: "ACTIVE", stock: 0 }, data: { status: "DEPLETED" } });
  await tx.batch.updateMany({ where: { id: batchId, status: "DEPLETED", stock: { gt: 0 } }, data: { status: "ACTIVE" } });
}

/**
 * failed test stops the sale: why a listed product has nothing to sell although a lot of it
 * still has units (held, recalled, or waiting out a pre-harvest interval), or null.
 */
export async function saleStoppedReason(productId: string, db: Prisma.TransactionClient = prisma) {
  const lot = await db.batch.findFirst({
    where: { productId, stock: { gt: 0 }, status: { in: [...BLOCKED_LOT_STATUSES] } },
    orderBy: { updatedAt: "desc" },
    select: {
      lotCode: true,
      status: true,
      holdReason: true,
      holdUntil: true,
      inspections: { orderBy: { inspectedAt: "desc" }, take: 1, select: { result: true } },
    },
  });
  if (!lot) return null;
  const kind = lot.status === "RECALLED" ? "recalled" : lot.holdUntil ? "phi" : lot.inspections[0]?.result === "FAIL" ? "failed" : "held";
  return { kind, lotCode: lot.lotCode, reason: lot.holdReason, until: lot.holdUntil } as const;
}
