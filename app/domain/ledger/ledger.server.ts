import crypto from "node:crypto";
import canonicalize from "canonicalize";
import type { LedgerEntry, Prisma, PrismaClient } from "@prisma/client";
import { prisma } from "~/db.server";
import { markTraceViewsStale } from "~/domain/trace/view-version.server";

// One append-only hash chain over everything that must not be rewritten: trace
// events, inspections, holds, recalls, code voids. Each entry stores
// hash = sha256(prevHash + canonical JSON (RFC 8785) of its payload). The chain is
// global (not per batch), so deleting or reordering a whole batch's history breaks it too.

export const GENESIS_HASH = "0".repeat(64);
/** Advisory lock key for the chain's tail (any fixed bigint unique to this use). */
const LEDGER_TAIL_LOCK = 7_100_001;

export type LedgerKind = "TRACE_EVENT" | "CODE_VOID" | "CODE_ACTIVATE" | "INSPECTION" | "HOLD" | "RELEASE" | "RECALL" | "CERTIFICATE_REVOKE";

type Db = PrismaClient | Prisma.TransactionClient;

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("ledger payload cannot be serialised");
  return text;
}

export function chainHash(prevHash: string, payloadJson: string): string {
  return crypto.createHash("sha256").update(prevHash).update(payloadJson).digest("hex");
}

/**
 * Appends one entry. Call it inside the transaction that writes the record, so
 * the record and its ledger entry stand or fall together.
 */
export async function appendLedgerEntry(
  db: Db,
  entry: { kind: LedgerKind; refId: string; batchId?: string | null; payload: Record<string, unknown> },
): Promise<LedgerEntry> {
  if ("$transaction" in db) return db.$transaction((tx) => appendLedgerEntry(tx, entry));
  // A ledgered fact about a batch changes its public story: the trace page must re-read it.
  // Before the tail lock: every writer locks the batch row first and the tail last, so a
  // recall (batch row, then tail) and an event (same order) never wait on each other in a circle.
  if (entry.batchId) await markTraceViewsStale(db, { batchId: entry.batchId });
  // The chain has one tail: writers from every instance take turns at it. The lock is
  // held to the end of the caller's transaction, so append last in it. (The public
  // Merkle log planned next replaces this with pending leaves and a single sequencer.)
  await db.$executeRaw`SELECT pg_advisory_xact_lock(${LEDGER_TAIL_LOCK})`;
  const last = await db.ledgerEntry.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const payload = canonicalJson(entry.payload);
  return db.ledgerEntry.create({
    data: {
      seq: (last?.seq ?? 0) + 1,
      kind: entry.kind,
      refId: entry.refId,
      batchId: entry.batchId ?? null,
      payload,
      prevHash,
      hash: chainHash(prevHash, payload),
    },
  });
}

export type LedgerVerdict = { ok: true; entries: number } | { ok: false; entries: number; brokenSeq: number; brokenId: string; reason: "hash" | "link" };

type Row = { id: string; seq: number; payload: string; prevHash: string; hash: string };

function check(row: Row, expectedPrev: string | null): LedgerVerdict | null {
  if (expectedPrev !== null && row.prevHash !== expectedPrev) return { ok: false, entries: 0, brokenSeq: row.seq, brokenId: row.id, reason: "link" };
  if (chainHash(row.prevHash, row.payload) !== row.hash) return { ok: false, entries: 0, brokenSeq: row.seq, brokenId: row.id, reason: "hash" };
  return null;
}

/**
 * Walks one batch's entries; each must hash right and link to its real predecessor
 * in the chain (joined in the same query: this runs on every uncached scan).
 */
export async function verifyBatchLedger(batchId: string, db: Db = prisma): Promise<LedgerVerdict> {
  const rows = await db.$queryRaw<(Row & { predecessorHash: string | null })[]>`
    SELECT l."id", l."seq", l."payload", l."prevHash", l."hash", p."hash" AS "predecessorHash"
    FROM "LedgerEntry" l LEFT JOIN "LedgerEntry" p ON p."seq" = l."seq" - 1
    WHERE l."batchId" = ${batchId} ORDER BY l."seq" ASC`;
  for (const row of rows) {
    const seq = Number(row.seq);
    const bad = check({ ...row, seq }, seq === 1 ? GENESIS_HASH : (row.predecessorHash ?? "missing"));
    if (bad) return { ...bad, entries: rows.length };
  }
  return { ok: true, entries: rows.length };
}

/** Walks the whole chain in pages, so memory stays flat however long it grows. */
export async function verifyWholeLedger(db: Db = prisma, pageSize = 5000): Promise<LedgerVerdict> {
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (;;) {
    const rows = await db.ledgerEntry.findMany({ where: { seq: { gte: expectedSeq } }, orderBy: { seq: "asc" }, take: pageSize, select: { id: true, seq: true, payload: true, prevHash: true, hash: true } });
    for (const row of rows) {
      const bad = row.seq !== expectedSeq ? { ok: false as const, entries: 0, brokenSeq: row.seq, brokenId: row.id, reason: "link" as const } : check(row, expectedPrev);
      if (bad) return { ...bad, entries: count };
      expectedPrev = row.hash;
      expectedSeq += 1;
      count += 1;
    }
    if (rows.length < pageSize) return { ok: true, entries: count };
  }
}
