// The synthetic national-scale trace database, shared by bench/trace and bench/cluster:
// N batches (one product per 12.5 batches, one producer per 100), each with its batch
// code, 10 trace events with their public-log leaves (as the app writes them) and 25 scans.
// Written with `pg` and COPY (text format) in chunks of CHUNK batches, one transaction
// per chunk, on two connections: one writes batches, codes, events and log leaves;
// the other the scans of a chunk once its codes are committed, while the next chunk is
// being generated.
//
// Where it lives: BENCH_DATABASE_URL if set (it must be empty or hold exactly this
// seed), else an embedded PostgreSQL in `<dir>/pg` (BENCH_DATA_DIR, kept between runs:
// one database per size, `bench_trace_<N>`, reused when it holds a complete seed) or in
// a temporary folder removed at the end.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { ensureDatabase, startEmbeddedPostgres } from "../../scripts/postgres.mjs";
import { prepareDatabase } from "../../scripts/database.mjs";
import { connect, copy, Rows, ts } from "../pg-copy";
import { copyProducers, copyProducts, copyUser, KINDS_TWO_INPUTS_STORED, times } from "../synthetic";

export const EVENTS_PER_BATCH = 10;
export const SCANS_PER_BATCH = 25;
const CHUNK = 5_000;
const DAY = 86_400_000;
const USER_ID = "bench-user";
/** Written last: a database without it holds an interrupted seed. */
const DONE_MARKER = "bench-seed-complete";

const root = path.resolve(import.meta.dirname, "../..");

type Log = (message: string) => void;

export type TraceDatabase = {
  url: string;
  /** Where the app may keep files (DATA_DIR). */
  dataDir: string;
  /** Every batch code, in no particular order. */
  codes: string[];
  /** Set when this run seeded (null when it reused a seeded database). */
  seeded: { seconds: number } | null;
  /** The database's size on disk after seeding (or as found). */
  bytes: number;
  /** Seconds spent storing trace stories (scripts/build-trace-stories.ts). */
  storiesSeconds: number;
  stop: () => Promise<void>;
};

export async function seedState(url: string): Promise<{ batches: number; complete: boolean; empty: boolean }> {
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ batches: number; users: number; done: boolean }>(
      `SELECT (SELECT count(*)::int FROM "Batch") AS batches, (SELECT count(*)::int FROM "User") AS users, EXISTS (SELECT 1 FROM "User" WHERE "id" = $1) AS done`,
      [DONE_MARKER],
    );
    const r = rows[0]!;
    return { batches: r.batches, complete: r.done, empty: r.batches === 0 && r.users === 0 };
  } finally {
    await client.end();
  }
}

