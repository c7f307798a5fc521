// bench/cluster: the scan page in the deployment shape — app instances
// (server/index.ts, each with its job worker) behind nginx (scripts/cluster.mjs) on
// one PostgreSQL — with ONE instance and with TWO, measured in the same run: both
// clusters run side by side and are loaded in turn, twice (the better run of each
// counts), with /healthz through the same nginx as each one's floor. Every scan run
// sends a fixed number of requests and waits for every answer, then checks that the Scan
// table grew by exactly its 2xx answers (scans are durable before the page answers).
// Errors must be 0. On a 2-core machine two instances cannot do much more than one;
// the point is that nothing breaks and nothing is lost.
//   npm run bench:cluster          (BENCH_BATCHES=20000 by default; BENCH_DATA_DIR keeps the seed)
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startCluster } from "../../scripts/cluster.mjs";
import { countScans, openTraceDatabase } from "../trace/seed";
import { PHONE_UA, best, describe, load, type Run } from "../trace/load";

const BATCHES = Number(process.env.BENCH_BATCHES ?? 20_000);
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const log = (m: string) => console.log(`[bench/cluster] ${m}`);

const db = await openTraceDatabase({ batches: BATCHES, keptDir: process.env.BENCH_DATA_DIR, log });
const { codes } = db;
const pick = () => `/t/${codes[crypto.randomInt(codes.length)]!}`;
const nginxDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-bench-cluster-"));
const env = { ...process.env, DATABASE_URL: db.url, DATA_DIR: db.dataDir, SESSION_SECRET: "bench", NODE_ENV: "production" };
const appLog = (m: string) => {
  if (process.env.BENCH_VERBOSE || /error|exited/i.test(m)) console.log(m);
};

type Cluster = Awaited<ReturnType<typeof startCluster>>;
type Side = {
  instances: number;
  cluster: Cluster;
  base: string;
  floors: Run[];
  traces: Run[];
  answered: number;
  stored: number;
  errors: number;
  servedBy: Map<string, number>;
};
const sides: Side[] = [];
let exitCode = 0;
try {
  for (const instances of [1, 2]) {
    const cluster = await startCluster({ env, instances, prefix: path.join(nginxDir, `nginx-${instances}`), restart: false, log: appLog });
    sides.push({
      instances,
      cluster,
      base: `http://127.0.0.1:${cluster.port}`,
      floors: [],
      traces: [],
      answered: 0,
      stored: 0,
      errors: 0,
      servedBy: new Map(),
    });
    log(
      `${instances} instance${instances > 1 ? "s" : ""} behind nginx on port ${cluster.port} (instances on ${cluster.instances.map((m) => m.port).join(", ")})`,
    );
  }

  /** One scan run: exactly `amount` requests, every answer counted against the Scan table. */
  const scanRun = async (side: Side, amount: number) => {
    const before = await countScans(db.url);
    const run = await load(side.base, { path: pick, amount: Math.max(100, Math.round(amount)) });
    const stored = (await countScans(db.url)) - before;
    side.answered += run.ok;
    side.stored += stored;
    side.errors += run.errors;
    if (stored !== run.ok) log(`MISMATCH (${side.instances} instance(s)): ${run.ok} scans answered 2xx, ${stored} stored`);
    return run;
  };

  // Warm up both (JIT, caches, nginx keepalive), and learn what a run of DURATION_S holds.
  const rates = new Map<Side, number>();
  for (const side of sides) {
    await load(side.base, { path: () => "/healthz", seconds: 3 });
    const warm = await scanRun(side, 300);
    rates.set(side, warm.rps);
    await scanRun(side, warm.rps * 3);
  }
  for (let round = 0; round < 2; round++) {
    for (const side of sides) {
      side.floors.push(await load(side.base, { path: () => "/healthz", seconds: DURATION_S }));
      const run = await scanRun(side, rates.get(side)! * DURATION_S);
      side.traces.push(run);
      rates.set(side, run.rps);
    }
  }
  // Who answered: both instances of the pair should.
  for (const side of sides) {
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${side.base}/healthz`, { headers: { "user-agent": PHONE_UA } });
      const by = res.headers.get("x-served-by") ?? "?";
      side.servedBy.set(by, (side.servedBy.get(by) ?? 0) + 1);
      await res.arrayBuffer();
    }
  }

  if (db.seeded)
    log(
      `seeded ${BATCHES.toLocaleString("en")} batches in ${db.seeded.seconds.toFixed(1)} s; database ${(db.bytes / 1e9).toFixed(2)} GB; trace stories ${db.storiesSeconds.toFixed(1)} s`,
    );
  else
    log(
      `reused the seed of ${BATCHES.toLocaleString("en")} batches; database ${(db.bytes / 1e9).toFixed(2)} GB; trace stories ${db.storiesSeconds.toFixed(1)} s`,
    );
  const summary: string[] = [];
  for (const side of sides) {
    const floor = best(side.floors);
    const trace = best(side.traces);
    const durable = side.stored === side.answered;
    const floorErrors = side.floors.reduce((n, r) => n + r.errors, 0);
    log(
      `── ${side.instances} instance${side.instances > 1 ? "s" : ""} (answered by ${[...side.servedBy].map(([k, v]) => `${k} ×${v}`).join(", ")})`,
    );
    log(
      `   runs (req/s): floor ${side.floors.map((r) => r.rps.toFixed(0)).join(", ")}; trace ${side.traces.map((r) => r.rps.toFixed(0)).join(", ")}`,
    );
    log(`   /healthz via nginx: ${describe(floor)}`);
    log(`   /t/{code} via nginx: ${describe(trace)}; /t ÷ /healthz ${(trace.rps / floor.rps).toFixed(2)}`);
    log(
      `   scans: ${side.answered.toLocaleString("en")} answered 2xx, ${side.stored.toLocaleString("en")} stored, ${side.errors} errors: ${durable ? "every answered scan is stored" : "MISMATCH"}`,
    );
    summary.push(
      `i${side.instances}: floor=${floor.rps.toFixed(0)}rps trace=${trace.rps.toFixed(0)}rps p50=${trace.p50}ms p99=${trace.p99}ms errors=${side.errors + floorErrors} durable=${durable ? "yes" : "NO"}(+${side.stored}/${side.answered})`,
    );
    if (!durable || side.errors + floorErrors > 0) exitCode = 1;
  }
  const [one, two] = sides.map((s) => best(s.traces).rps);
  log(`two instances ÷ one (scan page): ${(two! / one!).toFixed(2)}`);
  console.log(`SUMMARY bench/cluster batches=${BATCHES} ${summary.join(" ")} two/one=${(two! / one!).toFixed(2)}`);
} finally {
  for (const side of sides) await side.cluster.stop();
  fs.rmSync(nginxDir, { recursive: true, force: true });
  await db.stop();
}
process.exit(exitCode);
