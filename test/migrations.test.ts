import fs from "node:fs";
import path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import pg from "pg";

// `prisma migrate dev` does not work with the pg driver adapter, so migrations are
// written with `prisma migrate diff` by hand. This fails when they and the schema drift
// apart: one database built from the migrations, one from the schema alone, compared
// through the catalogs. The only differences allowed are the objects written by hand
// that Prisma cannot describe, each named here.
const HAND_WRITTEN = [
  "extension unaccent",
  "extension pg_trgm",
  "function ocop_fold",
  "constraint Product.Product_priceVnd_check",
  "constraint Batch.Batch_stock_check",
  "index CounterfeitFlag_open_key",
  "index Product_searchText_trgm_idx",
  "index Product_storefront_order_idx",
  "index Product_storefront_price_asc_idx",
  "index Product_storefront_price_desc_idx",
  "index LogLeaf_pending_idx",
  // ADR 017: any write to a lot's logged rows moves its viewVersion (the triggers that call them are not compared).
  "function ocop_lot_rows_changed",
  "function ocop_product_rows_changed",
  "function ocop_lot_row_changed",
  "function ocop_batch_changed",
  "index LogLeaf_product_only_idx",
  // Kept shop pages are dropped at once on a hold, recall or price change (server/page-changes.ts).
  "function ocop_shop_page_changed",
  "constraint Review.Review_rating_check",
];

function at(database: string) {
  const u = new URL(process.env.OCOP_TEST_SERVER_URL!);
  u.pathname = `/${database}`;
  return u.toString();
}

async function snapshot(url: string): Promise<Set<string>> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const q = async (sql: string) => (await db.query<{ line: string }>(sql)).rows.map((r) => r.line);
    return new Set(
      [
        ...(await q(`SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS line
                   FROM information_schema.columns WHERE table_schema = 'public'`)),
        ...(await q(`SELECT 'index ' || indexname || ': ' || indexdef AS line FROM pg_indexes WHERE schemaname = 'public'`)),
        ...(await q(`SELECT 'constraint ' || c.conrelid::regclass::text || '.' || c.conname || ': ' || pg_get_constraintdef(c.oid) AS line
                   FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'`)),
        ...(await q(`SELECT 'enum ' || t.typname || ': ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS line
                   FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' GROUP BY t.typname`)),
        ...(await q(`SELECT 'extension ' || extname AS line FROM pg_extension WHERE extname <> 'plpgsql'`)),
        ...(await q(`SELECT 'function ' || p.proname || ': ' || pg_get_functiondef(p.oid) AS line
                   FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                   WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`)),
      ].map((line) => line.replace(/"/g, "")),
    );
  } finally {
    await db.end();
  }
}

async function createDatabase(name: string, sql: string[]) {
  const admin = new pg.Client({ connectionString: at("postgres") });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const db = new pg.Client({ connectionString: at(name) });
  await db.connect();
  for (const s of sql) await db.query(s);
  await db.end();
}

describe("migrations and schema", () => {
  it("build the same database, apart from the hand-written objects named in this test", async () => {
    const migrations = fs
      .readdirSync("prisma/migrations")
      .filter((d) => fs.existsSync(path.join("prisma/migrations", d, "migration.sql")))
      .sort();
    const prefix = process.env.OCOP_TEST_PREFIX!;
    await createDatabase(
      `${prefix}_from_migrations`,
      migrations.map((d) => fs.readFileSync(path.join("prisma/migrations", d, "migration.sql"), "utf8")),
    );
    const fromSchema = execFileSync(
      path.resolve("node_modules/.bin/prisma"),
      ["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        env: { ...process.env, NODE_OPTIONS: `--require ${path.resolve("scripts/prisma-cli-preload.cjs")}` },
      },
    );
    await createDatabase(`${prefix}_from_schema`, [fromSchema]);
    const [a, b] = [await snapshot(at(`${prefix}_from_migrations`)), await snapshot(at(`${prefix}_from_schema`))];
    const onlyInMigrations = [...a].filter((x) => !b.has(x)).sort();
    const onlyInSchema = [...b].filter((x) => !a.has(x)).sort();
    expect(onlyInSchema).toEqual([]);
    const unexplained = onlyInMigrations.filter((line) => !HAND_WRITTEN.some((name) => line.startsWith(`${name}:`) || line === name));
    expect(unexplained).toEqual([]);
    // And every hand-written object is really there.
    for (const name of HAND_WRITTEN)
      expect(
        onlyInMigrations.some((line) => line.startsWith(`${name}:`) || line === name),
        name,
      ).toBe(true);
  }, 60_000);

  it("apply with prisma migrate deploy, as npm start and operators run them (it splits scripts on every semicolon, even in comments)", async () => {
    const name = `${process.env.OCOP_TEST_PREFIX!}_deployed`;
    await createDatabase(name, []);
    const deployed = spawnSync(path.resolve("node_modules/.bin/prisma"), ["migrate", "deploy"], {
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: at(name), NODE_OPTIONS: `--require ${path.resolve("scripts/prisma-cli-preload.cjs")}` },
    });
    expect(deployed.stdout + deployed.stderr).not.toMatch(/error/i);
    expect(deployed.status).toBe(0);
  }, 120_000);
});
