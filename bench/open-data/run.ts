// bench/open-data: the daily open-data snapshot over 2,000,000 trace events (target ≤ 60 s,
// memory flat). Seeds a synthetic database with COPY (200,000 lots × 10 events of 16,000
// products from 2,000 producers in 34 provinces, 2 scan rows a lot, an inspection every 10th
// lot, a recall every 1,000th), then builds one day's seven gzip CSVs and datapackage.json in
// a child process that measures its RSS floor (modules loaded, connections open) and its peak;
// then builds the next day again with the JS heap capped at 64 MB, which only a build whose
// memory does not grow with the rows can finish.
//   npm run bench:open-data       (BENCH_EVENTS=2000000 by default)
// The database is an embedded PostgreSQL in a temporary folder, or BENCH_DATABASE_URL (an
// empty database: this bench fills it and leaves it filled).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { startEmbeddedPostgres } from "../../scripts/postgres.mjs";
import { copy, Rows, ts } from "../pg-copy";
import { copyProducers, copyProducts, copyUser, openEmptyDatabase, KINDS_RESHIPPED, times } from "../synthetic";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000_000);
const EVENTS_PER_LOT = 10;
const LOTS = Math.ceil(EVENTS / EVENTS_PER_LOT);
const PRODUCTS = Math.max(1, Math.round(LOTS / 12.5));
const PRODUCERS = Math.max(1, Math.round(LOTS / 100));
const CHUNK_LOTS = 10_000;
const TARGET_MS = 60_000;
/** A JS heap far smaller than what is written (at 2M events the trace-events CSV alone is hundreds of MB before gzip). */
const HEAP_CAP_MB = 64;
const DAY = 86_400_000;
const NOW = Date.parse("2026-12-06T12:00:00Z");
const log = (m: string) => console.log(`[bench/open-data] ${m}`);
const root = path.resolve(import.meta.dirname, "../..");

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-bench-open-data-"));
const server = process.env.BENCH_DATABASE_URL
  ? { url: process.env.BENCH_DATABASE_URL, stop: async () => {} }
  : await startEmbeddedPostgres({ dir: path.join(dataDir, "pg"), database: "bench_open_data" });
const url = server.url;

async function seed() {
  const db = await openEmptyDatabase(url, log);
  try {
    await db.query("SET synchronous_commit = off");
    const now = ts(NOW);
    await db.query("BEGIN");
    await copyUser(db, { id: "u", phone: "0912000999" }, now);
    await copyProducers(
      db,
      times(PRODUCERS, (p) => ({
        id: `pr${p}`,
        type: "HOUSEHOLD",
        name: `Hộ sản xuất ${p}`,
        provinceCode: String(1 + (p % 34)).padStart(2, "0"),
      })),
      now,
    );
    await copyProducts(
      db,
      times(PRODUCTS, (p) => ({
        id: `pd${p}`,
        producerId: `pr${p % PRODUCERS}`,
        name: `Sản phẩm "${p}", loại 1`,
        ocopGroup: 1 + (p % 6),
        description: "Mô tả\nhai dòng",
      })),
      now,
    );
    await db.query("COMMIT");
    for (let start = 0; start < LOTS; start += CHUNK_LOTS) {
      const end = Math.min(LOTS, start + CHUNK_LOTS);
      const lots = new Rows();
      const codes = new Rows();
      const events = new Rows();
      const scans = new Rows();
      const inspections = new Rows();
      const recalls = new Rows();
      for (let b = start; b < end; b++) {
        const produced = NOW - (b % 700) * DAY;
        lots.add(
          `b${b}`,
          `pd${b % PRODUCTS}`,
          `LOT-${b}`,
          ts(produced),
          1000,
          1000,
          b % 1000 === 0 ? "RECALLED" : "ACTIVE",
          ts(produced),
          ts(produced),
        );
        codes.add(`c${b}`, `C${String(b).padStart(9, "0")}`, `b${b}`, "BATCH", "ACTIVE", "u", ts(produced));
        for (let e = 0; e < EVENTS_PER_LOT; e++) {
          const at = ts(produced - (EVENTS_PER_LOT - e) * 3 * DAY);
          const data = { quantity: 100 + e, unit: "kg", packageType: "Hộp", storage: "Kho", note: "ghi chú riêng" };
          events.add(
            `e${b}_${e}`,
            `b${b}`,
            KINDS_RESHIPPED[e]!,
            at,
            e % 3 === 0 ? "Đồi chè, xóm 1" : null,
            JSON.stringify(data),
            false,
            "u",
            at,
          );
        }
        for (let s = 0; s < 2; s++) scans.add(`s${b}_${s}`, `c${b}`, ts(NOW - ((b + s) % 60) * DAY - s * 3_600_000), 1 + (b % 4), "OK");
        if (b % 10 === 0) inspections.add(`i${b}`, `b${b}`, "u", "PASS", "c2lnbmF0dXJl", "key-1", ts(produced + DAY));
        if (b % 1000 === 0) recalls.add(`r${b}`, `b${b}`, "Nhiễm khuẩn", 2, "Ngừng dùng", "OPEN", "u", ts(produced + 2 * DAY));
      }
      await db.query("BEGIN");
      await copy(db, "Batch", ["id", "productId", "lotCode", "producedAt", "quantity", "stock", "status", "createdAt", "updatedAt"], lots);
      await copy(db, "TraceCode", ["id", "code", "batchId", "kind", "status", "issuedById", "issuedAt"], codes);
      await copy(
        db,
        "TraceEvent",
        ["id", "batchId", "kind", "occurredAt", "place", "data", "phiFlag", "recordedById", "createdAt"],
        events,
      );
      await copy(db, "Scan", ["id", "codeId", "scannedAt", "repeats", "outcome"], scans);
      await copy(db, "Inspection", ["id", "batchId", "inspectorId", "result", "signature", "signingKeyId", "inspectedAt"], inspections);
      await copy(db, "Recall", ["id", "batchId", "reason", "severity", "instructions", "status", "createdById", "createdAt"], recalls);
      await db.query("COMMIT");
      if ((start / CHUNK_LOTS) % 5 === 0 || end === LOTS)
        log(`seeding… ${(end * EVENTS_PER_LOT).toLocaleString("en")} / ${EVENTS.toLocaleString("en")} events`);
    }
    await db.query("VACUUM (ANALYZE)");
  } finally {
    await db.end();
  }
}