/** Seeds `batches` batches into an empty, migrated database. */
export async function seedTraceData(url: string, batches: number, log: Log): Promise<void> {
  // The app's own code generator and log leaves (imported late: they load the app's database module).
  process.env.DATABASE_URL ??= url;
  const { generateTraceCode } = await import("../../app/domain/trace/code.server");
  const { batchLeaf, traceEventLeaf } = await import("../../app/domain/log/leaves.server");
  const { sequenceLog } = await import("../../app/domain/log/sequencer.server");
  const main = await connect(url);
  const side = await connect(url);
  // A bulk load of generated data: no need to wait for each commit's flush (the server itself keeps its settings).
  for (const c of [main, side]) await c.query("SET synchronous_commit = off");
  try {
    const now = Date.now();
    const producers = Math.max(1, Math.round(batches / 100));
    const products = Math.max(1, Math.round(batches / 12.5)); // ~16,000 products at full size
    await main.query("BEGIN");
    await copyUser(main, { id: USER_ID }, ts(now));
    await copyProducers(
      main,
      times(producers, (p) => ({ id: `pr${p}`, type: "COOPERATIVE", name: `HTX thử tải ${p}`, provinceCode: "19" })),
      ts(now),
    );
    await copyProducts(
      main,
      times(products, (p) => ({
        id: `pd${p}`,
        producerId: `pr${p % producers}`,
        name: `Sản phẩm ${p}`,
        ocopGroup: 1,
        description: "Sản phẩm thử tải",
      })),
      ts(now),
    );
    await main.query("COMMIT");

    let mainWrite: Promise<unknown> = Promise.resolve();
    const scanWrites: Promise<unknown>[] = [];
    for (let start = 0; start < batches; start += CHUNK) {
      const end = Math.min(batches, start + CHUNK);
      const batchRows = new Rows();
      const codeRows = new Rows();
      const eventRows = new Rows();
      const leafRows = new Rows();
      const scanLines: string[] = [];
      for (let b = start; b < end; b++) {
        const batchId = `b${b}`;
        const produced = now - (b % 700) * DAY;
        batchRows.add(batchId, `pd${b % products}`, `LOT-${b}`, ts(produced), 1000, 1000, "ACTIVE", ts(produced), ts(produced));
        const batch = batchLeaf({
          id: batchId,
          productId: `pd${b % products}`,
          lotCode: `LOT-${b}`,
          producedAt: new Date(produced),
          expiresAt: null,
          quantity: 1000,
          productionArea: null,
          createdById: null,
          createdAt: new Date(produced),
        });
        leafRows.add(batch.type, batch.recordId, batchId, batch.productId, batch.leaf, ts(produced));
        codeRows.add(
          `c${b}`,
          generateTraceCode(),
          batchId,
          "BATCH",
          "ACTIVE",
          SCANS_PER_BATCH,
          ts(produced),
          ts(produced + (SCANS_PER_BATCH - 1) * 3_600_000),
          USER_ID,
          ts(produced),
        );
        for (let e = 0; e < EVENTS_PER_BATCH; e++) {
          const id = `e${b}_${e}`;
          const at = produced - (EVENTS_PER_BATCH - e) * 3 * DAY;
          const data = { quantity: 100 + e, unit: "kg", note: "dữ liệu thử tải" };
          eventRows.add(id, batchId, KINDS_TWO_INPUTS_STORED[e]!, ts(at), JSON.stringify(data), false, USER_ID, ts(at));
          // The leaf the app writes for this event (events.server.ts recordEvent), pending until sequenced below.
          const leaf = traceEventLeaf({
            id,
            batchId,
            kind: KINDS_TWO_INPUTS_STORED[e]!,
            occurredAt: new Date(at),
            place: null,
            actorName: null,
            data: JSON.stringify(data),
            correctsId: null,
            phiFlag: false,
            recordedById: USER_ID,
            createdAt: new Date(at),
          });
          leafRows.add(leaf.type, leaf.recordId, batchId, null, leaf.leaf, ts(at));
        }
        for (let s = 0; s < SCANS_PER_BATCH; s++) scanLines.push(`s${b}_${s}\tc${b}\t${ts(produced + s * 3_600_000)}\tchrome\tOK`);
      }
      const scanText = scanLines.join("\n") + "\n";
      // One chunk in flight on each connection: wait for the previous main chunk, and for the scans two chunks back (memory).
      await mainWrite;
      await scanWrites[scanWrites.length - 2];
      const written = (async () => {
        await main.query("BEGIN");
        await copy(
          main,
          "Batch",
          ["id", "productId", "lotCode", "producedAt", "quantity", "stock", "status", "createdAt", "updatedAt"],
          batchRows,
        );
        await copy(
          main,
          "TraceCode",
          ["id", "code", "batchId", "kind", "status", "scanCount", "firstScannedAt", "lastScannedAt", "issuedById", "issuedAt"],
          codeRows,
        );
        await copy(main, "TraceEvent", ["id", "batchId", "kind", "occurredAt", "data", "phiFlag", "recordedById", "createdAt"], eventRows);
        await copy(main, "LogLeaf", ["type", "recordId", "batchId", "productId", "leaf", "createdAt"], leafRows);
        await main.query("COMMIT");
      })();
      mainWrite = written;
      const previousScans = scanWrites[scanWrites.length - 1] ?? Promise.resolve();
      // Scans reference their codes: written once the chunk's codes are committed.
      scanWrites.push(
        Promise.all([written, previousScans]).then(async () => {
          await side.query("BEGIN");
          await copy(side, "Scan", ["id", "codeId", "scannedAt", "userAgentFamily", "outcome"], scanText);
          await side.query("COMMIT");
        }),
      );
      // Surface a failed chunk now rather than at the end.
      written.catch(() => {});
      scanWrites[scanWrites.length - 1]!.catch(() => {});
      if ((start / CHUNK) % 10 === 0 || end === batches)
        log(`seeding… ${end.toLocaleString("en")} / ${batches.toLocaleString("en")} batches`);
    }
    await mainWrite;
    await Promise.all(scanWrites);
    // Into the public log, as the app's sequencer does it (a signed checkpoint per run).
    for (let done = 0; ;) {
      const run = await sequenceLog();
      if (!run) break;
      done += run.added;
      if (done % 200_000 < run.added) log(`sequencing the public log… ${done.toLocaleString("en")} leaves`);
    }
    await main.query(`INSERT INTO "User" ("id", "name", "passwordHash", "locale", "updatedAt") VALUES ($1, $2, 'x', 'vi', now())`, [
      DONE_MARKER,
      `Bench seed complete: ${batches} batches`,
    ]);
  } finally {
    await main.end();
    await side.end();
  }
}

