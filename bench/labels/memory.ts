// bench/labels/memory: peak memory of making one big label sheet and storing it, two ways,
// each in a fresh process: "buffer" (the whole PDF built in memory, then one StoredFile row:
// how label jobs worked before) and "stream" (pdfkit piped into 1 MiB StoredFileChunk rows,
// how they work now). Reports peak RSS and heap above the process's baseline.
//   npx tsx bench/labels/memory.ts            (BENCH_LABELS=5000, the cap of one job)
// The database is an embedded PostgreSQL in a temporary folder, or BENCH_DATABASE_URL.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const LABELS = Number(process.env.BENCH_LABELS ?? 5000);
const mode = process.argv[2];

if (mode === "buffer" || mode === "stream") {
  const { pipeline } = await import("node:stream/promises");
  const { Readable } = await import("node:stream");
  const { renderLabelSheet, writeLabelSheet } = await import("../../app/domain/trace/label-sheet.server");
  const { putFile, writeFileStream } = await import("../../app/domain/files/storage.server");
  const { generateTraceCode } = await import("../../app/domain/trace/code.server");
  const { prisma } = await import("../../app/db.server");
  const labels = Array.from({ length: LABELS }, (_, i) => ({
    url: `https://ocop-trace.vn/t/${generateTraceCode()}`,
    productName: "Nước mắm Phú Quốc 40 độ đạm",
    producerName: "Công ty TNHH Nước mắm Khải Hoàn",
    expiresAt: new Date("2028-10-23"),
    lotCode: "NM-20261023-1",
    serial: String(i + 1).padStart(6, "0"),
  }));
  const text = { lot: "Lô", serial: "Số", callToScan: "Quét để truy xuất nguồn gốc", pin: "Mã PIN", expiry: "HSD" };
  // Warm up (fonts, JIT, the database connection) so the baseline holds them.
  await renderLabelSheet(labels.slice(0, 30), "A4_65", text);
  await pipeline(Readable.from([Buffer.from("warm")]), writeFileStream("bench/warm.pdf", "application/pdf"));
  global.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed + base.external + base.arrayBuffers;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed + m.external + m.arrayBuffers);
  }, 5);
  const t0 = performance.now();
  if (mode === "buffer") {
    const pdf = await renderLabelSheet(labels, "A4_65", text);
    await putFile("bench/labels.pdf", "application/pdf", pdf);
  } else {
    await writeLabelSheet(labels, "A4_65", text, writeFileStream("bench/labels.pdf", "application/pdf"));
  }
  const ms = performance.now() - t0;
  clearInterval(sample);
  const { size } = await prisma.storedFile.findUniqueOrThrow({ where: { key: "bench/labels.pdf" }, select: { size: true } });
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  console.log(
    `${mode.padEnd(6)} ${LABELS} labels (baseline heap ${mb(base.heapUsed)} MB), PDF ${mb(size)} MB in ${ms.toFixed(0)} ms: peak RSS +${mb(peakRss - base.rss)} MB (${mb(peakRss)} MB), peak heap+external +${mb(peakHeap - base.heapUsed - base.external - base.arrayBuffers)} MB`,
  );
  await prisma.$disconnect();
  process.exit(0);
}

const { startEmbeddedPostgres } = await import("../../scripts/postgres.mjs");
const { prepareDatabase } = await import("../../scripts/database.mjs");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-bench-labels-"));
const server = process.env.BENCH_DATABASE_URL
  ? { url: process.env.BENCH_DATABASE_URL, stop: async () => {} }
  : await startEmbeddedPostgres({ dir: path.join(dataDir, "pg"), database: "bench_labels" });
try {
  const env = { ...process.env, DATABASE_URL: server.url, DATA_DIR: dataDir };
  await prepareDatabase(env, () => {});
  const self = fileURLToPath(import.meta.url);
  for (const m of ["buffer", "stream"]) {
    const run = spawnSync(
      process.execPath,
      ["--expose-gc", ...(process.env.BENCH_NODE_OPTIONS ?? "").split(" ").filter(Boolean), "--import", "tsx", self, m],
      { env, stdio: "inherit" },
    );
    if (run.status !== 0) process.exitCode = 1;
  }
} finally {
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
