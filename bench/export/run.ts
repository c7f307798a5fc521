// bench/export: the province trace-event CSV (FSMA 204 style) for 100,000 events.
// Seeds a synthetic database (10,000 batches × 10 events in one province, plus
// 20,000 events elsewhere that must be left out), then streams the export the way
// /inspector/events.csv does, and in the same run the floor: the same rows read
// straight from SQLite with one join and written as CSV. Reports the time (target
// ≤ 5 s), the ratio to the floor, and peak memory growth for 100,000 events against
// 10,000 (a date range) — streamed means the two stay close.
//   npm run bench:export          (BENCH_EVENTS=100000 by default)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import Database from "better-sqlite3";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const EVENTS_PER_BATCH = 10;
const BATCHES = Math.ceil(EVENTS / EVENTS_PER_BATCH);
const NOISE_BATCHES = Math.ceil(BATCHES / 5);
const TARGET_MS = 5_000;
const DAY = 86_400_000;
const root = path.resolve(import.meta.dirname, "../..");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-bench-export-"));
const dbFile = path.join(dataDir, "bench.db");
process.env.DATA_DIR = dataDir;
process.env.DATABASE_URL = `file:${dbFile}`;
const log = (m: string) => console.log(`[bench/export] ${m}`);
const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const START = Date.parse("2025-01-01T00:00:00Z");
const SPAN_DAYS = 700;

function seed() {
  const r = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], { cwd: root, env: process.env, stdio: "ignore" });
  if (r.status !== 0) throw new Error("migrate deploy failed");
  const db = new Database(dbFile);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const now = iso(Date.now());
  db.prepare(`INSERT INTO User (id, name, passwordHash, locale, createdAt, updatedAt) VALUES ('u', 'Bench', 'x', 'vi', ?, ?)`).run(now, now);
  const insProducer = db.prepare(`INSERT INTO Producer (id, type, name, street, wardCode, provinceCode, addressDataVersion, status, createdAt, updatedAt) VALUES (?, 'COOPERATIVE', ?, 'Thôn 1', '05503', ?, '1.1', 'APPROVED', ?, ?)`);
  const insProduct = db.prepare(`INSERT INTO Product (id, producerId, name, ocopGroup, unit, priceVnd, description, gtin, createdAt, updatedAt) VALUES (?, ?, ?, 1, 'kg', 100000, '', ?, ?, ?)`);
  const insBatch = db.prepare(`INSERT INTO Batch (id, productId, lotCode, producedAt, quantity, stock, status, createdAt, updatedAt) VALUES (?, ?, ?, ?, 1000, 1000, 'ACTIVE', ?, ?)`);
  const insEvent = db.prepare(`INSERT INTO TraceEvent (id, batchId, kind, occurredAt, place, data, phiFlag, recordedById, createdAt) VALUES (?, ?, ?, ?, ?, ?, 0, 'u', ?)`);
  const kinds = ["PLANTING", "INPUT_APPLICATION", "HARVESTING", "PROCESSING", "PACKING", "STORING", "SHIPPING", "RECEIVING", "STORING", "SHIPPING"];
  db.transaction(() => {
    insProducer.run("p19", "HTX Chè \"Tân Cương\", xóm 1", "19", now, now);
    insProducer.run("p01", "HTX Hà Nội", "01", now, now);
    for (let i = 0; i < 50; i++) insProduct.run(`pd${i}`, "p19", `Chè búp loại ${i}`, `0893${String(i).padStart(10, "0")}`, now, now);
    insProduct.run("pdx", "p01", "Gốm Bát Tràng", null, now, now);
    const batch = (b: number, productId: string) => {
      const produced = START + (b % SPAN_DAYS) * DAY;
      insBatch.run(`b${b}`, productId, `LOT-${b}`, iso(produced), iso(produced), iso(produced));
      for (let e = 0; e < EVENTS_PER_BATCH; e++) {
        const at = iso(produced + e * 3_600_000);
        insEvent.run(`e${b}_${e}`, `b${b}`, kinds[e]!, at, e % 3 === 0 ? "Đồi chè, xóm Hồng Thái" : null, JSON.stringify({ quantity: 100 + e, unit: "kg", documentNumber: `PX-${b}-${e}` }), at);
      }
    };
    for (let b = 0; b < BATCHES; b++) batch(b, `pd${b % 50}`);
    for (let b = BATCHES; b < BATCHES + NOISE_BATCHES; b++) batch(b, "pdx");
  })();
  db.close();
}

