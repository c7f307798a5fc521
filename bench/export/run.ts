// bench/export: the province trace-event CSV (FSMA 204 style) for 100,000 events, on PostgreSQL.
// Seeds a synthetic database (10,000 batches × 10 events in one province, plus
// 20,000 events elsewhere that must be left out), then streams the export the way
// /inspector/events.csv does, and in the same run the floor: the same rows read
// straight from PostgreSQL with one join (`pg`, no ORM) and written as CSV. Reports the
// time (target ≤ 5 s), the ratio to the floor, and peak memory growth for 100,000
// events against 10,000 (a date range) — streamed means the two stay close.
//   npm run bench:export          (BENCH_EVENTS=100000 by default)
// The database is an embedded PostgreSQL in a temporary folder, or BENCH_DATABASE_URL
// (an empty database: this bench fills it and leaves it filled).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../scripts/postgres.mjs";
import { copy, Rows, ts } from "../pg-copy";
import { copyProducers, copyProducts, copyUser, openEmptyDatabase, KINDS_RESHIPPED, times } from "../synthetic";
import { translator } from "../../app/i18n/translate";
import { toVnIso } from "../../app/lib/time";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const EVENTS_PER_BATCH = 10;
const BATCHES = Math.ceil(EVENTS / EVENTS_PER_BATCH);
const NOISE_BATCHES = Math.ceil(BATCHES / 5);
const TARGET_MS = 5_000;
const DAY = 86_400_000;
const log = (m: string) => console.log(`[bench/export] ${m}`);
const START = Date.parse("2025-01-01T00:00:00Z");
const SPAN_DAYS = 700;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-bench-export-"));
const server = process.env.BENCH_DATABASE_URL
  ? { url: process.env.BENCH_DATABASE_URL, stop: async () => {} }
  : await startEmbeddedPostgres({ dir: path.join(dataDir, "pg"), database: "bench_export" });
const url = server.url;
process.env.DATA_DIR = dataDir;
process.env.DATABASE_URL = url;

async function seed() {
  const db = await openEmptyDatabase(url, log);
  try {
    const now = ts(Date.now());
    await db.query("BEGIN");
    await copyUser(db, { id: "u" }, now);
    await copyProducers(
      db,
      [
        { id: "p19", type: "COOPERATIVE", name: 'HTX Chè "Tân Cương", xóm 1', provinceCode: "19" },
        { id: "p01", type: "COOPERATIVE", name: "HTX Hà Nội", provinceCode: "01" },
      ],
      now,
    );
    await copyProducts(
      db,
      [
        ...times(50, (i) => ({
          id: `pd${i}`,
          producerId: "p19",
          name: `Chè búp loại ${i}`,
          ocopGroup: 1,
          description: "",
          gtin: `0893${String(i).padStart(10, "0")}`,
        })),
        { id: "pdx", producerId: "p01", name: "Gốm Bát Tràng", ocopGroup: 1, description: "" },
      ],
      now,
    );
    const batches = new Rows();
    const events = new Rows();
    const batch = (b: number, productId: string) => {
      const produced = START + (b % SPAN_DAYS) * DAY;
      batches.add(`b${b}`, productId, `LOT-${b}`, ts(produced), 1000, 1000, "ACTIVE", ts(produced), ts(produced));
      for (let e = 0; e < EVENTS_PER_BATCH; e++) {
        const at = ts(produced + e * 3_600_000);
        events.add(
          `e${b}_${e}`,
          `b${b}`,
          KINDS_RESHIPPED[e]!,
          at,
          e % 3 === 0 ? "Đồi chè, xóm Hồng Thái" : null,
          JSON.stringify({ quantity: 100 + e, unit: "kg", documentNumber: `PX-${b}-${e}` }),
          false,
          "u",
          at,
        );
      }
    };
    for (let b = 0; b < BATCHES; b++) batch(b, `pd${b % 50}`);
    for (let b = BATCHES; b < BATCHES + NOISE_BATCHES; b++) batch(b, "pdx");
    await copy(db, "Batch", ["id", "productId", "lotCode", "producedAt", "quantity", "stock", "status", "createdAt", "updatedAt"], batches);
    await copy(db, "TraceEvent", ["id", "batchId", "kind", "occurredAt", "place", "data", "phiFlag", "recordedById", "createdAt"], events);
    await db.query("COMMIT");
    await db.query("VACUUM (ANALYZE)");
  } finally {
    await db.end();
  }
}

// `timestamp` columns hold UTC (as Prisma writes them); read them as UTC.
const utcTimestamp = (text: string) => new Date(`${text.replace(" ", "T")}Z`);

const vi = translator("vi");

