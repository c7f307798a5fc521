import { EVENT_FORMS, type KdeField } from "~/domain/trace/event-kinds";
import type { DatasetId } from "./datasets";
import { isCalendarDay, SNAPSHOT_SCHEMAS, SUPPRESS_BELOW } from "./snapshot-columns";

// The SELECT behind each dataset, for the daily snapshot file and the JSON API alike: exactly
// the columns of its Table Schema (snapshot-columns.ts), in order and named by it, every value
// as text (PostgreSQL formats dates and numbers). Public scope, the same for every dataset so
// references resolve: approved producers; their products once published (listed now or taken
// off sale: a recall still matters after a product leaves the shop, and its lots' printed codes
// still open their trace pages), not drafts; those products' lots; the lots' events,
// inspections and recalls. DAY stands for the day the data is read for
// (YYYY-MM-DD, Vietnam time): a cursor's query (DECLARE … CURSOR FOR) takes no parameters,
// so the checked day is put in as a literal. The inner queries have no ORDER BY, so PostgreSQL
// flattens them into the outer one and a keyset page uses the primary key's index.

/** Timestamps are stored as UTC without a zone (Prisma); Table Schema's datetime default is this form. */
const utc = (col: string) => `to_char(${col}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

const PUBLISHED = `p."listingStatus" <> 'DRAFT' AND pr."status" = 'APPROVED'`;
const PUBLIC_PRODUCTS = `SELECT p."id" FROM "Product" p JOIN "Producer" pr ON pr."id" = p."producerId" WHERE ${PUBLISHED}`;
const PUBLIC_LOTS = `SELECT b."id" FROM "Batch" b WHERE b."productId" IN (${PUBLIC_PRODUCTS})`;

const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;

/**
 * Only the key data elements of the event's kind (its form's fields) that name no person: the
 * trace page shows a shipment's recipient to whoever holds the lot, bulk files do not.
 */
const KDE_FILTER = `CASE e."kind" ${Object.entries(EVENT_FORMS)
  .map(([kind, fields]) => {
    const published = (fields as readonly KdeField[]).filter((f) => !f.personal).map((f) => quote(f.name));
    return `WHEN ${quote(kind)} THEN ARRAY[${published.join(", ")}]::text[]`;
  })
  .join(" ")} ELSE ARRAY[]::text[] END`;

const SNAPSHOT_SQL: Record<DatasetId, string> = {
  producers: `SELECT pr."id", pr."type"::text, pr."name", pr."wardCode", pr."provinceCode", pr."story", ${utc(`pr."approvedAt"`)}
    FROM "Producer" pr WHERE pr."status" = 'APPROVED'`,
  products: `SELECT p."id", p."producerId", p."name", p."ocopGroup"::text, p."ocopSubgroup", p."unit", p."priceVnd"::text, p."gtin", p."description", (p."listingStatus" = 'LISTED')::text,
      c."stars"::text, c."level"::text, c."decisionNumber", to_char(c."validUntil" + interval '7 hours', 'YYYY-MM-DD')
    FROM "Product" p JOIN "Producer" pr ON pr."id" = p."producerId"
    LEFT JOIN LATERAL (
      SELECT c."stars", c."level", c."decisionNumber", c."validUntil" FROM "OcopCertificate" c
      WHERE c."productId" = p."id" AND c."verification" = 'VERIFIED' AND c."revokedAt" IS NULL AND c."validUntil" >= now() AT TIME ZONE 'UTC'
      ORDER BY c."stars" DESC, c."validUntil" DESC LIMIT 1) c ON true
    WHERE ${PUBLISHED}`,
  lots: `SELECT b."id", b."productId", b."lotCode", ${utc(`b."producedAt"`)}, ${utc(`b."expiresAt"`)}, b."quantity"::text, b."productionArea", b."status"::text, b."holdReason"
    FROM "Batch" b WHERE b."productId" IN (${PUBLIC_PRODUCTS})`,
  "trace-events": `SELECT e."id", e."batchId", e."kind"::text, ${utc(`e."occurredAt"`)}, e."place",
      COALESCE((SELECT jsonb_object_agg(d.k, d.v) FROM jsonb_each(e."data"::jsonb) AS d(k, v) WHERE d.k = ANY(${KDE_FILTER})), '{}'::jsonb)::text,
      e."phiFlag"::text, e."correctsId"
    FROM "TraceEvent" e WHERE e."batchId" IN (${PUBLIC_LOTS})`,
  inspections: `SELECT i."id", i."batchId", i."result"::text, ${utc(`i."inspectedAt"`)}, i."labResults", i."condition", ${utc(`i."conditionDue"`)}, i."signature", i."signingKeyId"
    FROM "Inspection" i WHERE i."batchId" IN (${PUBLIC_LOTS})`,
  recalls: `SELECT r."id", r."batchId", r."reason", r."severity"::text, r."instructions", r."status"::text, ${utc(`r."createdAt"`)}, ${utc(`r."closedAt"`)}
    FROM "Recall" r WHERE r."batchId" IN (${PUBLIC_LOTS})`,
  // Whole days before the snapshot day; a count under the threshold is left out, not rounded.
  "scan-statistics": `SELECT s."day"::text, s."provinceCode",
      CASE WHEN s."scans" >= ${SUPPRESS_BELOW} THEN s."scans"::text END,
      (s."scans" < ${SUPPRESS_BELOW})::text
    FROM (
      SELECT (sc."scannedAt" + interval '7 hours')::date AS "day", pr."provinceCode", sum(sc."repeats") AS "scans"
      FROM "Scan" sc JOIN "TraceCode" tc ON tc."id" = sc."codeId" JOIN "Batch" b ON b."id" = tc."batchId"
      JOIN "Product" p ON p."id" = b."productId" JOIN "Producer" pr ON pr."id" = p."producerId"
      WHERE pr."status" = 'APPROVED' AND sc."scannedAt" < (DAY::date - interval '7 hours') SINCE
      GROUP BY 1, 2) s`,
};

/** The columns a dataset's rows are ordered and paged by (its primary key). */
export const keyColumns = (dataset: DatasetId) => SNAPSHOT_SCHEMAS[dataset].primaryKey;

function datasetRows(dataset: DatasetId, day: string, sinceDay?: string): string {
  if (!isCalendarDay(day)) throw new Error(`not a day: ${day}`);
  if (sinceDay !== undefined && !isCalendarDay(sinceDay)) throw new Error(`not a day: ${sinceDay}`);
  // A later page of the scan statistics reads only the scans from its first day on (the index on scannedAt).
  const since = sinceDay ? `AND sc."scannedAt" >= (${quote(sinceDay)}::date - interval '7 hours')` : "";
  const columns = SNAPSHOT_SCHEMAS[dataset].fields.map((f) => `"${f.name}"`).join(", ");
  const inner = SNAPSHOT_SQL[dataset].replace("DAY::date", `${quote(day)}::date`).replace("SINCE", since);
  return `SELECT * FROM (${inner}) AS t(${columns})`;
}

const orderBy = (dataset: DatasetId) =>
  `ORDER BY ${keyColumns(dataset)
    .map((k) => `t."${k}"`)
    .join(", ")}`;

/** Every row of the dataset as of `day`, in key order (the snapshot file). */
export function snapshotQuery(dataset: DatasetId, day: string): string {
  return `${datasetRows(dataset, day)} ${orderBy(dataset)}`;
}

/**
 * One page of the dataset after `after` (the key columns' values of the last row given), for
 * the JSON API: $1…$n are the key values, then the row limit.
 */
export function pageQuery(dataset: DatasetId, day: string, after: string[] | null): string {
  const keys = keyColumns(dataset);
  const sinceDay = dataset === "scan-statistics" && after ? after[0] : undefined;
  const where = after ? `WHERE (${keys.map((k) => `t."${k}"`).join(", ")}) > (${keys.map((_, i) => `$${i + 1}`).join(", ")})` : "";
  return `${datasetRows(dataset, day, sinceDay)} ${where} ${orderBy(dataset)} LIMIT $${after ? keys.length + 1 : 1}`;
}