/** The least any export must do: read the rows with their lot and product, and write CSV. */
function floorCsv(from: string | null, to: string | null): { rows: number; bytes: number } {
  const db = new Database(dbFile, { readonly: true });
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = db
    .prepare(
      `SELECT b."lotCode", p."name", p."gtin", e."kind", e."occurredAt", e."place", e."data", pr."name" AS "producer", e."id", e."correctsId"
       FROM "TraceEvent" e JOIN "Batch" b ON b."id" = e."batchId" JOIN "Product" p ON p."id" = b."productId" JOIN "Producer" pr ON pr."id" = p."producerId"
       WHERE pr."provinceCode" = '19' ${from ? `AND e."occurredAt" >= '${from}'` : ""} ${to ? `AND e."occurredAt" < '${to}'` : ""}
       ORDER BY e."occurredAt", e."id"`,
    )
    .iterate() as IterableIterator<Record<string, string | null>>;
  let n = 0;
  let bytes = 0;
  for (const r of rows) {
    const kde = JSON.parse(r.data!) as Record<string, unknown>;
    bytes += Buffer.byteLength([r.lotCode, r.name, r.gtin, r.kind, r.occurredAt, r.place, kde.quantity, kde.unit, kde.documentNumber, r.producer, "Thái Nguyên", r.id, r.correctsId].map(cell).join(",") + "\r\n");
    n++;
  }
  db.close();
  return { rows: n, bytes };
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

log(`seeding ${EVENTS.toLocaleString("en")} events in province 19 (+${(NOISE_BATCHES * EVENTS_PER_BATCH).toLocaleString("en")} elsewhere) in ${dataDir}`);
const t0 = Date.now();
seed();
log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const { provinceEventsCsv } = await import("../../app/domain/inspection/exports.server");
async function exportCsv(from: Date | null, to: Date | null) {
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
}

// A tenth of the span, for the memory comparison.
const from = new Date(START + 100 * DAY);
const to = new Date(START + 170 * DAY);
await exportCsv(from, to); // warm-up (Prisma engine, JIT)
floorCsv(null, null);

const floor = await timed(() => floorCsv(null, null));
const full = await timed(() => exportCsv(null, null));
const slice = await timed(() => exportCsv(from, to));
if (full.value.rows !== floor.value.rows || full.value.rows !== EVENTS) throw new Error(`row count: export ${full.value.rows}, floor ${floor.value.rows}, expected ${EVENTS}`);

const ratio = full.ms / floor.ms;
log(`floor (one SQL join → CSV): ${floor.value.rows.toLocaleString("en")} rows in ${floor.ms.toFixed(0)} ms`);
log(`export: ${full.value.rows.toLocaleString("en")} rows, ${(full.value.bytes / 1e6).toFixed(1)} MB in ${full.ms.toFixed(0)} ms → ${ratio.toFixed(2)}× the floor; peak RSS growth ${full.peakMb.toFixed(0)} MB`);
log(`export of a date range: ${slice.value.rows.toLocaleString("en")} rows in ${slice.ms.toFixed(0)} ms; peak RSS growth ${slice.peakMb.toFixed(0)} MB`);
const ok = full.ms <= TARGET_MS;
console.log(`${ok ? "PASS" : "OVER TARGET"}: ${EVENTS.toLocaleString("en")} events in ${(full.ms / 1000).toFixed(2)} s (target ≤ ${TARGET_MS / 1000} s), ${ratio.toFixed(2)}× floor, memory +${full.peakMb.toFixed(0)} MB for all vs +${slice.peakMb.toFixed(0)} MB for ${slice.value.rows.toLocaleString("en")}`);
fs.rmSync(dataDir, { recursive: true, force: true });
process.exitCode = ok ? 0 : 1;
