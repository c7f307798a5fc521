// bench/feeds: building the merchant feeds at national scale. Seeds the storefront's catalog
// (bench/search/seed.ts: 16,000 products of 6,500 producers, about 60 % with photos) plus a
// two-zone delivery table for every approved producer, then, in one process:
//   floor   the process's RSS once the app modules are loaded and the database answered;
//   site    the site-wide Google feed and Meta CSV built by the job's own code (time, peak RSS
//           over the floor, items, bytes);
//   half    the same build with half of the products listed, for the memory comparison: a
//           streamed build's peak does not grow with the number of items;
//   round   a first feeds-rebuild round (site skipped as unchanged, PRODUCERS_PER_RUN producers);
//   idle    a round when nothing changed (the cost of each 3-minute cron tick).
//   npm run bench:feeds        (BENCH_PRODUCTS=2000 BENCH_PRODUCERS=800 for a quick run)
// BENCH_DATABASE_URL: use that empty database instead of an embedded PostgreSQL in a temporary folder.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../scripts/postgres.mjs";
import { prepareDatabase } from "../../scripts/database.mjs";
import { seedCatalog } from "../search/seed";

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 16_000);
const PRODUCERS = Number(process.env.BENCH_PRODUCERS ?? 6_500);
const log = (m: string) => console.log(`[bench/feeds] ${m}`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-bench-feeds-"));
const server = process.env.BENCH_DATABASE_URL
  ? { url: process.env.BENCH_DATABASE_URL, stop: async () => {} }
  : await startEmbeddedPostgres({ dir: path.join(dataDir, "pg"), database: "bench_feeds" });
process.env.DATA_DIR = dataDir;
process.env.DATABASE_URL = server.url;
process.env.APP_URL ??= "https://ocop.example.vn";

async function seed() {
  await prepareDatabase({ ...process.env, DATABASE_URL: server.url }, log);
  const db = new pg.Client({ connectionString: server.url });
  await db.connect();
  try {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Product"`);
    if (rows[0]!.n > 0) throw new Error(`the database already holds ${rows[0]!.n} products: give an empty one`);
    await seedCatalog(server.url, PRODUCTS, PRODUCERS, log);
    // Every approved producer delivers: its own province, and the rest of the country.
    await db.query(`INSERT INTO "DeliverySettings" ("producerId", "flatFeeVnd", "freeAboveVnd", "updatedAt")
      SELECT id, 5000, 500000, now() FROM "Producer" WHERE status = 'APPROVED'`);
    await db.query(`INSERT INTO "DeliveryZone" (id, "producerId", name, "provinceCodes", "coversRest", "feeVnd", "minDays", "maxDays", position)
      SELECT 'z1-' || id, id, 'Trong tỉnh', ARRAY["provinceCode"], false, 15000, 1, 2, 0 FROM "Producer" WHERE status = 'APPROVED'
      UNION ALL
      SELECT 'z2-' || id, id, 'Toàn quốc', ARRAY[]::text[], true, 35000, 3, 5, 1 FROM "Producer" WHERE status = 'APPROVED'`);
    await db.query("VACUUM (ANALYZE)");
  } finally {
    await db.end();
  }
}

async function measure<T>(floor: number, fn: () => Promise<T>): Promise<{ value: T; ms: number; peakOverFloor: number }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { value, ms, peakOverFloor: peak - floor };
}

try {
  await seed();
  const { prisma } = await import("../../app/db.server");
  const { buildScope, keptFeedInfo, rebuildChangedFeeds, producerStamps } = await import("../../app/domain/feeds/build.server");
  const counted = async () => {
    const listed = await prisma.product.count({
      where: { listingStatus: "LISTED", producer: { status: "APPROVED" }, images: { some: {} } },
    });
    const files = await prisma.storedFile.findMany({ where: { key: { startsWith: "feeds/site/" } }, select: { key: true, size: true } });
    const google = await keptFeedInfo({ kind: "site" }, "google");
    const meta = await keptFeedInfo({ kind: "site" }, "meta");
    const size = (key?: string) => files.find((f) => f.key === key)?.size ?? 0;
    return { listed, googleBytes: size(google?.key), metaBytes: size(meta?.key) };
  };
  await prisma.$queryRaw`SELECT 1`;
  global.gc?.();
  const floor = process.memoryUsage().rss;
  log(`floor: RSS ${mb(floor)} with the app modules loaded and the database answering`);

  const stamps = await measure(floor, () => producerStamps());
  log(`stamps of ${stamps.value.size} approved producers: ${stamps.ms.toFixed(0)} ms`);

  const site = await measure(floor, () => buildScope({ kind: "site" }, "bench-full"));
  const full = await counted();
  log(
    `site-wide feeds, ${full.listed} items: ${(site.ms / 1000).toFixed(2)} s, peak RSS ${mb(site.peakOverFloor)} over the floor; ` +
      `google.xml ${mb(full.googleBytes)}, meta.csv ${mb(full.metaBytes)}`,
  );

  // Half the products unlisted (a plain UPDATE, no trigger matters here), built again.
  await prisma.$executeRaw`UPDATE "Product" SET "listingStatus" = 'UNLISTED' WHERE right(id, 1) IN ('0','2','4','6','8')`;
  const half = await measure(floor, () => buildScope({ kind: "site" }, "bench-half"));
  const halved = await counted();
  log(`site-wide feeds, ${halved.listed} items: ${(half.ms / 1000).toFixed(2)} s, peak RSS ${mb(half.peakOverFloor)} over the floor`);
  await prisma.$executeRaw`UPDATE "Product" SET "listingStatus" = 'LISTED' WHERE right(id, 1) IN ('0','2','4','6','8')`;

  const round = await measure(floor, () => rebuildChangedFeeds());
  log(
    `first job round: site rebuilt ${round.value.site}, ${round.value.producers} producer feeds in ${(round.ms / 1000).toFixed(2)} s ` +
      `(${(round.ms / Math.max(1, round.value.producers + (round.value.site ? 1 : 0))).toFixed(0)} ms per scope), peak RSS ${mb(round.peakOverFloor)} over the floor`,
  );
  const idle = await measure(floor, () => rebuildChangedFeeds());
  log(
    `next round: site rebuilt ${idle.value.site}, ${idle.value.producers} producer feeds (the first build goes on) in ${(idle.ms / 1000).toFixed(2)} s`,
  );
  log(
    `memory: ${full.listed} items peak ${mb(site.peakOverFloor)}, ${halved.listed} items peak ${mb(half.peakOverFloor)} over the floor ` +
      `(flat when the two are close; a feed held whole would add about its size, ${mb(full.googleBytes)})`,
  );
  await prisma.$disconnect();
} finally {
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
