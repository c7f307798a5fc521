// The rows the open-data JSON API lists for each dataset: the same public facts the daily
// snapshots carry, read a page at a time by keyset (id ascending; day and province for
// the scan statistics). A keyset page costs one index range scan however deep the reader
// is, and rows added while someone pages through never shift what they have not read yet.
// Only public facts (ADR on open data): producers' approved pages without phones, bank or
// consent details; verified OCOP stars only; no inspector or recorder names; no unit
// serials, no client keys, no scan positions; small scan counts suppressed.
import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { describeLocation } from "~/domain/address/address.server";
import { badgeCertificate, badgeCertificateSelect } from "~/domain/catalog/certificate";
import type { DatasetId } from "./datasets";
import type { CursorKey } from "./cursor";

export const LIST_LIMIT = { min: 1, max: 500, default: 100 } as const;
/** Province-days with fewer scans than this are left out of the scan statistics. */
export const SMALL_COUNT = 5;

/** Lots, events, inspections and recalls are published for approved producers' products. */
const approvedBatch = { product: { producer: { status: "APPROVED" as const } } };

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const afterId = (key: CursorKey | null) => (key && "id" in key ? { id: { gt: key.id } } : {});

export type DatasetPage = { rows: Record<string, unknown>[]; last: CursorKey | null };

async function idPage<T extends { id: string }>(
  find: (args: { where: object; take: number }) => Promise<T[]>,
  where: object,
  key: CursorKey | null,
  limit: number,
  toRow: (row: T) => Record<string, unknown>,
): Promise<DatasetPage> {
  // One row past the page says whether there is a next page without a count.
  const found = await find({ where: { AND: [where, afterId(key)] }, take: limit + 1 });
  const page = found.slice(0, limit);
  const lastRow = page.at(-1);
  return { rows: page.map(toRow), last: found.length > limit && lastRow ? { id: lastRow.id } : null };
}

const byId = { orderBy: { id: "asc" as const } };

const LISTERS: Record<DatasetId, (key: CursorKey | null, limit: number) => Promise<DatasetPage>> = {
  producers: (key, limit) =>
    idPage(
      (a) =>
        prisma.producer.findMany({
          ...a,
          ...byId,
          select: { id: true, name: true, type: true, wardCode: true, provinceCode: true, approvedAt: true },
        }),
      { status: "APPROVED" },
      key,
      limit,
      (p) => ({
        id: p.id,
        name: p.name,
        type: p.type,
        wardCode: p.wardCode,
        ...placeOf(p),
        provinceCode: p.provinceCode,
        approvedAt: iso(p.approvedAt),
      }),
    ),
  products: (key, limit) =>
    idPage(
      (a) =>
        prisma.product.findMany({
          ...a,
          ...byId,
          select: {
            id: true,
            producerId: true,
            name: true,
            ocopGroup: true,
            unit: true,
            priceVnd: true,
            gtin: true,
            // Only what an OCOP officer verified (ADR 016) is read at all.
            certificates: {
              where: { verification: "VERIFIED" },
              select: badgeCertificateSelect,
            },
          },
        }),
      { listingStatus: "LISTED", producer: { status: "APPROVED" } },
      key,
      limit,
      (p) => {
        const badge = badgeCertificate(p.certificates);
        return {
          id: p.id,
          producerId: p.producerId,
          name: p.name,
          ocopGroup: p.ocopGroup,
          unit: p.unit,
          priceVnd: p.priceVnd,
          gtin: p.gtin,
          ocopStars: badge?.stars ?? null,
          ocopLevel: badge?.level ?? null,
          ocopDecisionNumber: badge?.decisionNumber ?? null,
          ocopValidUntil: iso(badge?.validUntil ?? null),
        };
      },
    ),
  lots: (key, limit) =>
    idPage(
      (a) =>
        prisma.batch.findMany({
          ...a,
          ...byId,
          select: {
            id: true,
            productId: true,
            lotCode: true,
            producedAt: true,
            expiresAt: true,
            quantity: true,
            status: true,
            productionArea: true,
          },
        }),
      approvedBatch,
      key,
      limit,
      (b) => ({ ...b, producedAt: b.producedAt.toISOString(), expiresAt: iso(b.expiresAt) }),
    ),
  "trace-events": (key, limit) =>
    idPage(
      (a) =>
        prisma.traceEvent.findMany({
          ...a,
          ...byId,
          select: { id: true, batchId: true, kind: true, occurredAt: true, place: true, data: true, correctsId: true, phiFlag: true },
        }),
      { batch: approvedBatch },
      key,
      limit,
      (e) => ({
        id: e.id,
        batchId: e.batchId,
        kind: e.kind,
        occurredAt: e.occurredAt.toISOString(),
        place: e.place,
        data: JSON.parse(e.data) as unknown,
        correctsId: e.correctsId,
        preHarvestIntervalFlag: e.phiFlag,
      }),
    ),
  inspections: (key, limit) =>
    idPage(
      (a) =>
        prisma.inspection.findMany({
          ...a,
          ...byId,
          select: {
            id: true,
            batchId: true,
            result: true,
            inspectedAt: true,
            condition: true,
            conditionDue: true,
            signature: true,
            signingKeyId: true,
          },
        }),
      { batch: approvedBatch },
      key,
      limit,
      (i) => ({ ...i, inspectedAt: i.inspectedAt.toISOString(), conditionDue: iso(i.conditionDue) }),
    ),
  recalls: (key, limit) =>
    idPage(
      (a) =>
        prisma.recall.findMany({
          ...a,
          ...byId,
          select: {
            id: true,
            batchId: true,
            reason: true,
            severity: true,
            instructions: true,
            status: true,
            createdAt: true,
            closedAt: true,
          },
        }),
      { batch: approvedBatch },
      key,
      limit,
      (r) => ({ ...r, createdAt: r.createdAt.toISOString(), closedAt: iso(r.closedAt) }),
    ),
  "scan-statistics": scanStatisticsPage,
};

