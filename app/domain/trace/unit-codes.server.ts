import { prisma } from "~/db.server";
import { appendLedgerEntry } from "~/domain/ledger/ledger.server";
import { generateTraceCode } from "./code.server";

// Serialized codes: one per unit. They start ISSUED (printed, not yet on a
// product), become ACTIVE when the run is activated or packing is recorded, and
// can be VOIDed with a reason. Activation and voids go on the ledger.

export const SERIAL_DIGITS = 6;
export const serialOf = (n: number) => String(n).padStart(SERIAL_DIGITS, "0");

export type IssueResult = { ok: true; from: string; to: string; count: number } | { ok: false; error: string };

export async function issueUnitCodes(batchId: string, userId: string, count: number): Promise<IssueResult> {
  return prisma.$transaction(async (tx) => {
    // Serials are numbered from the count so far: one issue per batch at a time (row lock).
    await tx.$executeRaw`SELECT 1 FROM "Batch" WHERE "id" = ${batchId} FOR UPDATE`;
    const batch = await tx.batch.findUniqueOrThrow({ where: { id: batchId }, select: { quantity: true, status: true } });
    if (batch.status === "RECALLED") return { ok: false as const, error: "error.batchRecalled" };
    const existing = await tx.traceCode.count({ where: { batchId, kind: "UNIT" } });
    if (existing + count > batch.quantity) return { ok: false as const, error: `error.tooManyUnitCodes|${batch.quantity - existing}` };
    const rows = Array.from({ length: count }, (_, i) => ({
      code: generateTraceCode(),
      batchId,
      kind: "UNIT" as const,
      serial: serialOf(existing + i + 1),
      status: "ISSUED" as const,
      issuedById: userId,
    }));
    for (let i = 0; i < rows.length; i += 500) await tx.traceCode.createMany({ data: rows.slice(i, i + 500) });
    return { ok: true as const, from: serialOf(existing + 1), to: serialOf(existing + count), count };
  });
}

export async function activateUnitCodes(batchId: string, userId: string): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.traceCode.updateMany({ where: { batchId, kind: "UNIT", status: "ISSUED" }, data: { status: "ACTIVE" } });
    if (count > 0) await appendLedgerEntry(tx, { kind: "CODE_ACTIVATE", refId: batchId, batchId, payload: { type: "CodeActivate", batchId, count, by: userId, at: new Date().toISOString() } });
    return count;
  });
}

export type VoidResult = { ok: true; count: number } | { ok: false; field: "serialFrom" | "serialTo"; error: string };

/** Voids the unit codes with serials from..to (inclusive) that are not void yet. */
export async function voidUnitCodes(batchId: string, userId: string, from: number, to: number, reason: string): Promise<VoidResult> {
  if (to < from) return { ok: false, field: "serialTo", error: "error.rangeBackwards" };
  const serials = Array.from({ length: to - from + 1 }, (_, i) => serialOf(from + i));
  return prisma.$transaction(async (tx) => {
    const codes = await tx.traceCode.findMany({ where: { batchId, kind: "UNIT", serial: { in: serials }, status: { not: "VOID" } }, select: { id: true, code: true, serial: true } });
    if (codes.length === 0) return { ok: false as const, field: "serialFrom" as const, error: "error.noSuchSerials" };
    const now = new Date();
    await tx.traceCode.updateMany({ where: { id: { in: codes.map((c) => c.id) } }, data: { status: "VOID", voidReason: reason, voidedAt: now } });
    await appendLedgerEntry(tx, {
      kind: "CODE_VOID",
      refId: batchId,
      batchId,
      payload: { type: "CodeVoid", batchId, serials: codes.map((c) => c.serial), reason, by: userId, at: now.toISOString() },
    });
    return { ok: true as const, count: codes.length };
  });
}

export async function unitCodeSummary(batchId: string) {
  const groups = await prisma.traceCode.groupBy({ by: ["status"], where: { batchId, kind: "UNIT" }, _count: { _all: true } });
  const by = Object.fromEntries(groups.map((g) => [g.status, g._count._all])) as Partial<Record<"ISSUED" | "ACTIVE" | "VOID", number>>;
  return { issued: by.ISSUED ?? 0, active: by.ACTIVE ?? 0, void: by.VOID ?? 0, total: (by.ISSUED ?? 0) + (by.ACTIVE ?? 0) + (by.VOID ?? 0) };
}
