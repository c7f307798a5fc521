import { EVENT_FORMS, type KdeField } from "~/domain/trace/event-kinds";
import type { DatasetId } from "./datasets";
import { isCalendarDay, SNAPSHOT_SCHEMAS, SUPPRESS_BELOW } from "./snapshot-columns";

// The SELECT behind each snapshot file: exactly the columns of its Table Schema, in order,
// every value as text (PostgreSQL formats dates and numbers, the job only writes CSV), sorted
// by the primary key. Public scope, the same for every file so references resolve: approved
// producers; their LISTED products; those products' lots; the lots' events, inspections and
// recalls. DAY stands for the snapshot day (YYYY-MM-DD, Vietnam time): a cursor's query
// (DECLARE … CURSOR FOR) takes no parameters, so snapshotQuery puts the checked day in.

/** Timestamps are stored as UTC without a zone (Prisma); Table Schema's datetime default is this form. */
const utc = (col: string) => `to_char(${col}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

const PUBLIC_PRODUCTS = `SELECT p."id" FROM "Product" p JOIN "Producer" pr ON pr."id" = p."producerId"
  WHERE p."listingStatus" = 'LISTED' AND pr."status" = 'APPROVED'`;
const PUBLIC_LOTS = `SELECT b."id" FROM "Batch" b WHERE b."productId" IN (${PUBLIC_PRODUCTS})`;

const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;

/** Only the key data elements the trace page shows for the event's kind (its form's fields). */
const KDE_FILTER = `CASE e."kind" ${Object.entries(EVENT_FORMS)
  .map(
    ([kind, fields]) => `WHEN ${quote(kind)} THEN ARRAY[${(fields as readonly KdeField[]).map((f) => quote(f.name)).join(", ")}]::text[]`,
  )
  .join(" ")} ELSE ARRAY[]::text[] END`;

const SNAPSHOT_SQL: Record<DatasetId, string> = {
  producers: `SELECT pr."id", pr."type"::text, pr."name", pr."wardCode", pr."provinceCode", pr."story", ${utc(`pr."approvedAt"`)}
    FROM "Producer" pr WHERE pr."status" = 'APPROVED' ORDER BY pr."id"`,
  products: `SELECT p."id", p."producerId", p."name", p."ocopGroup"::text, p."ocopSubgroup", p."unit", p."priceVnd"::text, p."gtin", p."description",
      c."stars"::text, c."level"::text, to_char(c."validUntil" + interval '7 hours', 'YYYY-MM-DD')
    FROM "Product" p JOIN "Producer" pr ON pr."id" = p."producerId"
    LEFT JOIN LATERAL (
      SELECT c."stars", c."level", c."validUntil" FROM "OcopCertificate" c
      WHERE c."productId" = p."id" AND c."verification" = 'VERIFIED' AND c."revokedAt" IS NULL AND c."validUntil" >= now() AT TIME ZONE 'UTC'
      ORDER BY c."stars" DESC, c."validUntil" DESC LIMIT 1) c ON true
    WHERE p."listingStatus" = 'LISTED' AND pr."status" = 'APPROVED' ORDER BY p."id"`,
  lots: `SELECT b."id", b."productId", b."lotCode", ${utc(`b."producedAt"`)}, ${utc(`b."expiresAt"`)}, b."quantity"::text, b."productionArea", b."status"::text, b."holdReason"
    FROM "Batch" b WHERE b."productId" IN (${PUBLIC_PRODUCTS}) ORDER BY b."id"`,
  "trace-events": `SELECT e."id", e."batchId", e."kind"::text, ${utc(`e."occurredAt"`)}, e."place",
      COALESCE((SELECT jsonb_object_agg(d.k, d.v) FROM jsonb_each(e."data"::jsonb) AS d(k, v) WHERE d.k = ANY(${KDE_FILTER})), '{}'::jsonb)::text,
      e."phiFlag"::text, e."correctsId"
    FROM "TraceEvent" e WHERE e."batchId" IN (${PUBLIC_LOTS}) ORDER BY e."id"`,
  inspections: `SELECT i."id", i."batchId", i."result"::text, ${utc(`i."inspectedAt"`)}, i."labResults", i."condition", ${utc(`i."conditionDue"`)}, i."signature", i."signingKeyId"
    FROM "Inspection" i WHERE i."batchId" IN (${PUBLIC_LOTS}) ORDER BY i."id"`,
  recalls: `SELECT r."id", r."batchId", r."reason", r."severity"::text, r."instructions", r."status"::text, ${utc(`r."createdAt"`)}, ${utc(`r."closedAt"`)}
    FROM "Recall" r WHERE r."batchId" IN (${PUBLIC_LOTS}) ORDER BY r."id"`,
  // Whole days before the snapshot day; a count under the threshold is left out, not rounded.
  "scan-statistics": `SELECT s."day"::text, s."provinceCode",
      CASE WHEN s."scans" >= ${SUPPRESS_BELOW} THEN s."scans"::text END,
      (s."scans" < ${SUPPRESS_BELOW})::text
    FROM (
      SELECT (sc."scannedAt" + interval '7 hours')::date AS "day", pr."provinceCode", sum(sc."repeats") AS "scans"
      FROM "Scan" sc JOIN "TraceCode" tc ON tc."id" = sc."codeId" JOIN "Batch" b ON b."id" = tc."batchId"
      JOIN "Product" p ON p."id" = b."productId" JOIN "Producer" pr ON pr."id" = p."producerId"
      WHERE pr."status" = 'APPROVED' AND sc."scannedAt" < (DAY::date - interval '7 hours')
      GROUP BY 1, 2) s
    ORDER BY s."day", s."provinceCode"`,
};

export function snapshotQuery(dataset: DatasetId, day: string): string {
  if (!isCalendarDay(day)) throw new Error(`not a day: ${day}`);
  return SNAPSHOT_SQL[dataset].replace("DAY::date", `${quote(day)}::date`);
}

/** Column count of each query, checked against its schema in tests (a query and its schema cannot drift). */
export const columnCount = (dataset: DatasetId) => SNAPSHOT_SCHEMAS[dataset].fields.length;
