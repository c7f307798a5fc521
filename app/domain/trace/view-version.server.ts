import type { Prisma, PrismaClient } from "@prisma/client";
import { enqueueJob } from "~/domain/jobs/queue.server";

type Db = Prisma.TransactionClient;

/** How long a rebuild waits, so that a burst of changes (a season typed in one sitting) folds into one. */
const STORY_REBUILD_DELAY_MS = Number(process.env.STORY_REBUILD_DELAY_MS ?? 1000);

/** One pending rebuild per batch; a second change within the delay replaces it. */
export async function enqueueStoryRebuild(db: Db | PrismaClient, batchId: string) {
  await enqueueJob(
    db,
    "trace-story",
    { batchId },
    { key: `story:${batchId}`, runAt: new Date(Date.now() + STORY_REBUILD_DELAY_MS), maxAttempts: 5 },
  );
}

/**
 * What the public trace page shows of a batch is cached per process and checked
 * against Batch.viewVersion on every scan. Every write that changes that story
 * (events, evidence, holds, recalls, inspections, the product, its certificates or
 * photos, the producer's profile) calls this, ideally in the same transaction.
 * Logged facts about a batch bump it inside logFact (logged-facts.server.ts).
 */
export async function markTraceViewsStale(db: Db, scope: { batchId: string } | { productId: string } | { producerId: string }) {
  const where: Prisma.BatchWhereInput =
    "batchId" in scope
      ? { id: scope.batchId }
      : "productId" in scope
        ? { productId: scope.productId }
        : { product: { producerId: scope.producerId } };
  await db.batch.updateMany({ where, data: { viewVersion: { increment: 1 } } });
  // A batch's own change rebuilds its stored story right away, so the next scan finds it
  // fresh; wider changes (a product, a producer) rebuild lazily, on each batch's next scan.
  if ("batchId" in scope) await enqueueStoryRebuild(db, scope.batchId);
}
