// bench/search: the shopper's pages at national scale.
// Seeds 16,000 products from 6,500 producers over every province (PostgreSQL, straight
// through `pg`), starts the production server on it and loads the trace page /t/{code},
// /healthz, the home page, the product list, a search, a typo search and a product page with
// autocannon, 20 connections for BENCH_SECONDS each, each as an anonymous visitor, with a
// guest cart, and logged in with a cart. Reports req/s, p50 and p99 per page, the req/s ratio
// to the anonymous trace page, and whether p99 ≤ 100 ms was met (a report, not an assertion).
//   npm run bench:search       (BENCH_PRODUCTS=2000 BENCH_PRODUCERS=800 for a quick run)
// BENCH_DATABASE_URL: use that (empty or earlier seeded) database instead of an
// embedded PostgreSQL in a temporary folder.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import autocannon from "autocannon";
import { createCookie } from "@remix-run/node";
import { startEmbeddedPostgres } from "../../scripts/postgres.mjs";
import { prepareDatabase } from "../../scripts/database.mjs";
import { batchCodes, seedTraceData } from "../trace/seed";
import { DAY, seedCatalog } from "./seed";

const root = path.resolve(import.meta.dirname, "../..");
// One app instance, as in production (build/server.js; env PORT, DATABASE_URL,
// SESSION_SECRET, NODE_ENV=production); its job worker is off, nothing queues jobs here.
const SERVER_CMD = [process.execPath, "build/server.js"];

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 16_000);
const PRODUCERS = Number(process.env.BENCH_PRODUCERS ?? 6_500);
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 20;
const TARGET_P99_MS = 100;
const PHONE_UA = "Mozilla/5.0 (Linux; Android 11; SM-A125F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";
// The shopper's pages, each loaded three ways: anonymous, with a guest cart holding a line, and
// logged in with a cart (cookies signed with the server's SESSION_SECRET, rows made by
// prepareShoppers below). The trace page /t/{code} is the yardstick: every ratio is to its
// anonymous req/s, in the same run.
const BENCH_SECRET = "bench-search";
const TRACE_BATCHES = 20;
const SHOP_PAGES = [
  { name: "/healthz", path: "/healthz" },
  { name: "/", path: "/" },
  { name: "/products", path: "/products" },
  { name: "/products?q=nuoc+mam", path: "/products?q=nuoc+mam" },
  { name: "/products?q=nuoc+mamm (typo)", path: "/products?q=nuoc+mamm" },
];
type Visitor = "anonymous" | "cart" | "logged in";
const VISITORS: Visitor[] = ["anonymous", "cart", "logged in"];

const log = (m: string) => console.log(`[bench/search] ${m}`);

/** The first seeded product on sale: listed, its producer approved, a lot in stock. */
async function sellableProduct(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `SELECT p.id FROM "Product" p JOIN "Producer" pr ON pr.id = p."producerId"
        WHERE p.id LIKE 'bench-pd-%' AND p."listingStatus" = 'LISTED' AND pr.status = 'APPROVED'
          AND EXISTS (SELECT 1 FROM "Batch" b WHERE b."productId" = p.id AND b.status = 'ACTIVE' AND b.stock > 0)
        ORDER BY p.id LIMIT 1`,
    );
    return rows[0]!.id;
  } finally {
    await client.end();
  }
}

