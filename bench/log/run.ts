// bench/log: the public log (app/domain/log) at scale, on an embedded PostgreSQL in a
// temporary folder. Every number is a ratio against a floor measured in the same run:
//  1. 1,000,000 leaves (TraceEvent leaves of synthetic events, one Batch leaf per batch):
//     a. the write path — N writers (own batches each) in short transactions calling
//        appendLeaf while the sequencer loop runs (LOG_SEQUENCE_MS=1000): transactions/s
//        against the same writers inserting the same rows into a plain table, and the
//        checkpoint delay (a writer's commit → the first visible checkpoint covering it);
//     b. the rest COPYed in as pending leaves and sequenced by sequenceLog() runs of
//        10,000: leaves/s against the COPY's rows/s;
//     then the final root against one computed here, the stored tiles against tiles built
//     here byte for byte, and verifyWholeLog() timed.
//  2. bytes stored per leaf (LogLeaf, LogTile, LogCheckpoint).
//  3. a 10,000,000-leaf tree built here straight into LogTile of a fresh database: p50/p99
//     of inclusionProof and consistencyProof against a single-row primary-key SELECT.
// Results: a table on stdout and bench/log/results.json.
//   npm run bench:log                                    (~20 min on 2 cores)
//   npm run bench:log -- --leaves 100000 --proof-leaves 1000000   (quick run)
//   options: --writers 8 --write-sample 50000 --proofs 10000
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Prisma, PrismaClient, TraceEvent } from "@prisma/client";
import { startEmbeddedPostgres, ensureDatabase } from "../../scripts/postgres.mjs";
import { prepareDatabase } from "../../scripts/database.mjs";
import { connect, copy, Rows, ts } from "../pg-copy";
import { copyProducers, copyProducts, copyUser, KINDS_TWO_INPUTS, times } from "../synthetic";
import { CompactRange, consistencyPlan, inclusionPlan, verifyConsistency, verifyInclusion } from "../../app/domain/log/merkle";
import { checkpointBody, signNote } from "../../app/domain/log/note";
import { buildLevels, leafHashInto, rootOf, tileCount, tilesOf } from "./tiles";

const { values: args } = parseArgs({
  options: {
    leaves: { type: "string", default: "1000000" },
    "proof-leaves": { type: "string", default: "10000000" },
    writers: { type: "string", default: "8" },
    "write-sample": { type: "string", default: "50000" },
    proofs: { type: "string", default: "10000" },
  },
});
const whole = (name: string, v: string | undefined, min: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
  return n;
};
const LEAVES = whole("leaves", args.leaves, 1000);
const PROOF_LEAVES = whole("proof-leaves", args["proof-leaves"], 2);
const WRITERS = whole("writers", args.writers, 1);
const PROOFS = whole("proofs", args.proofs, 10);
const SEQUENCE_MS = 1000;
const EVENTS_PER_BATCH = 9; // + the batch's own leaf: 10 leaves a batch
/** Writer leaves: half of the log at most, so part b always has the other half. */
const WRITE_SAMPLE = Math.min(
  whole("write-sample", args["write-sample"], 2 * WRITERS),
  Math.floor(((LEAVES / 2) * EVENTS_PER_BATCH) / (EVENTS_PER_BATCH + 1)),
);
const WRITER_BATCHES = Math.ceil(WRITE_SAMPLE / EVENTS_PER_BATCH);
const BULK_LEAVES = LEAVES - WRITER_BATCHES - WRITE_SAMPLE;
const BULK_BATCHES = Math.ceil(BULK_LEAVES / (EVENTS_PER_BATCH + 1));
const BATCHES = WRITER_BATCHES + BULK_BATCHES;
const PRODUCTS = Math.max(1, Math.round(BATCHES / 12.5));
const CHUNK = 50_000;
const USER_ID = "bench-user";
const ORIGIN = "bench.ocop-trace.local/log";
const DAY = 86_400_000;

const root = path.resolve(import.meta.dirname, "../..");
const log = (m: string) => console.log(`[bench/log] ${m}`);
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

// ── numbers ─────────────────────────────────────────────────────────────────
const sorted = (xs: number[]) => Float64Array.from(xs).sort();
const pct = (s: Float64Array, p: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]! : NaN);
type Dist = { n: number; p50: number; p99: number; max: number; min: number };
const dist = (xs: number[]): Dist => {
  const s = sorted(xs);
  return { n: s.length, p50: pct(s, 0.5), p99: pct(s, 0.99), max: s[s.length - 1] ?? NaN, min: s[0] ?? NaN };
};
const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : String(n);
const ms = (n: number) => `${fmt(n, n < 10 ? 2 : n < 100 ? 1 : 0)} ms`;

type Row = { part: string; measure: string; value: string; floor: string; ratio: number | null; note?: string };
const table: Row[] = [];
const results: Record<string, unknown> = {};
const row = (r: Row) => {
  table.push(r);
  log(`${r.measure}: ${r.value}${r.floor ? ` | floor ${r.floor}` : ""}${r.ratio !== null ? ` | ratio ${fmt(r.ratio, 2)}` : ""}`);
};

// ── the synthetic records (deterministic: the rows and their leaves are made from the same values) ──
const now = Date.UTC(2026, 10, 24, 8, 0, 0);
const batchId = (b: number) => `b${b}`;
const productOf = (b: number) => `pd${b % PRODUCTS}`;
const producedAt = (b: number) => now - (b % 700) * DAY;
const AREAS = ["Ấp Phú Hòa, xã Đông Hòa, tỉnh Đắk Lắk", "Thôn 3, xã Tân Phú, tỉnh Đồng Nai", "Xóm Bãi, xã Cẩm Thủy, tỉnh Thanh Hóa"];
const batchRow = (b: number) => ({
  id: batchId(b),
  productId: productOf(b),
  lotCode: `LOT-${b}`,
  producedAt: new Date(producedAt(b)),
  expiresAt: null,
  quantity: 1000,
  productionArea: AREAS[b % AREAS.length]!,
  createdById: null,
  createdAt: new Date(producedAt(b)),
});
const eventRow = (b: number, e: number): TraceEvent => {
  const at = producedAt(b) - (EVENTS_PER_BATCH - e) * 3 * DAY;
  const data = { quantity: 100 + e * 7, unit: "kg", note: "Thu hoạch đợt 2, trời nắng, độ ẩm 62%" };
  return {
    id: `e${b}_${e}`,
    batchId: batchId(b),
    kind: KINDS_TWO_INPUTS[e % KINDS_TWO_INPUTS.length]!,
    occurredAt: new Date(at),
    place: AREAS[(b + e) % AREAS.length]!,
    actorName: "Nguyễn Văn An",
    data: JSON.stringify(data),
    correctsId: null,
    phiFlag: false,
    recordedById: USER_ID,
    createdAt: new Date(at + 3_600_000),
    clientKey: null,
    capturedAt: null,
  };
};
/** Part a: the writers' events, batch after batch; batch b belongs to writer b % WRITERS. */
const writerEvents = (): { b: number; e: number }[] => {
  const list: { b: number; e: number }[] = [];
  for (let b = 0; list.length < WRITE_SAMPLE; b++)
    for (let e = 0; e < EVENTS_PER_BATCH && list.length < WRITE_SAMPLE; e++) list.push({ b, e });
  return list;
};
/** Part b: batch leaf then its events, for the batches after the writers', up to BULK_LEAVES leaves. */
function* bulkLeafSpecs(): Generator<{ b: number; e: number | null }> {
  let n = 0;
  for (let b = WRITER_BATCHES; n < BULK_LEAVES; b++) {
    yield { b, e: null };
    n += 1;
    for (let e = 0; e < EVENTS_PER_BATCH && n < BULK_LEAVES; e++, n++) yield { b, e };
  }
}
const bulkEventCount = () => {
  let n = 0;
  for (const s of bulkLeafSpecs()) if (s.e !== null) n += 1;
  return n;
};

