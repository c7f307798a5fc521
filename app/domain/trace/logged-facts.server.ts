import type { Prisma } from "@prisma/client";
import { appendLeaf, type Leaf } from "~/domain/log/leaves.server";
import { markTraceViewsStale } from "./view-version.server";

/**
 * Logs a fact (its pending leaf, in the caller's transaction) and, since a logged fact
 * about a batch or product changes its public story, marks those trace views stale.
 * The log itself knows nothing of trace pages: every write of a lot's fact goes through here.
 */
export async function logFact(tx: Prisma.TransactionClient, leaf: Leaf): Promise<void> {
  if (leaf.batchId) await markTraceViewsStale(tx, { batchId: leaf.batchId });
  else if (leaf.productId) await markTraceViewsStale(tx, { productId: leaf.productId });
  await appendLeaf(tx, leaf);
}
