// In-process cost per request (no HTTP, no compression): /healthz vs /t/{random code}
// through the built Remix handler. Add --cpu-prof to see where the time goes.
//   npm run build && DATABASE_URL=file:/tmp/bench/bench.db DATA_DIR=/tmp/bench SESSION_SECRET=x NODE_ENV=production node bench/trace/in-process.mjs
import { createRequestHandler } from "@remix-run/node";
import Database from "better-sqlite3";
const db = new Database(process.env.DATABASE_URL.slice(5), { readonly: true });
const codes = db.prepare(`SELECT "code" FROM "TraceCode"`).pluck().all(); db.close();
const build = await import(process.cwd() + "/build/index.js");
const handler = createRequestHandler(build, "production");
const UA = "Mozilla/5.0 (Linux; Android 11; SM-A125F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";
async function run(pathf, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) { const r = await handler(new Request("http://x" + pathf(), { headers: { "user-agent": UA } })); await r.text(); }
  return ((performance.now() - t0) / n).toFixed(2);
}
const pool = process.env.POOL ? codes.slice(0, Number(process.env.POOL)) : codes;
const rnd = () => "/t/" + pool[Math.floor(Math.random() * pool.length)];
await run(() => "/healthz", 200); await run(rnd, 200);
console.log("healthz ms/req", await run(() => "/healthz", 1000));
console.log("trace ms/req", await run(rnd, 1000));
process.exit(0);
