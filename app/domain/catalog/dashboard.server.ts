import { prisma } from "~/db.server";
import { certificateStatus, expiryWarning } from "./certificate";

export const SCAN_WINDOW_DAYS = 30;
const DAY = 86_400_000;

/** Day index 0..29 (oldest → today) in Vietnam time. */
function dayIndex(at: Date, now: Date): number {
  const vn = (d: Date) => Math.floor((d.getTime() + 7 * 3600_000) / DAY);
  return SCAN_WINDOW_DAYS - 1 - (vn(now) - vn(at));
}

/** What the producer sees first: products with certificate state, batches with stock and scans, warnings. */
export async function producerDashboard(producerId: string, now = new Date()) {
  const products = await prisma.product.findMany({
    where: { producerId },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      ocopGroup: true,
      unit: true,
      priceVnd: true,
      certificates: { select: { id: true, stars: true, validUntil: true, revokedAt: true, decisionNumber: true, verification: true } },
      batches: {
        orderBy: { producedAt: "desc" },
        take: 20,
        select: { id: true, lotCode: true, stock: true, quantity: true, status: true },
      },
    },
  });
  const batchIds = products.flatMap((p) => p.batches.map((b) => b.id));
  const since = new Date(now.getTime() - SCAN_WINDOW_DAYS * DAY);
  // Aggregated by day here (dayIndex, Vietnam days), not with SQL date functions.
  const scans = await prisma.scan.findMany({
    where: { scannedAt: { gte: since }, code: { batchId: { in: batchIds } } },
    select: { scannedAt: true, repeats: true, code: { select: { batchId: true } } },
    take: 200_000,
  });
  const perBatch = new Map<string, number[]>();
  for (const s of scans) {
    const i = dayIndex(s.scannedAt, now);
    if (i < 0 || i >= SCAN_WINDOW_DAYS) continue;
    const series = perBatch.get(s.code.batchId) ?? new Array<number>(SCAN_WINDOW_DAYS).fill(0);
    series[i]! += s.repeats; // page views: a row is one client's visit with its reloads, as TraceCode.scanCount counts them
    perBatch.set(s.code.batchId, series);
  }
  const warnings: { productId: string; productName: string; decisionNumber: string; validUntil: Date; days: 30 | 90 }[] = [];
  const view = products.map((p) => {
    const certs = p.certificates.map((c) => ({ ...c, status: certificateStatus(c, now) }));
    for (const c of p.certificates) {
      const w = expiryWarning(c, now);
      if (w) warnings.push({ productId: p.id, productName: p.name, decisionNumber: c.decisionNumber, validUntil: c.validUntil, days: w });
    }
    return {
      ...p,
      certificates: certs,
      batches: p.batches.map((b) => ({ ...b, scans: perBatch.get(b.id) ?? new Array<number>(SCAN_WINDOW_DAYS).fill(0) })),
    };
  });
  return { products: view, warnings };
}