type Built = { built: boolean; ms: number; floor: number; peak: number; peakHeap: number; resources: { name: string; bytes: number }[] };

/** One day's snapshot built in a process of its own (optionally with its JS heap capped); its numbers. */
function build(day: string, heapCapMb?: number): Built {
  const flags = ["--expose-gc", ...(heapCapMb ? [`--max-old-space-size=${heapCapMb}`] : [])];
  const child = spawnSync(path.join(root, "node_modules/.bin/tsx"), [...flags, path.join(root, "bench/open-data/build.ts")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, DATA_DIR: dataDir, NODE_ENV: "production", BENCH_DAY: day },
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`the build of ${day} failed (exit ${child.status}): ${child.stdout}`);
  const r = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Built;
  if (!r.built) throw new Error(`the snapshot of ${day} was not built`);
  return r;
}

let ok = false;
try {
  log(
    `seeding ${EVENTS.toLocaleString("en")} trace events (${LOTS.toLocaleString("en")} lots) in ${process.env.BENCH_DATABASE_URL ? "BENCH_DATABASE_URL" : dataDir}`,
  );
  const t0 = Date.now();
  await seed();
  log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const mb = (n: number) => (n / 1e6).toFixed(0);
  const free = build("2026-12-07");
  for (const f of free.resources) log(`  ${f.name}: ${(f.bytes / 1e6).toFixed(2)} MB gzip`);
  log(
    `RSS floor (modules loaded, connections open) ${mb(free.floor)} MB; peak while building ${mb(free.peak)} MB (+${mb(free.peak - free.floor)} MB); peak JS heap ${mb(free.peakHeap)} MB`,
  );
  // Flat memory, shown rather than inferred from RSS (V8 lets its heap grow while memory is
  // free): the next day's build, same rows, with the JS heap capped far below the data's size.
  const capped = build("2026-12-08", HEAP_CAP_MB);
  log(
    `the same build with the JS heap capped at ${HEAP_CAP_MB} MB: ${(capped.ms / 1000).toFixed(1)} s (${(capped.ms / free.ms).toFixed(2)}× the uncapped time), peak RSS floor + ${mb(capped.peak - capped.floor)} MB, peak JS heap ${mb(capped.peakHeap)} MB`,
  );
  const dataMb = free.resources.reduce((n, f) => n + f.bytes, 0) / 1e6;
  ok = free.ms <= TARGET_MS;
  console.log(
    `${ok ? "PASS" : "OVER TARGET"}: snapshot of ${EVENTS.toLocaleString("en")} trace events built in ${(free.ms / 1000).toFixed(1)} s (target ≤ ${TARGET_MS / 1000} s), peak RSS ${mb(free.peak)} MB = floor ${mb(free.floor)} MB + ${mb(free.peak - free.floor)} MB; memory flat: it also builds with a ${HEAP_CAP_MB} MB JS heap (${dataMb.toFixed(0)} MB of gzip written)`,
  );
} finally {
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
