// What the catalogs say that comes from the database and the settings: who publishes, and
// each dataset's time span and last change. Seven aggregate queries, kept 10 minutes in
// the process (the data is published daily), so catalog requests cost the database little.
import { prisma } from "~/db.server";
import { setting } from "~/lib/env.server";
import { DATASET_IDS, type DatasetId } from "./datasets";
import type { CatalogFacts, DatasetDates } from "./catalog";

const KEEP_MS = 10 * 60_000;
let kept: { at: number; dates: Record<DatasetId, DatasetDates> } | null = null;

type Span = { start: Date | null; end: Date | null; modified: Date | null };

async function span(dataset: DatasetId): Promise<Span> {
  const rows = await (() => {
    switch (dataset) {
      case "producers":
        return prisma.$queryRaw<
          Span[]
        >`SELECT min("approvedAt") AS start, max("approvedAt") AS "end", max("updatedAt") AS modified FROM "Producer" WHERE "status" = 'APPROVED'`;
      case "products":
        return prisma.$queryRaw<Span[]>`SELECT min(p."createdAt") AS start, max(p."createdAt") AS "end", max(p."updatedAt") AS modified
          FROM "Product" p JOIN "Producer" pr ON pr."id" = p."producerId" WHERE p."listingStatus" = 'LISTED' AND pr."status" = 'APPROVED'`;
      case "lots":
        return prisma.$queryRaw<Span[]>`SELECT min(b."producedAt") AS start, max(b."producedAt") AS "end", max(b."updatedAt") AS modified
          FROM "Batch" b JOIN "Product" p ON p."id" = b."productId" JOIN "Producer" pr ON pr."id" = p."producerId" WHERE pr."status" = 'APPROVED'`;
      case "trace-events":
        return prisma.$queryRaw<Span[]>`SELECT min(e."occurredAt") AS start, max(e."occurredAt") AS "end", max(e."createdAt") AS modified
          FROM "TraceEvent" e JOIN "Batch" b ON b."id" = e."batchId" JOIN "Product" p ON p."id" = b."productId" JOIN "Producer" pr ON pr."id" = p."producerId" WHERE pr."status" = 'APPROVED'`;
      case "inspections":
        return prisma.$queryRaw<
          Span[]
        >`SELECT min(i."inspectedAt") AS start, max(i."inspectedAt") AS "end", max(i."inspectedAt") AS modified
          FROM "Inspection" i JOIN "Batch" b ON b."id" = i."batchId" JOIN "Product" p ON p."id" = b."productId" JOIN "Producer" pr ON pr."id" = p."producerId" WHERE pr."status" = 'APPROVED'`;
      case "recalls":
        return prisma.$queryRaw<
          Span[]
        >`SELECT min(r."createdAt") AS start, max(r."createdAt") AS "end", greatest(max(r."createdAt"), max(r."closedAt")) AS modified
          FROM "Recall" r JOIN "Batch" b ON b."id" = r."batchId" JOIN "Product" p ON p."id" = b."productId" JOIN "Producer" pr ON pr."id" = p."producerId" WHERE pr."status" = 'APPROVED'`;
      case "scan-statistics":
        // Whole days only, as the list gives them (today's count still moves).
        return prisma.$queryRaw<
          Span[]
        >`SELECT min("scannedAt") AS start, max("scannedAt") AS "end", max("scannedAt") AS modified FROM "Scan"
          WHERE "scannedAt" < (date_trunc('day', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') AT TIME ZONE 'Asia/Ho_Chi_Minh' AT TIME ZONE 'UTC')`;
    }
  })();
  return rows[0] ?? { start: null, end: null, modified: null };
}

/** A moment as its calendar day in Vietnam (UTC+7, no daylight saving). */
export function vietnamDay(d: Date | null): string | null {
  return d ? new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10) : null;
}

export async function datasetDates(now = Date.now()): Promise<Record<DatasetId, DatasetDates>> {
  if (kept && now - kept.at < KEEP_MS) return kept.dates;
  const spans = await Promise.all(DATASET_IDS.map(span));
  const dates = Object.fromEntries(
    DATASET_IDS.map((id, i) => {
      const s = spans[i]!;
      return [id, { start: vietnamDay(s.start), end: vietnamDay(s.end), modified: vietnamDay(s.modified) }];
    }),
  ) as Record<DatasetId, DatasetDates>;
  kept = { at: now, dates };
  return dates;
}

/** Forgets the kept dates (tests that add rows and read the catalog again). */
export function forgetDatasetDates(): void {
  kept = null;
}

export async function catalogFacts(baseUrl: string): Promise<CatalogFacts> {
  return {
    baseUrl,
    publisher: { name: setting("OPEN_DATA_PUBLISHER"), email: setting("OPEN_DATA_CONTACT_EMAIL") },
    dates: await datasetDates(),
  };
}
