import { createHash } from "node:crypto";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import pg from "pg";
import { stringify } from "csv-stringify/sync";
import { databaseUrl, prisma } from "~/db.server";
import { APPLICATION_NAME } from "~/lib/instance.server";
import { VN_OFFSET_MS } from "~/lib/time";
import { putFile, readFile, writeFileStream } from "~/domain/files/storage.server";
import { DATASET_IDS, DATASETS, type DatasetId } from "./datasets";
import { isCalendarDay, SNAPSHOT_SCHEMAS, snapshotFilePath, type TableSchema } from "./snapshot-columns";
import { snapshotQuery } from "./snapshot-queries.server";

// The daily open-data snapshot (ADR on open-data snapshots): one gzip CSV per dataset and a
// Frictionless Data Package describing them, kept for every day. All seven files are read in
// one REPEATABLE READ transaction, so they agree with each other (every lot_id names a lot of
// the same day's lots file). Rows come through server-side cursors a page at a time and go
// through CSV, gzip and a SHA-256 meter into chunked storage: memory stays flat whatever the
// number of rows. A day is published when its datapackage.json exists; it is written last.

/** Rows fetched from a cursor at a time. */
const FETCH_ROWS = 10_000;

const fileKey = (day: string, dataset: DatasetId) => `open-data/${day}/${dataset}.csv.gz`;
const packageKey = (day: string) => `open-data/${day}/datapackage.json`;
const PACKAGE_KEYS = /^open-data\/(\d{4}-\d{2}-\d{2})\/datapackage\.json$/;

/** The calendar day in Vietnam (UTC+7), YYYY-MM-DD. */
export function vnDay(at: Date = new Date()): string {
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

export type SnapshotResource = {
  name: DatasetId;
  type: "table";
  /** Relative to /du-lieu-mo/ (the served packages carry full URLs, see packageForWeb). */
  path: string;
  title: string;
  description: string;
  format: "csv";
  mediatype: "text/csv";
  compression: "gz";
  encoding: "utf-8";
  dialect: { header: true; delimiter: ","; quoteChar: '"'; doubleQuote: true; lineTerminator: "\n" };
  hash: string;
  bytes: number;
  schema: TableSchema;
};

export type SnapshotPackage = {
  $schema: string;
  name: string;
  title: string;
  description: string;
  version: string;
  created: string;
  licenses: { name: string; path: string; title: string }[];
  keywords: string[];
  resources: SnapshotResource[];
};

const LICENSE = { name: "CC-BY-4.0", path: "https://creativecommons.org/licenses/by/4.0/", title: "Creative Commons Attribution 4.0" };

/** Bytes and SHA-256 of what passes through, untouched. */
function meter() {
  const hash = createHash("sha256");
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ hash: `sha256:${hash.digest("hex")}`, bytes }) };
}

/**
 * The CSV text of a query, the header first, then one piece per cursor page: a page is the
 * most held at once, and one stringify call per page instead of a stream event per row cost a
 * sixth of the time (the per-row stream was most of the build).
 */
async function* csvPages(client: pg.Client, sql: string, columns: string[]): AsyncGenerator<string> {
  yield stringify([columns]);
  await client.query(`DECLARE snapshot_rows NO SCROLL CURSOR FOR ${sql}`);
  for (;;) {
    const page = await client.query<(string | null)[]>({ text: `FETCH ${FETCH_ROWS} FROM snapshot_rows`, rowMode: "array" });
    if (page.rows.length === 0) break;
    yield stringify(page.rows);
  }
  await client.query("CLOSE snapshot_rows");
}

