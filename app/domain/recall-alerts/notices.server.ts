import type { Prisma } from "@prisma/client";
import { enqueueJob } from "~/domain/jobs/queue.server";

// A lot held, recalled or released is one notice to its subscribers. It is written in the
// transaction that changes the lot, with the job that fans it out: no notice for a change
// that rolled back, no change without its notice.

export type NoticeKind = "HELD" | "RECALLED" | "RELEASED";

export async function recordLotNotice(
  tx: Prisma.TransactionClient,
  batchId: string,
  kind: NoticeKind,
  recallId: string | null = null,
): Promise<string> {
  const { id } = await tx.recallAlertNotice.create({ data: { batchId, kind, recallId }, select: { id: true } });
  await enqueueJob(tx, "recall-alert-fanout", { noticeId: id }, { key: `recall-alert-fanout:${id}` });
  return id;
}
