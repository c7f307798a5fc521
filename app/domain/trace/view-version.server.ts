import type { Prisma } from "@prisma/client";

type Db = Prisma.TransactionClient;

/**
 * What the public trace page shows of a batch is cached per process and checked
 * against Batch.viewVersion on every scan. Every write that changes that story
 * (events, evidence, holds, recalls, inspections, the product, its certificates or
 * photos, the producer's profile) calls this, ideally in the same transaction.
 * Ledgered facts about a batch bump it inside appendLedgerEntry.
 */
export async function markTraceViewsStale(db: Db, scope: { batchId: string } | { productId: string } | { producerId: string }) {
  const where: Prisma.BatchWhereInput =
    "batchId" in scope ? { id: scope.batchId } : "productId" in scope ? { productId: scope.productId } : { product: { producerId: scope.producerId } };
  await db.batch.updateMany({ where, data: { viewVersion: { increment: 1 } } });
}