async function writeDataset(client: pg.Client, day: string, dataset: DatasetId): Promise<SnapshotResource> {
  const schema = SNAPSHOT_SCHEMAS[dataset];
  const measured = meter();
  await pipeline(
    Readable.from(
      csvPages(
        client,
        snapshotQuery(dataset, day),
        schema.fields.map((f) => f.name),
      ),
    ),
    createGzip(),
    measured.stream,
    writeFileStream(fileKey(day, dataset), "application/gzip"),
  );
  const info = DATASETS[dataset];
  return {
    name: dataset,
    type: "table",
    path: snapshotFilePath(dataset, day),
    title: `${info.title.vi} / ${info.title.en}`,
    description: `${info.description.vi}\n\n${info.description.en}`,
    format: "csv",
    mediatype: "text/csv",
    compression: "gz",
    encoding: "utf-8",
    dialect: { header: true, delimiter: ",", quoteChar: '"', doubleQuote: true, lineTerminator: "\n" },
    ...measured.result(),
    schema,
  };
}

export type BuildResult = { day: string; built: boolean; package: SnapshotPackage | null };

/**
 * Builds the snapshot of `day` (default: today in Vietnam). A day already published is left as
 * it is (the cron job may run twice; dated files never change once out). One build at a time
 * across instances (an advisory lock): a second caller returns without building.
 */
export async function buildSnapshot(day: string = vnDay()): Promise<BuildResult> {
  if (!isCalendarDay(day)) throw new Error(`not a day: ${day}`);
  const existing = await readSnapshotPackage(day);
  if (existing) return { day, built: false, package: existing };
  const client = new pg.Client({ connectionString: databaseUrl(), application_name: `${APPLICATION_NAME}:open-data` });
  // A lost connection rejects the query in hand; without a listener it would end the process.
  client.on("error", () => {});
  await client.connect();
  try {
    const [lock] = (await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtext('open-data-snapshot')) AS locked")).rows;
    if (!lock?.locked) return { day, built: false, package: null };
    const again = await readSnapshotPackage(day);
    if (again) return { day, built: false, package: again };
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    // Every row is read: plan for the whole result (hash joins and one sort), not for the first
    // rows as a cursor's plan is by default (index-ordered nested loops, far slower at millions).
    await client.query("SET LOCAL cursor_tuple_fraction = 1.0");
    const resources: SnapshotResource[] = [];
    for (const dataset of DATASET_IDS) resources.push(await writeDataset(client, day, dataset));
    await client.query("COMMIT");
    const pkg: SnapshotPackage = {
      $schema: "https://datapackage.org/profiles/2.0/datapackage.json",
      name: `ocop-trace-open-data`,
      title: "Dữ liệu mở OCOP và truy xuất nguồn gốc / OCOP and traceability open data",
      description:
        "Ảnh chụp hằng ngày dữ liệu công khai: cơ sở, sản phẩm, lô, sự kiện truy xuất, kiểm tra, thu hồi, thống kê lượt quét.\n\n" +
        "Daily snapshot of the public data: producers, products, lots, trace events, inspections, recalls, scan statistics.",
      version: day,
      created: new Date().toISOString(),
      licenses: [LICENSE],
      keywords: ["OCOP", "traceability", "truy xuất nguồn gốc", "open data"],
      resources,
    };
    // Written last: the day exists for readers only once every file it names is complete.
    await putFile(packageKey(day), "application/json", new TextEncoder().encode(JSON.stringify(pkg, null, 2)));
    return { day, built: true, package: pkg };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The stored package of a published day, or null. */
export async function readSnapshotPackage(day: string): Promise<SnapshotPackage | null> {
  if (!isCalendarDay(day)) return null;
  const file = await readFile(packageKey(day));
  return file ? (JSON.parse(new TextDecoder().decode(file.bytes)) as SnapshotPackage) : null;
}

/** Published days, newest first. */
export async function listSnapshotDays(): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ key: string }[]>`
    SELECT "key" FROM "StoredFile" WHERE "key" LIKE 'open-data/%/datapackage.json' ORDER BY "key" DESC`;
  return rows.flatMap((r) => PACKAGE_KEYS.exec(r.key)?.[1] ?? []);
}

export const snapshotStorageKey = fileKey;
