// bench/trace: the scan page at national scale, on PostgreSQL.
// Seeds a synthetic database (default 200,000 batches, 2,000,000 trace events with
// their log leaves, 5,000,000 scans: bench/trace/seed.ts), stores every batch's
// trace story, starts one production server (build/server.js) on it, and loads,
// after a warm-up and interleaved twice (the better run of each counts), with
// autocannon at 20 connections:
//   - /healthz, a minimal Remix page: the floor (target: /t ≥ 0.8× its req/s);
//   - /t/{random code}, the scan page (each answer means a scan stored);
//   - a bare node:http hello-world server on the same machine: the ceiling.
// Then checks that the Scan table grew by exactly the number of 2xx scan answers
// (scans are durable before the page answers).
//   npm run bench:trace            (BENCH_BATCHES=20000 for a quick run)
//   BENCH_DATA_DIR=/somewhere      keeps the embedded database between runs
//   BENCH_DATABASE_URL=postgres…   uses that database instead (empty, or this seed)
import crypto from "node:crypto";
import path from "node:path";
import { spawn } from "node:child_process";
import { freePort } from "../../scripts/postgres.mjs";
import { EVENTS_PER_BATCH, SCANS_PER_BATCH, countScans, openTraceDatabase } from "./seed";
import { PHONE_UA, best, describe, load, waitForHealth, type Run } from "./load";

