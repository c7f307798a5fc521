import { BatchStatus, type InspectionResult } from "@prisma/client";
import { prisma } from "~/db.server";

// A province at a glance for its inspectors: batches by status, inspections per month
// and result, open recalls and holds, scans per day. Every figure is a count query (or
// a small read of inspections) so memory stays flat however many scans a province has.

export const DASHBOARD_MONTHS = 12;
export const DASHBOARD_DAYS = 30;
const DAY = 86_400_000;
const VN_OFFSET = 7 * 3600_000;
const STATUSES = Object.values(BatchStatus);
const RESULTS: InspectionResult[] = ["PASS", "CONDITIONAL", "FAIL"];

/** Midnight in Vietnam (UTC+7, no daylight saving) of the day `at` falls in, `daysBack` days earlier. */
function vnMidnight(at: Date, daysBack = 0): Date {
  const day = Math.floor((at.getTime() + VN_OFFSET) / DAY) - daysBack;
  return new Date(day * DAY - VN_OFFSET);
}

/** "2026-11" for the Vietnamese calendar month of `at`. */
function vnMonth(at: Date): string {
  return new Date(at.getTime() + VN_OFFSET).toISOString().slice(0, 7);
}

/** The last `n` months, oldest first, ending with the month of `now`. */
export function monthsEnding(now: Date, n: number): string[] {
  const vn = new Date(now.getTime() + VN_OFFSET);
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(vn.getUTCFullYear(), vn.getUTCMonth() - (n - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

/** One province's figures, several provinces' together, or (null) every province's. */
export async function provinceDashboard(provinces: string | string[] | null, now = new Date()) {
  const codes = typeof provinces === "string" ? [provinces] : provinces;
  const inProvince = codes ? { product: { producer: { provinceCode: { in: codes } } } } : {};
  const months = monthsEnding(now, DASHBOARD_MONTHS);
  const firstMonthStart = new Date(Date.parse(`${months[0]}-01T00:00:00Z`) - VN_OFFSET);
  const days = Array.from({ length: DASHBOARD_DAYS }, (_, i) => vnMidnight(now, DASHBOARD_DAYS - 1 - i));

  const [statusRows, inspections, recalls, holds, scanCounts] = await Promise.all([
    prisma.batch.groupBy({ by: ["status"], where: inProvince, _count: { _all: true } }),
    prisma.inspection.findMany({
      where: { batch: inProvince, inspectedAt: { gte: firstMonthStart } },
      select: { inspectedAt: true, result: true },
    }),
    prisma.recall.findMany({
      where: { status: "OPEN", batch: inProvince },
      orderBy: { createdAt: "desc" },
      select: {
        id: true,
        severity: true,
        reason: true,
        createdAt: true,
        batch: { select: { lotCode: true, product: { select: { name: true, producer: { select: { provinceCode: true } } } } } },
        notices: { select: { message: { select: { status: true } } } },
      },
    }),
    prisma.batch.findMany({
      where: { status: "ON_HOLD", ...inProvince },
      orderBy: { updatedAt: "desc" },
      select: {
        id: true,
        lotCode: true,
        holdReason: true,
        product: { select: { name: true, producer: { select: { provinceCode: true } } } },
      },
    }),
    // Scans are page views: a row is one client's visit and counts its reloads (repeats), as TraceCode.scanCount does.
    Promise.all(
      days.map((start) =>
        prisma.scan
          .aggregate({
            where: { scannedAt: { gte: start, lt: new Date(start.getTime() + DAY) }, code: { batch: inProvince } },
            _sum: { repeats: true },
          })
          .then((r) => r._sum.repeats ?? 0),
      ),
    ),
  ]);

  const byStatus = new Map(statusRows.map((r) => [r.status, r._count._all]));
  const perMonth = new Map(months.map((m) => [m, { PASS: 0, CONDITIONAL: 0, FAIL: 0 }]));
  for (const i of inspections) {
    const bucket = perMonth.get(vnMonth(i.inspectedAt));
    if (bucket) bucket[i.result] += 1;
  }
  return {
    batchesByStatus: STATUSES.map((status) => ({ status, count: byStatus.get(status) ?? 0 })),
    inspectionsByMonth: months.map((month) => ({ month, ...perMonth.get(month)! })),
    results: RESULTS,
    openRecalls: recalls.map((r) => ({
      id: r.id,
      severity: r.severity,
      reason: r.reason,
      createdAt: r.createdAt,
      lotCode: r.batch.lotCode,
      productName: r.batch.product.name,
      provinceCode: r.batch.product.producer.provinceCode,
      // Told once their recall message was sent, not while it waits in the outbox.
      buyersNotified: r.notices.filter((n) => n.message?.status === "SENT").length,
    })),
    holds: holds.map((h) => ({
      id: h.id,
      lotCode: h.lotCode,
      productName: h.product.name,
      provinceCode: h.product.producer.provinceCode,
      reason: h.holdReason,
    })),
    scansByDay: days.map((start, i) => ({ day: new Date(start.getTime() + VN_OFFSET).toISOString().slice(0, 10), count: scanCounts[i]! })),
  };
}