// ── the database ────────────────────────────────────────────────────────────
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-bench-log-"));
const pgLog = (...lines: unknown[]) => void (process.env.PG_LOG && log(`[pg] ${lines.join(" ")}`));
const withDatabase = (u: string, database: string) => Object.assign(new URL(u), { pathname: `/${database}` }).toString();
let server = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), database: "bench_log", log: pgLog });
{
  // Room for a bulk load between checkpoints, and pg_stat_statements to say where the database's
  // time goes (a restart); durability settings stay the server's defaults (fsync on), as the app runs.
  const admin = await connect(withDatabase(server.url, "postgres"));
  await admin.query("ALTER SYSTEM SET max_wal_size = '8GB'");
  await admin.query("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
  await admin.end();
  await server.stop();
  server = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), database: "bench_log", log: pgLog });
}
const url = server.url;
let exitCode = 0;
const cleanups: (() => Promise<unknown>)[] = [];
try {
  await prepareDatabase({ ...process.env, DATABASE_URL: url }, log);
  // The app's modules read these when first used (imported below, after they are set).
  Object.assign(process.env, {
    DATABASE_URL: url,
    DATA_DIR: dir,
    NODE_ENV: "production",
    SESSION_SECRET: "bench",
    SIGNING_KEY_SECRET: "bench-log-signing-secret",
    LOG_ORIGIN: ORIGIN,
    LOG_SEQUENCE_MS: String(SEQUENCE_MS),
    DATABASE_POOL_MAX: String(WRITERS + 2),
  });
  const { prisma } = await import("../../app/db.server");
  cleanups.push(() => prisma.$disconnect());
  const { batchLeaf, traceEventLeaf } = await import("../../app/domain/log/leaves.server");
  // The app's write path: the leaf, the batch's viewVersion bump and its story job.
  const { logFact: appendLeaf } = await import("../../app/domain/trace/logged-facts.server");
  const { sequenceLog, sequenceAll, startLogSequencer, SEQUENCE_BATCH } = await import("../../app/domain/log/sequencer.server");
  const { TileSet } = await import("../../app/domain/log/tiles.server");
  const { inclusionProof, consistencyProof } = await import("../../app/domain/log/published-log.server");
  const { verifyWholeLog } = await import("../../app/domain/log/verify.server");
  const { enqueueStoryRebuild } = await import("../../app/domain/trace/view-version.server");

  const main = await connect(url);
  cleanups.push(() => main.end());
  await main.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  /** The statements that took the database's time since the last call (pg_stat_statements), for the JSON. */
  const statements = async () => {
    const { rows } = await main.query<{ calls: string; ms: number; rows: string; query: string }>(`
      SELECT calls::text, round(total_exec_time::numeric, 1)::float8 AS ms, rows::text, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query
      FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC`);
    await main.query("SELECT pg_stat_statements_reset()");
    const top = rows.filter((r) => !/pg_stat_statements/.test(r.query));
    return {
      totalMs: top.reduce((n, r) => n + r.ms, 0),
      calls: top.reduce((n, r) => n + Number(r.calls), 0),
      top: top.slice(0, 12).map((r) => ({ ...r, calls: Number(r.calls), rows: Number(r.rows) })),
    };
  };
  const { rows: versionRows } = await main.query<{ v: string }>("SHOW server_version");
  results.machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "?",
    memoryGB: Math.round(os.totalmem() / 1e9),
    node: process.version,
    postgres: versionRows[0]!.v,
  };
  results.options = {
    leaves: LEAVES,
    proofLeaves: PROOF_LEAVES,
    writers: WRITERS,
    writeSample: WRITE_SAMPLE,
    proofs: PROOFS,
    sequenceMs: SEQUENCE_MS,
    sequenceBatch: SEQUENCE_BATCH,
  };
  log(
    `${LEAVES.toLocaleString("en")} leaves: ${BATCHES.toLocaleString("en")} batches (${WRITER_BATCHES.toLocaleString("en")} for ${WRITERS} writers), ${WRITE_SAMPLE.toLocaleString("en")} written through appendLeaf, ${BULK_LEAVES.toLocaleString("en")} COPYed and sequenced`,
  );

  // ── setup: the records the leaves stand for (so verifyWholeLog finds every row) ──
  {
    const t0 = performance.now();
    await main.query("BEGIN");
    await copyUser(main, { id: USER_ID }, ts(now));
    await copyProducers(main, [{ id: "pr0", type: "COOPERATIVE", name: "HTX thử tải", provinceCode: "19" }], ts(now));
    await copyProducts(
      main,
      times(PRODUCTS, (p) => ({ id: `pd${p}`, producerId: "pr0", name: `Sản phẩm ${p}`, ocopGroup: 1, description: "Sản phẩm thử tải" })),
      ts(now),
    );
    const batches = new Rows();
    for (let b = 0; b < BATCHES; b++) {
      const r = batchRow(b);
      batches.add(
        r.id,
        r.productId,
        r.lotCode,
        ts(producedAt(b)),
        r.quantity,
        r.quantity,
        r.productionArea,
        "ACTIVE",
        ts(producedAt(b)),
        ts(producedAt(b)),
      );
    }
    await copy(
      main,
      "Batch",
      ["id", "productId", "lotCode", "producedAt", "quantity", "stock", "productionArea", "status", "createdAt", "updatedAt"],
      batches,
    );
    await main.query("COMMIT");
    const eventColumns = ["id", "batchId", "kind", "occurredAt", "place", "actorName", "data", "phiFlag", "recordedById", "createdAt"];
    let events = new Rows();
    const flush = async () => {
      await copy(main, "TraceEvent", eventColumns, events);
      events = new Rows();
    };
    const addEvent = async (b: number, e: number) => {
      const r = eventRow(b, e);
      events.add(
        r.id,
        r.batchId,
        r.kind,
        ts(r.occurredAt.getTime()),
        r.place,
        r.actorName,
        r.data,
        r.phiFlag,
        r.recordedById,
        ts(r.createdAt.getTime()),
      );
      if (events.count >= CHUNK) await flush();
    };
    for (const { b, e } of writerEvents()) await addEvent(b, e);
    for (const s of bulkLeafSpecs()) if (s.e !== null) await addEvent(s.b, s.e);
    await flush();
    // The writers' batches are in the log before their events (as the app writes them).
    const batchLeaves = new Rows();
    for (let b = 0; b < WRITER_BATCHES; b++) {
      const l = batchLeaf(batchRow(b));
      batchLeaves.add(l.type, l.recordId, l.batchId, l.productId, l.leaf);
    }
    await copy(main, "LogLeaf", ["type", "recordId", "batchId", "productId", "leaf"], batchLeaves);
    await sequenceAll();
    await main.query(
      `CREATE TABLE bench_plain_leaf ("id" bigserial PRIMARY KEY, "type" text NOT NULL, "recordId" text NOT NULL, "batchId" text, "productId" text, "leaf" text NOT NULL, "createdAt" timestamp(3) NOT NULL DEFAULT now())`,
    );
    await main.query("VACUUM (ANALYZE)");
    const sample = traceEventLeaf(eventRow(0, 0)).leaf;
    log(
      `setup (${BATCHES.toLocaleString("en")} batches, ${(WRITE_SAMPLE + bulkEventCount()).toLocaleString("en")} events, writers' batch leaves sequenced) in ${((performance.now() - t0) / 1000).toFixed(1)} s; a TraceEvent leaf is ${Buffer.byteLength(sample)} bytes:\n    ${sample}`,
    );
  }

  // ── 1a: the write path, with the sequencer loop running ─────────────────────
  {
    const queues: { b: number; e: number }[][] = Array.from({ length: WRITERS }, () => []);
    for (const ev of writerEvents()) queues[ev.b % WRITERS]!.push(ev);
    const leafQueues = queues.map((q) => q.map(({ b, e }) => traceEventLeaf(eventRow(b, e))));
    type Leaf = (typeof leafQueues)[number][number];
    const commits = new Map<string, number>();
    const writeLog = (leaf: Leaf) => prisma.$transaction((tx) => appendLeaf(tx, leaf));
    const writePlain = (leaf: Leaf) =>
      prisma.$transaction(
        (tx) =>
          tx.$executeRaw`INSERT INTO bench_plain_leaf ("type", "recordId", "batchId", "productId", "leaf") VALUES (${leaf.type}, ${leaf.recordId}, ${leaf.batchId}, ${leaf.productId}, ${leaf.leaf})`,
      );
    const runWriters = async (part: Leaf[][], write: (leaf: Leaf) => Promise<unknown>, record: boolean) => {
      const t0 = performance.now();
      await Promise.all(
        part.map(async (q) => {
          for (const leaf of q) {
            await write(leaf);
            if (record) commits.set(leaf.recordId, performance.now());
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      return { count: part.reduce((n, q) => n + q.length, 0), seconds, rate: part.reduce((n, q) => n + q.length, 0) / seconds };
    };
    // Which checkpoint sizes became visible when, seen from here (as a client polling /log/checkpoint would).
    const poller = await connect(url);
    cleanups.push(() => poller.end());
    const seen: { size: number; t: number }[] = [];
    let polling = true;
    const polled = (async () => {
      while (polling) {
        const { rows } = await poller.query<{ s: string | null }>(`SELECT max("size")::text AS s FROM "LogCheckpoint"`);
        const size = Number(rows[0]?.s ?? 0);
        if (size > (seen.at(-1)?.size ?? 0)) seen.push({ size, t: performance.now() });
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const sequencer = startLogSequencer((m) => log(m));
    const { rows: before } = await main.query<{ n: string }>(`SELECT count(*)::text AS n FROM "LogCheckpoint"`);
    // Warm both paths (JIT, prepared statements, pool), then two interleaved rounds of half the sample each.
    const warm = Math.min(200, Math.floor(WRITE_SAMPLE / 10));
    const warmQueues = leafQueues.map((q) => q.slice(0, Math.ceil(warm / WRITERS)));
    const rest = leafQueues.map((q, w) => q.slice(warmQueues[w]!.length));
    await runWriters(warmQueues, writePlain, false);
    await main.query("TRUNCATE bench_plain_leaf");
    await runWriters(warmQueues, writeLog, false);
    const halves = [rest.map((q) => q.slice(0, Math.floor(q.length / 2))), rest.map((q) => q.slice(Math.floor(q.length / 2)))];
    await statements();
    const plainRuns: Awaited<ReturnType<typeof runWriters>>[] = [];
    const logRuns: Awaited<ReturnType<typeof runWriters>>[] = [];
    for (const half of halves) {
      plainRuns.push(await runWriters(half, writePlain, false));
      logRuns.push(await runWriters(half, writeLog, true));
      log(`write path: plain ${fmt(plainRuns.at(-1)!.rate)} tx/s, appendLeaf ${fmt(logRuns.at(-1)!.rate)} tx/s (${elapsed()})`);
    }
    const writeStatements = await statements();
    // Where the write path's time goes, each step on a copy of LogLeaf (same indexes, so the log does not grow):
    // its insert alone, + the batch's viewVersion bump, + the story job — appendLeaf's three statements.
    await main.query(`CREATE TABLE bench_loglike (LIKE "LogLeaf" INCLUDING ALL)`);
    const insertLike = (tx: Prisma.TransactionClient, leaf: Leaf) =>
      tx.$executeRaw`INSERT INTO bench_loglike ("type", "recordId", "batchId", "productId", "leaf") VALUES (${leaf.type}, ${leaf.recordId}, ${leaf.batchId}, ${leaf.productId}, ${leaf.leaf})`;
    const steps: { name: string; write: (leaf: Leaf) => Promise<unknown> }[] = [
      { name: "insert into a copy of LogLeaf (its 4 indexes)", write: (leaf) => prisma.$transaction((tx) => insertLike(tx, leaf)) },
      {
        name: "+ Batch.viewVersion bump",
        write: (leaf) =>
          prisma.$transaction(async (tx) => {
            await tx.batch.updateMany({ where: { id: leaf.batchId! }, data: { viewVersion: { increment: 1 } } });
            await insertLike(tx, leaf);
          }),
      },
      {
        name: "+ story job (graphile_worker.add_job)",
        write: (leaf) =>
          prisma.$transaction(async (tx) => {
            await tx.batch.updateMany({ where: { id: leaf.batchId! }, data: { viewVersion: { increment: 1 } } });
            await enqueueStoryRebuild(tx, leaf.batchId!);
            await insertLike(tx, leaf);
          }),
      },
    ];
    const breakdownQueues = rest.map((q) => q.slice(0, Math.ceil(Math.min(10_000, WRITE_SAMPLE / 4) / WRITERS)));
    const breakdown: { name: string; rate: number }[] = [];
    for (const step of steps) {
      const r = await runWriters(breakdownQueues, step.write, false);
      breakdown.push({ name: step.name, rate: r.rate });
    }
    // Let the loop sequence the last writes, then stop it.
    const expected = WRITER_BATCHES + WRITE_SAMPLE;
    const deadline = performance.now() + 60_000;
    while ((seen.at(-1)?.size ?? 0) < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await sequencer.stop();
    polling = false;
    await polled;
    if ((seen.at(-1)?.size ?? 0) < expected)
      throw new Error(`the sequencer loop did not reach size ${expected} within 60 s of the last write`);
    const { rows: after } = await main.query<{ n: string }>(`SELECT count(*)::text AS n FROM "LogCheckpoint"`);
    const checkpointsMade = Number(after[0]!.n) - Number(before[0]!.n);

    // The delay per leaf: commit (seen here) → first checkpoint covering its index (seen here);
    // and the same from the database's own timestamps (LogLeaf.createdAt → LogCheckpoint.createdAt).
    const { rows: leaves } = await main.query<{ recordId: string; index: string; created: number; sequenced: number }>(
      `SELECT "recordId", "index", extract(epoch from "createdAt") * 1000 AS created, extract(epoch from "sequencedAt") * 1000 AS sequenced FROM "LogLeaf" WHERE "type" = 'TraceEvent' AND "index" IS NOT NULL`,
    );
    const { rows: cps } = await main.query<{ size: string; created: number }>(
      `SELECT "size", extract(epoch from "createdAt") * 1000 AS created FROM "LogCheckpoint" ORDER BY "size"`,
    );
    const firstCovering = <T extends { size: number }>(list: T[], index: number): T | undefined => {
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid]!.size > index) hi = mid;
        else lo = mid + 1;
      }
      return list[lo];
    };
    const checkpoints = cps.map((c) => ({ size: Number(c.size), created: Number(c.created) }));
    const observed: number[] = [];
    const dbDelay: number[] = [];
    for (const l of leaves) {
      const committed = commits.get(l.recordId);
      if (committed === undefined) continue; // a warm-up leaf
      const index = Number(l.index);
      const visible = firstCovering(seen, index);
      if (visible) observed.push(visible.t - committed);
      const cp = firstCovering(checkpoints, index);
      if (cp) dbDelay.push(cp.created - Number(l.created));
    }
    const plain = plainRuns.reduce((a, b) => (b.rate > a.rate ? b : a));
    const logged = logRuns.reduce((a, b) => (b.rate > a.rate ? b : a));
    const delay = dist(observed);
    const delayDb = dist(dbDelay);
    results.writePath = {
      plainRuns,
      logRuns,
      breakdown,
      statements: writeStatements,
      ratio: logged.rate / plain.rate,
      checkpointsMade,
      leavesPerCheckpoint: (WRITE_SAMPLE + warm) / checkpointsMade,
      delayObservedMs: delay,
      delayDbTimestampsMs: delayDb,
    };
    row({
      part: "1a",
      measure: `write path: ${WRITERS} writers, appendLeaf transactions (sequencer loop running)`,
      value: `${fmt(logged.rate)} tx/s`,
      floor: `${fmt(plain.rate)} tx/s (same rows, plain table)`,
      ratio: logged.rate / plain.rate,
      note: `best of ${logRuns.map((r) => fmt(r.rate)).join(" / ")} vs ${plainRuns.map((r) => fmt(r.rate)).join(" / ")}`,
    });
    for (const step of breakdown)
      row({
        part: "1a",
        measure: `  write path step: ${step.name}`,
        value: `${fmt(step.rate)} tx/s`,
        floor: `${fmt(plain.rate)} tx/s`,
        ratio: step.rate / plain.rate,
      });
    row({
      part: "1a",
      measure: "checkpoint delay p50 (commit → covering checkpoint visible)",
      value: ms(delay.p50),
      floor: `${SEQUENCE_MS} ms (LOG_SEQUENCE_MS)`,
      ratio: delay.p50 / SEQUENCE_MS,
      note: `${delay.n.toLocaleString("en")} leaves, ${checkpointsMade} checkpoints`,
    });
    row({ part: "1a", measure: "checkpoint delay p99", value: ms(delay.p99), floor: `${SEQUENCE_MS} ms`, ratio: delay.p99 / SEQUENCE_MS });
    row({ part: "1a", measure: "checkpoint delay max", value: ms(delay.max), floor: `${SEQUENCE_MS} ms`, ratio: delay.max / SEQUENCE_MS });
    row({
      part: "1a",
      measure: "checkpoint delay p99, DB timestamps (LogLeaf.createdAt → LogCheckpoint.createdAt)",
      value: ms(delayDb.p99),
      floor: `${SEQUENCE_MS} ms`,
      ratio: delayDb.p99 / SEQUENCE_MS,
      note: `p50 ${ms(delayDb.p50)}, max ${ms(delayDb.max)}`,
    });
  }

  // ── 1b: the rest as pending leaves (COPY), then sequenceLog() runs ────────────
  {
    let copySeconds = 0;
    let copied = 0;
    let leafBytes = 0;
    let rows = new Rows();
    const flush = async () => {
      const t0 = performance.now();
      await copy(main, "LogLeaf", ["type", "recordId", "batchId", "productId", "leaf"], rows);
      copySeconds += (performance.now() - t0) / 1000;
      copied += rows.count;
      rows = new Rows();
    };
    for (const s of bulkLeafSpecs()) {
      const l = s.e === null ? batchLeaf(batchRow(s.b)) : traceEventLeaf(eventRow(s.b, s.e));
      leafBytes += Buffer.byteLength(l.leaf);
      rows.add(l.type, l.recordId, l.batchId, l.productId, l.leaf);
      if (rows.count >= CHUNK) await flush();
    }
    await flush();
    const copyRate = copied / copySeconds;
    log(`COPY of ${copied.toLocaleString("en")} pending leaves: ${copySeconds.toFixed(1)} s, ${fmt(copyRate)} rows/s (${elapsed()})`);
    // How the sequencer finds its next leaves, with ~all of them pending and the log already numbered in front.
    const { rows: plan } = await main.query<{ "QUERY PLAN": string }>(
      `EXPLAIN (ANALYZE, BUFFERS) SELECT "id", "leaf", "batchId", "productId" FROM "LogLeaf" WHERE "index" IS NULL ORDER BY "id" LIMIT ${SEQUENCE_BATCH}`,
    );
    const firstPlan = plan.map((p) => p["QUERY PLAN"]);
    // The same query with a partial index on the pending leaves (a proposal, measured and rolled back).
    await main.query("BEGIN");
    await main.query(`CREATE INDEX bench_pending ON "LogLeaf" ("id") WHERE "index" IS NULL`);
    const { rows: plan2 } = await main.query<{ "QUERY PLAN": string }>(
      `EXPLAIN (ANALYZE, BUFFERS) SELECT "id", "leaf", "batchId", "productId" FROM "LogLeaf" WHERE "index" IS NULL ORDER BY "id" LIMIT ${SEQUENCE_BATCH}`,
    );
    await main.query("ROLLBACK");
    const withPartialIndex = plan2.map((p) => p["QUERY PLAN"]);
    const execMs = (lines: string[]) => Number(/Execution Time: ([\d.]+)/.exec(lines.join("\n"))?.[1] ?? NaN);
    await statements();
    const runs: { ms: number; added: number; size: number }[] = [];
    const t0 = performance.now();
    for (;;) {
      const r0 = performance.now();
      const run = await sequenceLog();
      if (!run) break;
      runs.push({ ms: performance.now() - r0, added: run.added, size: run.size });
      if (runs.length % 20 === 0) log(`sequenced ${run.size.toLocaleString("en")} leaves; last run ${ms(runs.at(-1)!.ms)} (${elapsed()})`);
    }
    const seqSeconds = (performance.now() - t0) / 1000;
    const seqStatements = await statements();
    const sequenced = runs.reduce((n, r) => n + r.added, 0);
    const seqRate = sequenced / seqSeconds;
    const fullRuns = runs.filter((r) => r.added === SEQUENCE_BATCH).map((r) => r.ms);
    const perRun = dist(fullRuns);
    const tenth = Math.max(1, Math.floor(fullRuns.length / 10));
    const firstRuns = dist(fullRuns.slice(0, tenth));
    const lastRuns = dist(fullRuns.slice(-tenth));
    results.sequencer = {
      copied,
      copySeconds,
      copyRate,
      leafBytesMean: leafBytes / copied,
      sequenced,
      seqSeconds,
      seqRate,
      runs: runs.length,
      perRunMs: perRun,
      firstTenthMs: firstRuns,
      lastTenthMs: lastRuns,
      statements: seqStatements,
      pendingQueryPlan: firstPlan,
      pendingQueryPlanWithPartialIndex: withPartialIndex,
    };
    row({
      part: "1b",
      measure: "sequencer: leaves/s (sequenceLog() runs of 10,000)",
      value: `${fmt(seqRate)} leaves/s`,
      floor: `${fmt(copyRate)} rows/s (COPY of the same rows)`,
      ratio: seqRate / copyRate,
      note: `${sequenced.toLocaleString("en")} leaves in ${runs.length} runs, ${seqSeconds.toFixed(1)} s`,
    });
    row({
      part: "1b",
      measure: "sequencing run of 10,000 leaves: p50",
      value: ms(perRun.p50),
      floor: `${ms((SEQUENCE_BATCH / copyRate) * 1000)} (COPY of 10,000)`,
      ratio: perRun.p50 / ((SEQUENCE_BATCH / copyRate) * 1000),
    });
    row({
      part: "1b",
      measure: "sequencing run of 10,000 leaves: p99 / max",
      value: `${ms(perRun.p99)} / ${ms(perRun.max)}`,
      floor: ms((SEQUENCE_BATCH / copyRate) * 1000),
      ratio: perRun.p99 / ((SEQUENCE_BATCH / copyRate) * 1000),
    });
    row({
      part: "1b",
      measure: "sequencing run: last tenth ÷ first tenth (p50; the backlog shrinks as it goes)",
      value: `${ms(lastRuns.p50)} vs ${ms(firstRuns.p50)}`,
      floor: "",
      ratio: lastRuns.p50 / firstRuns.p50,
    });
    row({
      part: "1b",
      measure: `sequencer's pending-leaves query, ${copied.toLocaleString("en")} pending: as is vs with a partial index on pending ids`,
      value: ms(execMs(firstPlan)),
      floor: `${ms(execMs(withPartialIndex))} (partial index, rolled back)`,
      ratio: execMs(firstPlan) / execMs(withPartialIndex),
    });
    row({
      part: "1b",
      measure: "sequencing: database time ÷ wall time (pg_stat_statements)",
      value: `${fmt(seqStatements.totalMs / 1000, 1)} s in ${seqStatements.calls.toLocaleString("en")} statements`,
      floor: `${seqSeconds.toFixed(1)} s wall`,
      ratio: seqStatements.totalMs / 1000 / seqSeconds,
      note: seqStatements.top
        .slice(0, 5)
        .map((t) => `${fmt(t.ms / Math.max(1, runs.length), 0)} ms/run ${t.query.slice(0, 70)}`)
        .join(" · "),
    });
  }

  // ── checks: the root, the tiles, the auditor ───────────────────────────────
  let leafHashes: Buffer;
  {
    const { rows: latest } = await main.query<{ size: string; root: string }>(
      `SELECT "size", encode("rootHash", 'hex') AS root FROM "LogCheckpoint" ORDER BY "size" DESC LIMIT 1`,
    );
    const size = Number(latest[0]!.size);
    if (size !== LEAVES) throw new Error(`the log holds ${size} leaves, expected ${LEAVES}`);
    // Every leaf in index order, hashed here (a floor for the auditor: read + hash, nothing else).
    const t0 = performance.now();
    leafHashes = Buffer.alloc(size * 32);
    const range = new CompactRange();
    const step = 50_000;
    for (let at = 0; at < size; at += step) {
      const { rows } = await main.query<{ index: string; leaf: string }>(
        `SELECT "index", "leaf" FROM "LogLeaf" WHERE "index" >= $1 AND "index" < $2 ORDER BY "index"`,
        [at, at + step],
      );
      for (const [k, r] of rows.entries()) {
        if (Number(r.index) !== at + k) throw new Error(`leaf index ${at + k} is missing`);
        leafHashInto(r.leaf, leafHashes, at + k);
        range.append(leafHashes.subarray((at + k) * 32, (at + k + 1) * 32));
      }
    }
    const readSeconds = (performance.now() - t0) / 1000;
    const rootOk = range.root().toString("hex") === latest[0]!.root;
    // The stored tiles against tiles built here from the same leaf hashes, byte for byte.
    const levels = buildLevels(leafHashes);
    const builtRootOk = rootOf(levels, size).equals(range.root());
    const built = tilesOf(levels);
    let compared = 0;
    let differing = 0;
    const tileCursor = async function* () {
      for (let level = 0; ; level++) {
        let after = -1;
        let any = false;
        for (;;) {
          const { rows } = await main.query<{ index: string; hex: string }>(
            `SELECT "index", encode("hashes", 'hex') AS hex FROM "LogTile" WHERE "level" = $1 AND "index" > $2 ORDER BY "index" LIMIT 5000`,
            [level, after],
          );
          if (rows.length === 0) break;
          any = true;
          for (const r of rows) yield { level, index: Number(r.index), hashes: Buffer.from(r.hex, "hex") };
          after = Number(rows.at(-1)!.index);
        }
        if (!any) return;
      }
    };
    for await (const stored of tileCursor()) {
      const mine = built.next();
      compared += 1;
      if (mine.done || mine.value.level !== stored.level || mine.value.index !== stored.index || !mine.value.hashes.equals(stored.hashes))
        differing += 1;
    }
    const leftover = [...built].length;
    const tilesOk = differing === 0 && leftover === 0 && compared === tileCount(levels);
    log(
      `checks: root from CompactRange ${rootOk ? "= checkpoint root" : "≠ CHECKPOINT ROOT"}; bulk builder root ${builtRootOk ? "agrees" : "DISAGREES"}; tiles ${compared.toLocaleString("en")} compared, ${differing} differ, ${leftover} missing from the database: ${tilesOk ? "identical" : "MISMATCH"}`,
    );
    if (!rootOk || !builtRootOk || !tilesOk) exitCode = 1;

    await statements();
    const v0 = performance.now();
    const verdict = await verifyWholeLog();
    const verifySeconds = (performance.now() - v0) / 1000;
    const verifyStatements = await statements();
    if (!verdict.ok) exitCode = 1;
    results.checks = {
      rootOk,
      builtRootOk,
      tilesCompared: compared,
      tilesDiffering: differing,
      tilesMissing: leftover,
      readAndHashSeconds: readSeconds,
      verify: {
        seconds: verifySeconds,
        ok: verdict.ok,
        size: verdict.size,
        checkpoints: verdict.checkpoints,
        batches: verdict.batches,
        problems: verdict.problems.slice(0, 20),
        problemCount: verdict.problems.length,
        statements: verifyStatements,
      },
    };
    row({
      part: "check",
      measure: "final root = root computed here (CompactRange over every leaf); tiles = tiles built here",
      value: rootOk && builtRootOk && tilesOk ? `yes (${compared.toLocaleString("en")} tiles identical)` : "NO",
      floor: "",
      ratio: null,
    });
    row({
      part: "check",
      measure: `verifyWholeLog(): ${verdict.ok ? "ok" : `${verdict.problems.length} problems`}, ${verdict.checkpoints.toLocaleString("en")} checkpoints, ${verdict.batches.toLocaleString("en")} batches`,
      value: `${fmt(size / verifySeconds)} leaves/s (${verifySeconds.toFixed(1)} s)`,
      floor: `${fmt(size / readSeconds)} leaves/s (read + hash + root here)`,
      ratio: readSeconds / verifySeconds,
      note: `${verifyStatements.calls.toLocaleString("en")} statements (${fmt(verifyStatements.calls / Math.max(1, verdict.batches), 1)} per batch), ${fmt(verifyStatements.totalMs / 1000, 1)} s of database time; top: ${verifyStatements.top
        .slice(0, 3)
        .map((t) => `${t.calls.toLocaleString("en")}× ${fmt(t.ms / 1000, 1)} s ${t.query.slice(0, 60)}`)
        .join(" · ")}`,
    });
  }

  // ── 2: bytes stored per leaf ─────────────────────────────────────────────────
  {
    const sizes = async () => {
      const { rows } = await main.query<Record<string, string>>(`SELECT
        pg_total_relation_size('"LogLeaf"')::text AS leaf_total, pg_relation_size('"LogLeaf"')::text AS leaf_heap, pg_indexes_size('"LogLeaf"')::text AS leaf_indexes,
        (pg_total_relation_size('"LogLeaf"') - pg_relation_size('"LogLeaf"') - pg_indexes_size('"LogLeaf"'))::text AS leaf_toast_fsm,
        pg_total_relation_size('"LogTile"')::text AS tile_total, pg_relation_size('"LogTile"')::text AS tile_heap,
        pg_total_relation_size('"LogCheckpoint"')::text AS cp_total,
        (SELECT sum(octet_length("leaf"))::text FROM "LogLeaf") AS leaf_text, (SELECT count(*)::text FROM "LogLeaf") AS leaves,
        (SELECT sum(octet_length("hashes"))::text FROM "LogTile") AS tile_bytes, (SELECT count(*)::text FROM "LogTile") AS tiles,
        (SELECT count(*)::text FROM "LogCheckpoint") AS checkpoints, (SELECT sum(octet_length("body") + octet_length("signature") + 32)::text FROM "LogCheckpoint") AS cp_content`);
      const { rows: indexes } = await main.query<{ name: string; bytes: string }>(
        `SELECT indexrelname AS name, pg_relation_size(indexrelid)::text AS bytes FROM pg_stat_user_indexes WHERE relname = 'LogLeaf' ORDER BY indexrelname`,
      );
      return {
        ...Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)])),
        indexes: Object.fromEntries(indexes.map((i) => [i.name, Number(i.bytes)])),
      } as Record<string, number> & { indexes: Record<string, number> };
    };
    const asLeft = await sizes();
    await main.query(`VACUUM FULL "LogLeaf", "LogTile", "LogCheckpoint"`);
    const compact = await sizes();
    const n = compact.leaves!;
    const tileFloor = (32 * 256) / 255; // a leaf's hash plus its share of the hashes above it
    results.bytes = {
      asLeftBySequencer: asLeft,
      afterVacuumFull: compact,
      perLeaf: {
        leafText: compact.leaf_text! / n,
        logLeaf: compact.leaf_total! / n,
        logLeafAsLeft: asLeft.leaf_total! / n,
        logTile: compact.tile_total! / n,
        logTileAsLeft: asLeft.tile_total! / n,
        logCheckpoint: compact.cp_total! / n,
      },
    };
    const per = (b: number) => `${fmt(b / n, 1)} B/leaf`;
    row({
      part: "2",
      measure: "LogLeaf total per leaf (after VACUUM FULL)",
      value: per(compact.leaf_total!),
      floor: `${per(compact.leaf_text!)} (the leaf text)`,
      ratio: compact.leaf_total! / compact.leaf_text!,
      note: `heap ${per(compact.leaf_heap!)}, indexes ${per(compact.leaf_indexes!)} (${Object.entries(compact.indexes)
        .map(([k, v]) => `${k} ${fmt(v / n, 1)}`)
        .join(", ")}), toast+maps ${per(compact.leaf_toast_fsm!)}`,
    });
    row({
      part: "2",
      measure: "LogLeaf total per leaf as the sequencer leaves it (dead row versions of its UPDATE)",
      value: per(asLeft.leaf_total!),
      floor: per(compact.leaf_text!),
      ratio: asLeft.leaf_total! / compact.leaf_text!,
      note: `heap ${per(asLeft.leaf_heap!)}, indexes ${per(asLeft.leaf_indexes!)}`,
    });
    row({
      part: "2",
      measure: "LogTile per leaf (after VACUUM FULL)",
      value: per(compact.tile_total!),
      floor: `${fmt(tileFloor, 1)} B/leaf (32·256/255 bytes of hashes)`,
      ratio: compact.tile_total! / n / tileFloor,
      note: `${compact.tiles!.toLocaleString("en")} tiles; as left ${per(asLeft.tile_total!)}`,
    });
    row({
      part: "2",
      measure: "LogCheckpoint per leaf",
      value: per(compact.cp_total!),
      floor: `${per(compact.cp_content!)} (body + signature + root)`,
      ratio: compact.cp_total! / compact.cp_content!,
      note: `${compact.checkpoints!.toLocaleString("en")} checkpoints, ${fmt(compact.cp_total! / compact.checkpoints!)} B each`,
    });
    row({
      part: "2",
      measure: "the log in all per leaf (after VACUUM FULL)",
      value: per(compact.leaf_total! + compact.tile_total! + compact.cp_total!),
      floor: per(compact.leaf_text!),
      ratio: (compact.leaf_total! + compact.tile_total! + compact.cp_total!) / compact.leaf_text!,
    });
  }
  log(`part 1 and 2 done (${elapsed()})`);

  // ── 3: proofs in a 10,000,000-leaf tree, built here into a fresh database ─────
  {
    const proofsDb = "bench_log_proofs";
    await ensureDatabase(url, proofsDb);
    const url2 = withDatabase(url, proofsDb);
    await prepareDatabase({ ...process.env, DATABASE_URL: url2 }, () => {});
    const t0 = performance.now();
    const hashes = Buffer.alloc(PROOF_LEAVES * 32);
    const synthetic = (i: number) => `{"index":${i},"type":"Bench"}`;
    for (let i = 0; i < PROOF_LEAVES; i++) leafHashInto(synthetic(i), hashes, i);
    const levels = buildLevels(hashes);
    const treeRoot = rootOf(levels, PROOF_LEAVES);
    const hashSeconds = (performance.now() - t0) / 1000;
    const c2 = await connect(url2);
    cleanups.push(() => c2.end());
    const t1 = performance.now();
    let tileRows = new Rows();
    let tileBytes = 0;
    for (const tile of tilesOf(levels)) {
      tileRows.add(tile.level, tile.index, `\\x${tile.hashes.toString("hex")}`);
      tileBytes += tile.hashes.length;
      if (tileRows.count >= 2000) {
        await copy(c2, "LogTile", ["level", "index", "hashes"], tileRows);
        tileRows = new Rows();
      }
    }
    await copy(c2, "LogTile", ["level", "index", "hashes"], tileRows);
    // The one checkpoint the endpoints need (publishedSize), signed with a throwaway key.
    const { privateKey } = crypto.generateKeyPairSync("ed25519");
    const body = checkpointBody(ORIGIN, PROOF_LEAVES, treeRoot);
    await c2.query(`INSERT INTO "LogCheckpoint" ("size", "rootHash", "body", "signature", "keyId") VALUES ($1, $2, $3, $4, 'bench-key')`, [
      PROOF_LEAVES,
      treeRoot,
      body,
      signNote(body, ORIGIN, privateKey),
    ]);
    await c2.query(`VACUUM (ANALYZE) "LogTile"`);
    const loadSeconds = (performance.now() - t1) / 1000;
    log(
      `${PROOF_LEAVES.toLocaleString("en")}-leaf tree: hashed and tiled in ${hashSeconds.toFixed(1)} s, ${tileCount(levels).toLocaleString("en")} tiles (${(tileBytes / 1e6).toFixed(0)} MB) loaded in ${loadSeconds.toFixed(1)} s (${elapsed()})`,
    );

    const { PrismaClient } = await import("@prisma/client");
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const db2: PrismaClient = new PrismaClient({ adapter: new PrismaPg({ connectionString: url2, max: 2 }) });
    cleanups.push(() => db2.$disconnect());
    const storedRootOk = (await new TileSet(db2).root(PROOF_LEAVES)).equals(treeRoot);
    if (!storedRootOk) exitCode = 1;
    const tilesAtLevel0 = Math.ceil(PROOF_LEAVES / 256);
    const pkSelect = async () => {
      const t = performance.now();
      const rows = await db2.$queryRaw<
        { hex: string }[]
      >`SELECT encode("hashes", 'hex') AS "hex" FROM "LogTile" WHERE "level" = 0 AND "index" = ${BigInt(crypto.randomInt(tilesAtLevel0))}`;
      if (rows.length !== 1) throw new Error("tile not found");
      return performance.now() - t;
    };
    // Warm up (JIT, the pool, the cache), then each proof interleaved with a floor query.
    for (let i = 0; i < 300; i++) {
      await pkSelect();
      await inclusionProof(crypto.randomInt(PROOF_LEAVES), PROOF_LEAVES, db2);
      await consistencyProof(1 + crypto.randomInt(PROOF_LEAVES - 1), PROOF_LEAVES, db2);
    }
    const floorMs: number[] = [];
    const inclusionMs: number[] = [];
    const consistencyMs: number[] = [];
    let inclusionChecked = 0;
    let inclusionOk = 0;
    let consistencyChecked = 0;
    let consistencyOk = 0;
    for (let i = 0; i < PROOFS; i++) {
      floorMs.push(await pkSelect());
      const index = crypto.randomInt(PROOF_LEAVES);
      const t = performance.now();
      const proof = await inclusionProof(index, PROOF_LEAVES, db2);
      inclusionMs.push(performance.now() - t);
      if (i % 10 === 0) {
        inclusionChecked += 1;
        if (verifyInclusion(index, PROOF_LEAVES, hashes.subarray(index * 32, index * 32 + 32), proof, treeRoot)) inclusionOk += 1;
      }
    }
    for (let i = 0; i < PROOFS; i++) {
      floorMs.push(await pkSelect());
      const from = 1 + crypto.randomInt(PROOF_LEAVES - 1);
      const t = performance.now();
      const proof = await consistencyProof(from, PROOF_LEAVES, db2);
      consistencyMs.push(performance.now() - t);
      if (i % 50 === 0) {
        consistencyChecked += 1;
        if (verifyConsistency(from, PROOF_LEAVES, proof, rootOf(levels, from), treeRoot)) consistencyOk += 1;
      }
    }
    // Where an inclusion proof's time goes: its tiles' query alone, and the hashing from tiles in memory.
    const queryMs: number[] = [];
    const cpuMs: number[] = [];
    for (let i = 0; i < Math.min(PROOFS, 2000); i++) {
      const plan = inclusionPlan(crypto.randomInt(PROOF_LEAVES), PROOF_LEAVES);
      const set = new TileSet(db2);
      const t = performance.now();
      await set.load(plan.flat());
      const t2 = performance.now();
      await set.resolve(plan);
      queryMs.push(t2 - t);
      cpuMs.push(performance.now() - t2);
    }
    const consistencyPlans = Array.from({ length: 200 }, () => consistencyPlan(1 + crypto.randomInt(PROOF_LEAVES - 1), PROOF_LEAVES));
    const floor = dist(floorMs);
    const inclusion = dist(inclusionMs);
    const consistency = dist(consistencyMs);
    const query = dist(queryMs);
    const cpu = dist(cpuMs);
    const proofsOk = storedRootOk && inclusionOk === inclusionChecked && consistencyOk === consistencyChecked;
    if (!proofsOk) exitCode = 1;
    results.proofs = {
      leaves: PROOF_LEAVES,
      tiles: tileCount(levels),
      tileBytes,
      hashSeconds,
      loadSeconds,
      storedRootOk,
      floorMs: floor,
      inclusionMs: inclusion,
      consistencyMs: consistency,
      inclusionTilesQueryMs: query,
      inclusionHashingMs: cpu,
      inclusionVerified: `${inclusionOk}/${inclusionChecked}`,
      consistencyVerified: `${consistencyOk}/${consistencyChecked}`,
      meanTilesPerConsistencyProof:
        consistencyPlans.reduce(
          (n, p) => n + new Set(p.flat().map((x) => `${Math.floor(x.level / 8)}/${Math.floor((x.index * 2 ** (x.level % 8)) / 256)}`)).size,
          0,
        ) / consistencyPlans.length,
    };
    const scale = `${(PROOF_LEAVES / 1e6).toLocaleString("en")}M`;
    row({
      part: "3",
      measure: `inclusionProof(i, ${scale}) p50`,
      value: ms(inclusion.p50),
      floor: `${ms(floor.p50)} (PK SELECT of one LogTile, p50)`,
      ratio: inclusion.p50 / floor.p50,
      note: `${PROOFS.toLocaleString("en")} random leaves; ${inclusionOk}/${inclusionChecked} verified against the root`,
    });
    row({
      part: "3",
      measure: `inclusionProof(i, ${scale}) p99`,
      value: ms(inclusion.p99),
      floor: `${ms(floor.p99)} (PK SELECT, p99)`,
      ratio: inclusion.p99 / floor.p99,
      note: `max ${ms(inclusion.max)}`,
    });
    row({
      part: "3",
      measure: `consistencyProof(m, ${scale}) p50`,
      value: ms(consistency.p50),
      floor: ms(floor.p50),
      ratio: consistency.p50 / floor.p50,
      note: `${consistencyOk}/${consistencyChecked} verified`,
    });
    row({
      part: "3",
      measure: `consistencyProof(m, ${scale}) p99`,
      value: ms(consistency.p99),
      floor: ms(floor.p99),
      ratio: consistency.p99 / floor.p99,
      note: `max ${ms(consistency.max)}`,
    });
    row({
      part: "3",
      measure: "inclusion proof split: tiles query p50 / hashing from tiles p50",
      value: `${ms(query.p50)} / ${ms(cpu.p50)}`,
      floor: ms(floor.p50),
      ratio: (query.p50 + cpu.p50) / floor.p50,
      note: `p99 ${ms(query.p99)} / ${ms(cpu.p99)}`,
    });
  }

  // ── the table and the JSON ──────────────────────────────────────────────────
  const header = ["part", "measure", "value", "floor (same run)", "ratio"];
  const cells = table.map((r) => [r.part, r.measure, r.value, r.floor, r.ratio === null ? "" : `${fmt(r.ratio, 2)}×`]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(`\n${line(header)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|\n${cells.map(line).join("\n")}`);
  for (const r of table) if (r.note) console.log(`  ${r.measure}: ${r.note}`);
  results.table = table;
  results.seconds = (performance.now() - started) / 1000;
  results.date = new Date().toISOString();
  results.exitCode = exitCode;
  const out = path.join(root, "bench/log/results.json");
  fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`results written to ${path.relative(process.cwd(), out)}; total ${elapsed()}`);
  console.log(
    `SUMMARY bench/log leaves=${LEAVES} ${table
      .filter((r) => r.ratio !== null)
      .map((r) => `${r.part}:${fmt(r.ratio!, 2)}`)
      .join(" ")} ok=${exitCode === 0 ? "yes" : "NO"}`,
  );
} catch (error) {
  exitCode = 1;
  console.error(error);
} finally {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
