// The rows the open-data JSON API lists for each dataset: the rows of the daily snapshot
// files, through the same queries (snapshot-queries.server.ts) and the same column list
// (snapshot-columns.ts), read a page at a time by keyset on the primary key. A keyset page
// costs one index range scan however deep the reader is, and rows added while someone pages
// through never shift what they have not read yet. Values are typed by the Table Schema:
// integers and booleans as JSON numbers and booleans, JSON columns as objects, empty as null.
import { prisma } from "~/db.server";
import type { DatasetId } from "./datasets";
import type { CursorKey } from "./cursor";
import { SNAPSHOT_SCHEMAS, type TableField } from "./snapshot-columns";
import { keyColumns, pageQuery, snapshotQuery } from "./snapshot-queries.server";
import { vnDay } from "./snapshots.server";

export const LIST_LIMIT = { min: 1, max: 500, default: 100 } as const;

export type DatasetRow = Record<string, string | number | boolean | object | null>;
export type DatasetPage = { rows: DatasetRow[]; last: CursorKey | null };

function typed(field: TableField, value: unknown): DatasetRow[string] {
  if (value === null || value === undefined) return null;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (field.type === "integer") return Number(text);
  if (field.type === "boolean") return text === "true";
  if (field.format === "json") return JSON.parse(text) as object;
  return text;
}

const keyOf = (dataset: DatasetId, row: Record<string, unknown>): CursorKey =>
  dataset === "scan-statistics" ? { day: String(row.day), province: String(row.province_code) } : { id: String(row.id) };

const keyValues = (key: CursorKey): string[] => ("id" in key ? [key.id] : [key.day, key.province]);

/**
 * The scan statistics are an aggregate over every scan (≈ 200 ms at 100,000 scans, growing with
 * them), and they change only when a day ends: all rows (a few per province and day) are
 * computed once per 10 minutes, one computation at a time, and pages are cut from memory.
 */
const SCAN_STATISTICS_KEPT_MS = 10 * 60_000;
let scanStatistics: { day: string; until: number; rows: Promise<Record<string, unknown>[]> } | null = null;

function allScanStatistics(day: string): Promise<Record<string, unknown>[]> {
  if (scanStatistics && scanStatistics.day === day && scanStatistics.until > Date.now()) return scanStatistics.rows;
  const rows = prisma.$queryRawUnsafe<Record<string, unknown>[]>(snapshotQuery("scan-statistics", day));
  scanStatistics = { day, until: Date.now() + SCAN_STATISTICS_KEPT_MS, rows };
  rows.catch(() => (scanStatistics = null)); // a failed read is not kept
  return rows;
}

/** Forgets the kept scan statistics (tests that add scans and read them again). */
export function forgetScanStatistics(): void {
  scanStatistics = null;
}

async function scanStatisticsAfter(after: string[] | null, take: number): Promise<Record<string, unknown>[]> {
  const rows = await allScanStatistics(vnDay());
  // Rows are in (day, province_code) order; ISO days and two-digit codes compare as text.
  const start = after ? rows.findIndex((r) => String(r.day) > after[0]! || (r.day === after[0] && String(r.province_code) > after[1]!)) : 0;
  return start < 0 ? [] : rows.slice(start, start + take);
}

/** One page of a dataset's public rows after the cursor's key, as of today (Vietnam time). */
export async function listDatasetRows(dataset: DatasetId, key: CursorKey | null, limit: number): Promise<DatasetPage> {
  const after = key ? keyValues(key) : null;
  if (after && after.length !== keyColumns(dataset).length) throw new Error(`a ${dataset} cursor has ${keyColumns(dataset).length} keys`);
  // One row past the page says whether there is a next page without a count.
  const found =
    dataset === "scan-statistics"
      ? await scanStatisticsAfter(after, limit + 1)
      : await prisma.$queryRawUnsafe<Record<string, unknown>[]>(pageQuery(dataset, vnDay(), after), ...(after ?? []), limit + 1);
  const fields = SNAPSHOT_SCHEMAS[dataset].fields;
  const page = found.slice(0, limit);
  const lastRow = page.at(-1);
  return {
    rows: page.map((r) => Object.fromEntries(fields.map((f) => [f.name, typed(f, r[f.name])]))),
    last: found.length > limit && lastRow ? keyOf(dataset, lastRow) : null,
  };
}