/** A random address in 10.0.0.0/8: a shopper of its own per scan. */
const shopperAddress = () =>
  `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
const BATCHES = Number(process.env.BENCH_BATCHES ?? 200_000);
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 15);
const root = path.resolve(import.meta.dirname, "../..");
const log = (m: string) => console.log(`[bench/trace] ${m}`);

const db = await openTraceDatabase({ batches: BATCHES, keptDir: process.env.BENCH_DATA_DIR, log });
const { codes } = db;

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, [path.join(root, "build/server.js")], {
  cwd: root,
  env: {
    ...process.env,
    DATABASE_URL: db.url,
    DATA_DIR: db.dataDir,
    SESSION_SECRET: "bench",
    NODE_ENV: "production",
    PORT: String(port),
    APP_URL: base,
    // The load comes as many shoppers through a local proxy (x-forwarded-for): one address would
    // soon spend the per-address allowance of new scan rows, and its scans would not be stored.
    TRUST_PROXY: "loopback",
  },
  stdio: ["ignore", "ignore", "inherit"],
});
// The ceiling: the least an HTTP answer costs in Node on this machine.
const helloPort = await freePort();
const hello = spawn(
  process.execPath,
  [
    "-e",
    `require("node:http").createServer((q, s) => { s.writeHead(200, { "content-type": "text/plain" }); s.end("hello"); }).listen(${helloPort}, "127.0.0.1")`,
  ],
  { stdio: ["ignore", "ignore", "inherit"] },
);
const helloBase = `http://127.0.0.1:${helloPort}`;
let exitCode = 0;
try {
  await waitForHealth(`${base}/healthz`);
  await waitForHealth(helloBase);
  const pick = () => `/t/${codes[crypto.randomInt(codes.length)]!}`;
  const loadFloor = (seconds = DURATION_S) => load(base, { path: () => "/healthz", seconds });
  const loadHello = (seconds = DURATION_S) => load(helloBase, { seconds });
  // Scan runs send a fixed number of requests and wait for every answer, so that each
  // 2xx can be matched against the Scan table; the number is what the last run could do in DURATION_S.
  const traceRuns: Run[] = [];
  const loadTrace = async (amount: number) => {
    const run = await load(base, { path: pick, clientAddress: shopperAddress, amount: Math.max(100, Math.round(amount)) });
    traceRuns.push(run);
    return run;
  };
  const scansBefore = await countScans(db.url);

  // Warm both paths (JIT, caches), then measure them interleaved twice so a slow moment
  // of the machine does not land on one side only; the better run of each counts.
  const probe = await loadTrace(200);
  await loadFloor(3);
  const warm = await loadTrace(probe.rps * 3);
  await loadHello(3);
  const floors: Run[] = [];
  const traces: Run[] = [];
  const hellos: Run[] = [];
  let rate = warm.rps;
  for (let round = 0; round < 2; round++) {
    floors.push(await loadFloor());
    const t = await loadTrace(rate * DURATION_S);
    traces.push(t);
    rate = t.rps;
    hellos.push(await loadHello());
  }
  const floor = best(floors);
  const trace = best(traces);
  const ceiling = best(hellos);

  const sample = await fetch(`${base}${pick()}`, { headers: { "user-agent": PHONE_UA, "accept-encoding": "gzip" } });
  const bytes = (await sample.arrayBuffer()).byteLength;
  const answered = traceRuns.reduce((n, r) => n + r.ok, 0) + (sample.ok ? 1 : 0);
  const failed = traceRuns.reduce((n, r) => n + r.errors, 0);
  const scansAfter = await countScans(db.url);
  const stored = scansAfter - scansBefore;
  const durable = stored === answered;

  const ratio = trace.rps / floor.rps;
  const vsHello = trace.rps / ceiling.rps;
  if (db.seeded)
    log(
      `seeding took ${db.seeded.seconds.toFixed(1)} s; database ${(db.bytes / 1e9).toFixed(2)} GB; trace stories ${db.storiesSeconds.toFixed(1)} s`,
    );
  else log(`reused seed; database ${(db.bytes / 1e9).toFixed(2)} GB; trace stories ${db.storiesSeconds.toFixed(1)} s`);
  log(
    `runs (req/s): floor ${floors.map((r) => r.rps.toFixed(0)).join(", ")}; trace ${traces.map((r) => r.rps.toFixed(0)).join(", ")}; hello ${hellos.map((r) => r.rps.toFixed(0)).join(", ")}`,
  );
  log(`bare node:http hello: ${describe(ceiling)}`);
  log(`floor /healthz: ${describe(floor)}, ${floor.wireBytes.toFixed(0)} bytes/answer on the wire`);
  log(`/t/{code}: ${describe(trace)}, ${bytes} bytes/page decoded, ${trace.wireBytes.toFixed(0)} bytes/answer on the wire (gzip)`);
  log(
    `ratios: /t ÷ /healthz ${ratio.toFixed(2)} (target ≥ 0.80); /t ÷ bare hello ${vsHello.toFixed(3)} (aim ≥ 0.10); /healthz ÷ bare hello ${(floor.rps / ceiling.rps).toFixed(3)}`,
  );
  log(
    `scans durable: ${answered.toLocaleString("en")} scan pages answered 2xx (${failed} errors), scans stored (sum of Scan.repeats) ${scansBefore.toLocaleString("en")} → ${scansAfter.toLocaleString("en")} (+${stored.toLocaleString("en")}): ${durable ? "every answered scan is stored" : "MISMATCH"}`,
  );
  console.log(
    `SUMMARY bench/trace batches=${BATCHES} events=${BATCHES * EVENTS_PER_BATCH} scans=${BATCHES * SCANS_PER_BATCH} hello=${ceiling.rps.toFixed(0)}rps floor=${floor.rps.toFixed(0)}rps trace=${trace.rps.toFixed(0)}rps ` +
      `ratio=${ratio.toFixed(2)} (target ≥0.80) vsHello=${vsHello.toFixed(3)} (aim ≥0.10) p50=${trace.p50}ms p99=${trace.p99}ms bytes=${bytes} durable=${durable ? "yes" : "NO"} (+${stored}/${answered})`,
  );
  if (!durable || failed > 0) exitCode = 1;
} finally {
  server.kill("SIGTERM");
  hello.kill("SIGTERM");
  await new Promise((r) => (server.exitCode !== null ? r(null) : server.once("exit", r)));
  await db.stop();
}
process.exit(exitCode);
