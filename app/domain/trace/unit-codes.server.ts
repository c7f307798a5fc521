import crypto from "node:crypto";
import { Prisma, type TraceCodeStatus } from "@prisma/client";
import { prisma } from "~/db.server";
import { codeActivateLeaf, codeVoidLeaf } from "~/domain/log/leaves.server";
import { logFact } from "./logged-facts.server";
import { generateTraceCode } from "./code.server";
import { CODE_ALPHABET } from "./code-format";
import { refusal } from "~/i18n/refusal";

// Serialized codes: one per unit. They start ISSUED (printed, not yet on a
// product), become ACTIVE when the run is activated or packing is recorded, and
// can be VOIDed with a reason. Activation and voids are leaves of the public log.

// A unit's serial (GS1 AI 21, on its label and in its GS1 Digital Link path) is as secret
// as its code: with numbered serials anyone could list every unit of a lot from one label
// and print perfect copies. So serials are random: 17 symbols of the code alphabet (upper
// case letters and digits without look-alikes: a URL-safe part of GS1's AI 82 character
// set, nothing to escape in a path) → 17·log2(31) ≈ 84 bits, within AI 21's 20 characters.
// Serials issued before this stay as they were (six digits).
export const SERIAL_LENGTH = 17;
export const SERIAL_BITS = SERIAL_LENGTH * Math.log2(CODE_ALPHABET.length);

export function generateSerial(): string {
  const out: string[] = [];
  const limit = 256 - (256 % CODE_ALPHABET.length); // rejection sampling: every symbol equally likely
  while (out.length < SERIAL_LENGTH) {
    for (const byte of crypto.randomBytes(SERIAL_LENGTH * 2)) {
      if (byte < limit) out.push(CODE_ALPHABET[byte % CODE_ALPHABET.length]!);
      if (out.length === SERIAL_LENGTH) break;
    }
  }
  return out.join("");
}

/** A serial as a producer types it from a label: spaces ignored, any case; "7" means the old "000007". */
export function normalizeSerial(raw: string): string | null {
  const s = raw.replace(/\s+/g, "").toUpperCase();
  if (/^\d{1,6}$/.test(s)) return s.padStart(6, "0");
  return /^[A-Z0-9]{1,20}$/.test(s) ? s : null;
}

export type IssueResult = { ok: true; count: number } | { ok: false; error: string };

export async function issueUnitCodes(batchId: string, userId: string, count: number): Promise<IssueResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await issueOnce(batchId, userId, count);
    } catch (e) {
      // A serial or code drawn twice (about 2^-84 per pair): draw the whole issue again.
      if (attempt < 3 && e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") continue;
      throw e;
    }
  }
}

function issueOnce(batchId: string, userId: string, count: number): Promise<IssueResult> {
  return prisma.$transaction(async (tx) => {
    // The count check and the insert must not interleave with another issue: one issue per batch at a time (row lock).
    await tx.$executeRaw`SELECT 1 FROM "Batch" WHERE "id" = ${batchId} FOR UPDATE`;
    const batch = await tx.batch.findUniqueOrThrow({ where: { id: batchId }, select: { quantity: true, status: true } });
    if (batch.status === "RECALLED") return { ok: false as const, error: "error.batchRecalled" };
    const existing = await tx.traceCode.count({ where: { batchId, kind: "UNIT" } });
    if (existing + count > batch.quantity)
      return { ok: false as const, error: refusal("error.tooManyUnitCodes", { n: batch.quantity - existing }) };
    // One timestamp for the whole issue, taken under the lock: print order is (issuedAt, serial).
    const issuedAt = new Date();
    const serials = new Set<string>();
    while (serials.size < count) serials.add(generateSerial());
    const rows = [...serials].map((serial) => ({
      code: generateTraceCode(),
      batchId,
      kind: "UNIT" as const,
      serial,
      status: "ISSUED" as const,
      issuedById: userId,
      issuedAt,
    }));
    for (let i = 0; i < rows.length; i += 500) await tx.traceCode.createMany({ data: rows.slice(i, i + 500) });
    return { ok: true as const, count };
  });
}

