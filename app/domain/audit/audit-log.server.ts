import type { Prisma } from "@prisma/client";

// The record of decisions made over other people's words or goods that are not logged publicly:
// who, what, on which row, and the reason they gave. Written in the decision's own transaction.

export type AuditAction = "review.hide";

export async function recordAudit(
  tx: Prisma.TransactionClient,
  entry: { actorId: string; action: AuditAction; subjectType: string; subjectId: string; reason: string },
): Promise<void> {
  await tx.auditEntry.create({ data: entry });
}