/** A guest cart with one line, and a shopper logged in with two lines: rows and signed cookies. */
async function prepareShoppers(url: string): Promise<Record<Visitor, Record<string, string>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const far = new Date(Date.now() + 30 * DAY);
    await client.query(
      `INSERT INTO "User" (id, phone, name, "passwordHash", "updatedAt") VALUES ('bench-shopper', '0900000001', 'Người mua thử', 'x', now()) ON CONFLICT DO NOTHING`,
    );
    await client.query(`INSERT INTO "UserRole" ("userId", role) VALUES ('bench-shopper', 'SHOPPER') ON CONFLICT DO NOTHING`);
    await client.query(
      `INSERT INTO "Session" (id, "userId", "expiresAt") VALUES ('bench-session', 'bench-shopper', $1) ON CONFLICT (id) DO UPDATE SET "expiresAt" = $1`,
      [far],
    );
    await client.query(
      `INSERT INTO "Cart" (id, "userId", "updatedAt") VALUES ('bench-user-cart', 'bench-shopper', now()) ON CONFLICT DO NOTHING`,
    );
    await client.query(`INSERT INTO "Cart" (id, "updatedAt") VALUES ('bench-guest-cart', now()) ON CONFLICT DO NOTHING`);
    await client.query(
      `INSERT INTO "CartItem" (id, "cartId", "productId", quantity) VALUES
         ('bench-ci-1', 'bench-user-cart', 'bench-pd-000001', 2), ('bench-ci-2', 'bench-user-cart', 'bench-pd-000002', 1),
         ('bench-ci-3', 'bench-guest-cart', 'bench-pd-000003', 1) ON CONFLICT DO NOTHING`,
    );
  } finally {
    await client.end();
  }
  const signed = (name: string, value: string) => createCookie(name, { secrets: [BENCH_SECRET], path: "/" }).serialize(value);
  const cookieOf = (header: string) => header.split(";")[0]!;
  return {
    anonymous: {},
    cart: { cookie: cookieOf(await signed("ocop_cart", "bench-guest-cart")) },
    "logged in": { cookie: cookieOf(await signed("ocop_session", "bench-session")) },
  };
}

/** Seeds an empty database; a database seeded earlier at the same size is reused. */
async function prepare(url: string) {
  await prepareDatabase({ ...process.env, DATABASE_URL: url }, log); // Prisma's migrations and the job queue's schema
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ products: number; producers: number }>(
    `SELECT (SELECT count(*)::int FROM "Product" WHERE id LIKE 'bench-pd-%') AS products, (SELECT count(*)::int FROM "Producer" WHERE id LIKE 'bench-pr-%') AS producers`,
  );
  await client.end();
  const { products, producers } = rows[0]!;
  if (products === 0 && producers === 0) {
    await seedCatalog(url, PRODUCTS, PRODUCERS, log);
    // A few lots with the trace page's whole story (events, log leaves), for the yardstick
    // page; the server builds and keeps each one's story at its first scan.
    await seedTraceData(url, TRACE_BATCHES, log);
    return;
  }
  if (products === PRODUCTS && producers === PRODUCERS) return log(`reusing the ${products.toLocaleString("en")} products already there`);
  throw new Error(
    `the database holds ${products} products and ${producers} producers, not ${PRODUCTS} and ${PRODUCERS}: give an empty one`,
  );
}

async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const load = (url: string, seconds: number, headers: Record<string, string> = {}) =>
  autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { "user-agent": PHONE_UA, "accept-encoding": "gzip", ...headers },
  });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-bench-search-"));
const database = process.env.BENCH_DATABASE_URL
  ? { url: process.env.BENCH_DATABASE_URL, stop: async () => {} }
  : await startEmbeddedPostgres({ dir: path.join(tmp, "pg"), database: "ocop_bench", fast: true });
