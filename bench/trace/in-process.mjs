// In-process cost per request (no HTTP, no compression): /healthz vs /t/{random code}
// through the built Remix handler, one request at a time. Add --cpu-prof to see where
// the time goes. Each /t request stores a scan, as a real one does.
//   npm run build && DATABASE_URL=postgresql://…/bench_trace_20000 SESSION_SECRET=x NODE_ENV=production node bench/trace/in-process.mjs
// (bench/trace with BENCH_DATA_DIR keeps such a database; POOL=n limits the codes to n.)
import pg from "pg";
import { createRequestHandler } from "@remix-run/node";

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
const codes = (await client.query(`SELECT "code" FROM "TraceCode" WHERE "kind" = 'BATCH'`)).rows.map((r) => r.code);
await client.end();
const build = await import(process.cwd() + "/build/index.js");
const handler = createRequestHandler(build, "production");
const UA = "Mozilla/5.0 (Linux; Android 11; SM-A125F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";
const N = Number(process.env.N ?? 1000);
async function run(pathf, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = await handler(new Request("http://x" + pathf(), { headers: { "user-agent": UA } }));
    await r.text();
  }
  return ((performance.now() - t0) / n).toFixed(2);
}
const pool = process.env.POOL ? codes.slice(0, Number(process.env.POOL)) : codes;
const rnd = () => "/t/" + pool[Math.floor(Math.random() * pool.length)];
await run(() => "/healthz", 200);
await run(rnd, 200);
console.log("healthz ms/req", await run(() => "/healthz", N));
console.log("trace ms/req", await run(rnd, N));
await build.entry.module.serverServices?.flushScans();
process.exit(0);