/** Stores every batch's trace story the way the app does (scripts/build-trace-stories.ts). */
export function buildTraceStories(url: string, log: Log): number {
  const t0 = Date.now();
  const built = spawnSync(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "scripts/build-trace-stories.ts")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, NODE_ENV: "production" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (built.status !== 0) throw new Error("building trace stories failed");
  const seconds = (Date.now() - t0) / 1000;
  log(`trace stories ready in ${seconds.toFixed(1)} s`);
  return seconds;
}

export async function databaseBytes(url: string): Promise<number> {
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ bytes: string }>("SELECT pg_database_size(current_database())::text AS bytes");
    return Number(rows[0]!.bytes);
  } finally {
    await client.end();
  }
}

/** Scans stored: the sum of the rows' repeats (a reload in the same visit adds to its row, not a row). */
export async function countScans(url: string): Promise<number> {
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT coalesce(sum("repeats"), 0)::text AS n FROM "Scan"`);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

export async function batchCodes(url: string): Promise<string[]> {
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ code: string }>(`SELECT "code" FROM "TraceCode" WHERE "kind" = 'BATCH'`);
    return rows.map((r) => r.code);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * The seeded database, ready to serve: started (embedded) or reached (BENCH_DATABASE_URL),
 * migrated, seeded unless it already holds this seed, analysed, with every batch's trace
 * story stored.
 */
export async function openTraceDatabase({
  batches,
  keptDir,
  log,
}: {
  batches: number;
  keptDir?: string;
  log: Log;
}): Promise<TraceDatabase> {
  const external = process.env.BENCH_DATABASE_URL;
  const dir = keptDir ? path.resolve(keptDir) : fs.mkdtempSync(path.join(os.tmpdir(), "ocop-bench-"));
  fs.mkdirSync(dir, { recursive: true });
  const database = `bench_trace_${batches}`;
  let url: string;
  let stopServer = async () => {};
  if (external) {
    url = external;
    log(`using BENCH_DATABASE_URL (${new URL(external).pathname.slice(1)})`);
  } else {
    const pgLog = (...lines: unknown[]) => void (process.env.PG_LOG && log(`[pg] ${lines.join(" ")}`));
    const server = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), database, log: pgLog });
    url = server.url;
    stopServer = server.stop;
    // The bench's own server: room for a bulk load between checkpoints (applies without a restart).
    const admin = await connect(withDatabase(url, "postgres"));
    await admin.query("ALTER SYSTEM SET max_wal_size = '8GB'");
    await admin.query("SELECT pg_reload_conf()");
    await admin.end();
  }
  const stop = async () => {
    await stopServer();
    if (!keptDir) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await prepareDatabase({ ...process.env, DATABASE_URL: url }, log);
    let state = await seedState(url);
    if (!state.empty && !(state.complete && state.batches === batches)) {
      if (external)
        throw new Error(
          `BENCH_DATABASE_URL holds ${state.batches} batches${state.complete ? "" : " (an interrupted seed)"}, not a complete seed of BENCH_BATCHES=${batches}: give an empty database`,
        );
      log(`${database} holds an interrupted or different seed (${state.batches} batches): starting it again`);
      const admin = await connect(withDatabase(url, "postgres"));
      await admin.query(`DROP DATABASE "${database}" WITH (FORCE)`);
      await admin.end();
      await ensureDatabase(url, database);
      await prepareDatabase({ ...process.env, DATABASE_URL: url }, log);
      state = await seedState(url);
    }
    let seeded: TraceDatabase["seeded"] = null;
    if (state.empty) {
      log(
        `seeding ${batches.toLocaleString("en")} batches, ${(batches * EVENTS_PER_BATCH).toLocaleString("en")} events + log leaves, ${(batches * SCANS_PER_BATCH).toLocaleString("en")} scans into ${external ? "BENCH_DATABASE_URL" : path.join(dir, "pg")}`,
      );
      const t0 = Date.now();
      await seedTraceData(url, batches, log);
      const loaded = (Date.now() - t0) / 1000;
      const t1 = Date.now();
      const client = await connect(url);
      await client.query("VACUUM (ANALYZE)"); // hint bits, visibility map and planner statistics, as a database that has lived would have
      await client.end();
      seeded = { seconds: (Date.now() - t0) / 1000 };
      log(
        `seeded in ${seeded.seconds.toFixed(1)} s (load ${loaded.toFixed(1)} s, VACUUM ANALYZE ${((Date.now() - t1) / 1000).toFixed(1)} s)`,
      );
    } else {
      log(`reusing ${database}: it holds the complete seed of ${batches.toLocaleString("en")} batches`);
    }
    const bytes = await databaseBytes(url);
    log(`database size ${(bytes / 1e9).toFixed(2)} GB`);
    const storiesSeconds = buildTraceStories(url, log);
    const codes = await batchCodes(url);
    if (codes.length !== batches) throw new Error(`expected ${batches} batch codes, found ${codes.length}`);
    return { url, dataDir: dir, codes, seeded, bytes, storiesSeconds, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