let server: ChildProcess | undefined;
try {
  await prepare(database.url);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: database.url,
    SESSION_SECRET: BENCH_SECRET,
    NODE_ENV: "production",
    JOBS: "off",
    APP_URL: base,
    DATA_DIR: path.join(tmp, "data"),
  };
  server = spawn(SERVER_CMD[0]!, SERVER_CMD.slice(1), { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  let up = false;
  for (let i = 0; i < 120 && !up; i++) {
    up = await fetch(`${base}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (!up) await new Promise((r) => setTimeout(r, 500));
  }
  if (!up) throw new Error(`the server (${SERVER_CMD.join(" ")}) did not answer /healthz`);
  const cookies = await prepareShoppers(database.url);
  // The trace page of a lot seeded the way bench/trace seeds them (events, log leaves, stored story).
  const traceCode = (await batchCodes(database.url))[0]!;
  const productPath = `/products/${await sellableProduct(database.url)}`;
  const PAGES = VISITORS.flatMap((visitor) =>
    [{ name: "/t/{code}", path: `/t/${traceCode}` }, ...SHOP_PAGES, { name: "/products/{id}", path: productPath }].map((p) => ({
      ...p,
      visitor,
      name: `${p.name} [${visitor}]`,
      headers: cookies[visitor],
    })),
  );
  // Each page must really work, as that visitor, before its speed means anything.
  for (const page of PAGES) {
    const res = await fetch(`${base}${page.path}`, { headers: { "user-agent": PHONE_UA, ...page.headers } });
    const html = await res.text();
    if (!res.ok) throw new Error(`${page.name} answered ${res.status}`);
    if (page.path.includes("q=nuoc") && !html.includes("Nước mắm")) throw new Error(`${page.name} did not find "Nước mắm"`);
    if (page.path.startsWith("/t/") || page.path === "/healthz") continue;
    if (page.visitor === "logged in" && !html.includes("Người mua thử")) throw new Error(`${page.name} does not name the shopper`);
    const cartLink = /href="\/cart"[^>]*>([^<]*)</.exec(html)?.[1] ?? "";
    const expected = page.visitor === "logged in" ? "3" : page.visitor === "cart" ? "1" : "0";
    if (!cartLink.includes(expected)) throw new Error(`${page.name}: the cart link says "${cartLink}", not ${expected} items`);
  }
  for (const page of PAGES) await load(`${base}${page.path}`, 2, page.headers); // warm-up: JIT, plans, caches
  // Another busy process on the machine slows every page alike: the ratio to the trace page is the steadier number.
  const loadBefore = os.loadavg()[0]!;
  const results = [];
  for (const page of PAGES) {
    const r = await load(`${base}${page.path}`, DURATION_S, page.headers);
    results.push({ page: page.name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx });
  }
  const yardstick = results[0]!.rps; // the trace page, anonymous
  const rows = results.map((r) => ({ ...r, ratio: r.rps / yardstick, met: r.p99 <= TARGET_P99_MS }));
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(
    `\nbench/search: ${PRODUCTS.toLocaleString("en")} products, ${PRODUCERS.toLocaleString("en")} producers, ${CONNECTIONS} connections × ${DURATION_S} s per page, ${os.cpus().length} CPUs, load average ${loadBefore.toFixed(1)} before`,
  );
  console.log(
    `${pad("page", 44)}${pad("req/s", 9)}${pad("p50 ms", 8)}${pad("p99 ms", 8)}${pad("÷trace", 8)}${pad("errors", 8)}p99 ≤ ${TARGET_P99_MS} ms`,
  );
  for (const r of rows) {
    console.log(
      `${pad(r.page, 44)}${pad(r.rps.toFixed(0), 9)}${pad(String(r.p50), 8)}${pad(String(r.p99), 8)}${pad(r.ratio.toFixed(2), 8)}${pad(String(r.errors), 8)}${r.met ? "met" : "NOT met"}`,
    );
  }
  console.log(
    JSON.stringify({
      bench: "search",
      products: PRODUCTS,
      producers: PRODUCERS,
      connections: CONNECTIONS,
      seconds: DURATION_S,
      loadAverage: Number(loadBefore.toFixed(1)),
      targetP99Ms: TARGET_P99_MS,
      pages: rows.map((r) => ({
        page: r.page,
        rps: Math.round(r.rps),
        p50: r.p50,
        p99: r.p99,
        ratio: Number(r.ratio.toFixed(2)),
        errors: r.errors,
        p99Met: r.met,
      })),
    }),
  );
} finally {
  // The server goes first: stopping PostgreSQL under it would fail its last queries.
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  await database.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