/** The least any export must do: read the rows with their lot and product, and write CSV. */
async function floorCsv(from: Date | null, to: Date | null): Promise<{ rows: number; bytes: number }> {
  const db = new pg.Client({
    connectionString: url,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === 1114 ? utcTimestamp : (pg.types.getTypeParser(oid, format) as (text: string) => unknown)) as typeof pg.types.getTypeParser,
    },
  });
  await db.connect();
  const cell = (v: unknown) => {
    const s =
      v === null || v === undefined
        ? ""
        : typeof v === "string"
          ? v
          : typeof v === "number" || typeof v === "boolean"
            ? String(v)
            : JSON.stringify(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  try {
    const params: string[] = [];
    if (from) params.push(ts(from.getTime()));
    if (to) params.push(ts(to.getTime()));
    const { rows } = await db.query<{
      lotCode: string;
      name: string;
      gtin: string | null;
      kind: string;
      occurredAt: Date;
      place: string | null;
      data: string;
      producer: string;
      id: string;
      correctsId: string | null;
    }>(
      `SELECT b."lotCode", p."name", p."gtin", e."kind", e."occurredAt", e."place", e."data", pr."name" AS "producer", e."id", e."correctsId"
       FROM "TraceEvent" e JOIN "Batch" b ON b."id" = e."batchId" JOIN "Product" p ON p."id" = b."productId" JOIN "Producer" pr ON pr."id" = p."producerId"
       WHERE pr."provinceCode" = '19' ${from ? `AND e."occurredAt" >= $1::timestamp` : ""} ${to ? `AND e."occurredAt" < $${params.length}::timestamp` : ""}
       ORDER BY e."occurredAt", e."id"`,
      params,
    );
    let bytes = 0;
    for (const r of rows) {
      const kde = JSON.parse(r.data) as Record<string, unknown>;
      bytes += Buffer.byteLength(
        [
          r.lotCode,
          r.name,
          r.gtin,
          r.kind,
          vi(`event.kind.${r.kind}`),
          toVnIso(r.occurredAt),
          r.place,
          kde.quantity,
          kde.unit,
          kde.inputName,
          kde.activeIngredient,
          kde.dose,
          kde.phiDays,
          kde.documentNumber,
          r.producer,
          "Thái Nguyên",
          r.id,
          r.correctsId,
        ]
          .map(cell)
          .join(",") + "\r\n",
      );
    }
    return { rows: rows.length, bytes };
  } finally {
    await db.end();
  }
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; peakMb: number; value: T }> {
  globalThis.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, peakMb: (peak - base) / 1e6, value };
}

let ok = false;
try {
  log(
    `seeding ${EVENTS.toLocaleString("en")} events in province 19 (+${(NOISE_BATCHES * EVENTS_PER_BATCH).toLocaleString("en")} elsewhere) in ${process.env.BENCH_DATABASE_URL ? "BENCH_DATABASE_URL" : dataDir}`,
  );
  const t0 = Date.now();
  await seed();
  log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const { provinceEventsCsv } = await import("../../app/domain/inspection/exports.server");
  const { prisma } = await import("../../app/db.server");
  const exportCsv = async (from: Date | null, to: Date | null) => {
    const reader = provinceEventsCsv("19", from, to).getReader();
    let bytes = 0;
    let lines = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (const b of value) if (b === 10) lines++;
    }
    return { rows: lines - 1, bytes };
  };

  // A tenth of the span, for the memory comparison.
  const from = new Date(START + 100 * DAY);
  const to = new Date(START + 170 * DAY);
  await exportCsv(from, to); // warm-up (Prisma, JIT, the server's caches)
  await floorCsv(null, null);

  const floor = await timed(() => floorCsv(null, null));
  const full = await timed(() => exportCsv(null, null));
  const slice = await timed(() => exportCsv(from, to));
  const floorSlice = await floorCsv(from, to);
  if (full.value.rows !== floor.value.rows || full.value.rows !== EVENTS)
    throw new Error(`row count: export ${full.value.rows}, floor ${floor.value.rows}, expected ${EVENTS}`);
  if (slice.value.rows !== floorSlice.rows) throw new Error(`date range row count: export ${slice.value.rows}, floor ${floorSlice.rows}`);

  const ratio = full.ms / floor.ms;
  log(
    `floor (one SQL join → CSV): ${floor.value.rows.toLocaleString("en")} rows in ${floor.ms.toFixed(0)} ms; peak RSS growth ${floor.peakMb.toFixed(0)} MB`,
  );
  log(
    `export: ${full.value.rows.toLocaleString("en")} rows, ${(full.value.bytes / 1e6).toFixed(1)} MB in ${full.ms.toFixed(0)} ms → ${ratio.toFixed(2)}× the floor; peak RSS growth ${full.peakMb.toFixed(0)} MB`,
  );
  log(
    `export of a date range: ${slice.value.rows.toLocaleString("en")} rows in ${slice.ms.toFixed(0)} ms; peak RSS growth ${slice.peakMb.toFixed(0)} MB`,
  );
  ok = full.ms <= TARGET_MS;
  console.log(
    `${ok ? "PASS" : "OVER TARGET"}: ${EVENTS.toLocaleString("en")} events in ${(full.ms / 1000).toFixed(2)} s (target ≤ ${TARGET_MS / 1000} s), ${ratio.toFixed(2)}× floor, memory +${full.peakMb.toFixed(0)} MB for all vs +${slice.peakMb.toFixed(0)} MB for ${slice.value.rows.toLocaleString("en")}`,
  );
  await prisma.$disconnect();
} finally {
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