export async function activateUnitCodes(batchId: string, userId: string): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.traceCode.updateMany({ where: { batchId, kind: "UNIT", status: "ISSUED" }, data: { status: "ACTIVE" } });
    if (count > 0) await logFact(tx, codeActivateLeaf(batchId, count, userId, new Date()));
    return count;
  });
}

export type VoidResult = { ok: true; count: number } | { ok: false; field: "serialFrom" | "serialTo"; error: string };

/** Print order of a batch's unit codes: by issue, then serial (as label runs print them). */
export const PRINT_ORDER: Prisma.TraceCodeOrderByWithRelationInput[] = [{ issuedAt: "asc" }, { serial: "asc" }];

/**
 * Voids the unit codes from the label with serial `from` to the one with serial `to`, in
 * print order (both included), that are not void yet. One label: the same serial twice.
 */
export async function voidUnitCodes(batchId: string, userId: string, fromRaw: string, toRaw: string, reason: string): Promise<VoidResult> {
  const from = normalizeSerial(fromRaw);
  const to = normalizeSerial(toRaw);
  // The ends' serial and issue time never change: read before the transaction, which stays as short as before.
  const ends = await prisma.traceCode.findMany({
    where: { batchId, kind: "UNIT", serial: { in: [from ?? "", to ?? ""] } },
    select: { serial: true, issuedAt: true },
  });
  const first = ends.find((c) => c.serial === from);
  const last = ends.find((c) => c.serial === to);
  if (!first) return { ok: false, field: "serialFrom", error: "error.noSuchSerial" };
  if (!last) return { ok: false, field: "serialTo", error: "error.noSuchSerial" };
  const key = (c: { issuedAt: Date; serial: string | null }) => [c.issuedAt.getTime(), c.serial!] as const;
  const before = (a: readonly [number, string], b: readonly [number, string]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  if (before(key(last), key(first))) return { ok: false, field: "serialTo", error: "error.rangeBackwards" };
  return prisma.$transaction(async (tx) => {
    // (issuedAt, serial) between the two ends, both included.
    const codes = await tx.traceCode.findMany({
      where: {
        batchId,
        kind: "UNIT",
        status: { not: "VOID" },
        AND: [
          { OR: [{ issuedAt: { gt: first.issuedAt } }, { issuedAt: first.issuedAt, serial: { gte: first.serial! } }] },
          { OR: [{ issuedAt: { lt: last.issuedAt } }, { issuedAt: last.issuedAt, serial: { lte: last.serial! } }] },
        ],
      },
      orderBy: PRINT_ORDER,
      select: { id: true, serial: true },
    });
    if (codes.length === 0) return { ok: false as const, field: "serialFrom" as const, error: "error.noSuchSerials" };
    const now = new Date();
    await tx.traceCode.updateMany({
      where: { id: { in: codes.map((c) => c.id) } },
      data: { status: "VOID", voidReason: reason, voidedAt: now, voidedById: userId },
    });
    await logFact(
      tx,
      codeVoidLeaf(
        batchId,
        codes.map((c) => c.serial!),
        reason,
        userId,
        now,
      ),
    );
    return { ok: true as const, count: codes.length };
  });
}

export async function unitCodeSummary(batchId: string) {
  const groups = await prisma.traceCode.groupBy({ by: ["status"], where: { batchId, kind: "UNIT" }, _count: { _all: true } });
  const by = Object.fromEntries(groups.map((g) => [g.status, g._count._all])) as Partial<Record<TraceCodeStatus, number>>;
  return {
    issued: by.ISSUED ?? 0,
    active: by.ACTIVE ?? 0,
    void: by.VOID ?? 0,
    total: (by.ISSUED ?? 0) + (by.ACTIVE ?? 0) + (by.VOID ?? 0),
  };
}