function placeOf(p: { wardCode: string; provinceCode: string }) {
  const loc = describeLocation(p.wardCode, p.provinceCode);
  return { ward: loc.ward, province: loc.province };
}

/**
 * Page views of trace codes per Vietnam calendar day and the producer's province, for days
 * that have ended (today's count still moves). Sums of Scan.repeats; fewer than SMALL_COUNT left out.
 */
async function scanStatisticsPage(key: CursorKey | null, limit: number): Promise<DatasetPage> {
  const after = key && "day" in key ? Prisma.sql`AND (s."day", s."provinceCode") > (${key.day}::date, ${key.province})` : Prisma.empty;
  // The day bound on "scannedAt" lets the index skip the days already read.
  const since =
    key && "day" in key
      ? Prisma.sql`AND sc."scannedAt" >= (${key.day}::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AT TIME ZONE 'UTC')`
      : Prisma.empty;
  const found = await prisma.$queryRaw<{ day: string; provinceCode: string; scans: bigint }[]>`
    SELECT to_char(s."day", 'YYYY-MM-DD') AS "day", s."provinceCode", s."scans" FROM (
      SELECT (sc."scannedAt" AT TIME ZONE 'UTC' AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS "day", pr."provinceCode", sum(sc."repeats") AS "scans"
      FROM "Scan" sc
      JOIN "TraceCode" c ON c."id" = sc."codeId"
      JOIN "Batch" b ON b."id" = c."batchId"
      JOIN "Product" p ON p."id" = b."productId"
      JOIN "Producer" pr ON pr."id" = p."producerId"
      WHERE pr."status" = 'APPROVED'
        AND sc."scannedAt" < (date_trunc('day', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') AT TIME ZONE 'Asia/Ho_Chi_Minh' AT TIME ZONE 'UTC')
        ${since}
      GROUP BY 1, 2
    ) s
    WHERE s."scans" >= ${SMALL_COUNT} ${after}
    ORDER BY s."day", s."provinceCode"
    LIMIT ${limit + 1}`;
  const page = found.slice(0, limit);
  const lastRow = page.at(-1);
  return {
    rows: page.map((r) => ({
      date: r.day,
      provinceCode: r.provinceCode,
      province: describeLocation("", r.provinceCode).province,
      scans: Number(r.scans),
    })),
    last: found.length > limit && lastRow ? { day: lastRow.day, province: lastRow.provinceCode } : null,
  };
}

/** One page of a dataset's public rows after the cursor's key. */
export function listDatasetRows(dataset: DatasetId, key: CursorKey | null, limit: number): Promise<DatasetPage> {
  return LISTERS[dataset](key, limit);
}
