import crypto from "node:crypto";
import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";

// Scans are written in small batches off the request path: a page never waits for
// another scan's write, and one transaction stores many scans. Pending scans are
// counted in memory so the page still says "first scan" / "scanned N times" right,
// and they are flushed on a graceful shutdown (SIGTERM/SIGINT) so none is lost.

export type PendingScan = { id: string; codeId: string; scannedAt: Date; userAgentFamily: string; outcome: "OK" | "WARNED" };
export type CodeTotal = { id: string; batchId: string; kind: string; status: string; scanCount: number };
type AfterFlush = (code: CodeTotal) => Promise<void>;

/** How long a scan may wait in memory; SCAN_FLUSH_MS lets a test hold scans back. */
const FLUSH_EVERY_MS = Number(process.env.SCAN_FLUSH_MS ?? 100);
const FLUSH_AT = 500;

let queue: PendingScan[] = [];
let timer: NodeJS.Timeout | null = null;
let flushing: Promise<void> = Promise.resolve();
let afterFlush: AfterFlush | null = null;
const pendingByCode = new Map<string, { count: number; first: Date }>();

/** Called once per flushed code with its new total (and what the rules need), to run the counterfeit rules. */
export function onScansFlushed(fn: AfterFlush) {
  afterFlush = fn;
}

export function enqueueScan(scan: Omit<PendingScan, "id">): string {
  const id = crypto.randomUUID();
  queue.push({ ...scan, id });
  const p = pendingByCode.get(scan.codeId);
  pendingByCode.set(scan.codeId, p ? { count: p.count + 1, first: p.first } : { count: 1, first: scan.scannedAt });
  if (queue.length >= FLUSH_AT) void flushScans();
  else if (!timer) {
    timer = setTimeout(() => void flushScans(), FLUSH_EVERY_MS);
    timer.unref();
  }
  return id;
}

/** Scans of this code not yet in the database. */
export function pendingScans(codeId: string): { count: number; first: Date } | null {
  return pendingByCode.get(codeId) ?? null;
}

/** Writes everything queued so far; concurrent calls wait for one another. */
export function flushScans(): Promise<void> {
  flushing = flushing.then(async () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    const perCode = new Map<string, number>();
    for (const s of batch) perCode.set(s.codeId, (perCode.get(s.codeId) ?? 0) + 1);
    const ids = [...perCode.keys()];
    // First/last scan times are kept at flush granularity (≤ FLUSH_EVERY_MS): the page shows a date.
    const first = batch[0]!.scannedAt;
    const last = batch[batch.length - 1]!.scannedAt;
    let totals: CodeTotal[] = [];
    try {
      // A fixed handful of statements per flush, however many codes it touches.
      totals = await prisma.$transaction(async (tx) => {
        await tx.scan.createMany({ data: batch });
        const increments = Prisma.join([...perCode].map(([id, n]) => Prisma.sql`WHEN ${id} THEN ${n}`), " ");
        await tx.$executeRaw`UPDATE "TraceCode" SET "scanCount" = "scanCount" + CASE "id" ${increments} ELSE 0 END WHERE "id" IN (${Prisma.join(ids)})`;
        await tx.traceCode.updateMany({ where: { id: { in: ids } }, data: { lastScannedAt: last } });
        await tx.traceCode.updateMany({ where: { id: { in: ids }, firstScannedAt: null }, data: { firstScannedAt: first } });
        return tx.traceCode.findMany({ where: { id: { in: ids } }, select: { id: true, batchId: true, kind: true, status: true, scanCount: true } });
      });
    } catch (e) {
      // Put them back: a failed write must not lose scans.
      queue = batch.concat(queue);
      console.error("[scans] flush failed; will retry", e);
      if (!timer) {
        timer = setTimeout(() => void flushScans(), 1000);
        timer.unref();
      }
      return;
    }
    for (const [codeId, written] of perCode) {
      const p = pendingByCode.get(codeId);
      if (p && p.count <= written) pendingByCode.delete(codeId);
      else if (p) pendingByCode.set(codeId, { count: p.count - written, first: p.first });
    }
    if (afterFlush) for (const t of totals) await afterFlush(t).catch((e: unknown) => console.error("[scans] rules failed", e));
  });
  return flushing;
}

// Graceful shutdown: remix-serve closes its server on these signals; we write what is
// queued, and the unref'd timer lets the process end once that is done.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    // Let in-flight requests finish; if open connections keep the process up, end it shortly after.
    void flushScans().finally(() => setTimeout(() => process.exit(0), 3000).unref());
  });
}
