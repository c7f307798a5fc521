import crypto from "node:crypto";
import { prisma } from "~/db.server";

// Scans are written in small batches off the request path: a page never waits for
// another scan's write, and one transaction stores many scans. Pending scans are
// counted in memory so the page still says "first scan" / "scanned N times" right,
// and they are flushed on a graceful shutdown (SIGTERM/SIGINT) so none is lost.

export type PendingScan = { id: string; codeId: string; scannedAt: Date; userAgentFamily: string; outcome: "OK" | "WARNED" };
type AfterFlush = (codeId: string, scanCount: number) => Promise<void>;

/** How long a scan may wait in memory; SCAN_FLUSH_MS lets a test hold scans back. */
const FLUSH_EVERY_MS = Number(process.env.SCAN_FLUSH_MS ?? 100);
const FLUSH_AT = 500;

let queue: PendingScan[] = [];
let timer: NodeJS.Timeout | null = null;
let flushing: Promise<void> = Promise.resolve();
let afterFlush: AfterFlush | null = null;
const pendingByCode = new Map<string, { count: number; first: Date }>();

/** Called once per flushed code with its new total, to run the counterfeit rules. */
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
    const perCode = new Map<string, { count: number; first: Date; last: Date }>();
    for (const s of batch) {
      const c = perCode.get(s.codeId);
      perCode.set(s.codeId, c ? { count: c.count + 1, first: c.first, last: s.scannedAt } : { count: 1, first: s.scannedAt, last: s.scannedAt });
    }
    let totals: { id: string; scanCount: number }[] = [];
    try {
      totals = await prisma.$transaction(async (tx) => {
        await tx.scan.createMany({ data: batch });
        const out: { id: string; scanCount: number }[] = [];
        for (const [codeId, c] of perCode) {
          const updated = await tx.traceCode.update({ where: { id: codeId }, data: { scanCount: { increment: c.count }, lastScannedAt: c.last }, select: { id: true, scanCount: true } });
          await tx.traceCode.updateMany({ where: { id: codeId, firstScannedAt: null }, data: { firstScannedAt: c.first } });
          out.push(updated);
        }
        return out;
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
    for (const [codeId, c] of perCode) {
      const p = pendingByCode.get(codeId);
      if (p && p.count <= c.count) pendingByCode.delete(codeId);
      else if (p) pendingByCode.set(codeId, { count: p.count - c.count, first: p.first });
    }
    if (afterFlush) for (const t of totals) await afterFlush(t.id, t.scanCount).catch((e: unknown) => console.error("[scans] rules failed", e));
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
