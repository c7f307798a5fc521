// `npm run check:invariants`: checks money and stock over the whole database (the stock
// equation of every batch, half-made orders, order totals against their lines, PAID payments
// kept for nothing, recall buyers never told; see app/domain/audit/invariants.server.ts), prints
// what is wrong by batch and by order, and exits 1 when anything is. Safe on a live database:
// read-only aggregate queries. Uses DATABASE_URL, or the embedded database in $DATA_DIR/pg
// (the running one when the app is up). It says which database it checked, and refuses
// (exit 2) when there is none there or it holds no data: a check of a new, empty database
// would say "All invariants hold" of nothing.
import fs from "node:fs";
import path from "node:path";
import { ensureDatabaseUrl } from "./database.mjs";
import { dataDir } from "./paths.mjs";

function refuse(message: string): never {
  console.error(`check:invariants: ${message}`);
  process.exit(2);
}

if (!process.env.DATABASE_URL) {
  const dir = path.join(dataDir(), "pg");
  // Never create one: that is what `npm start` does, and a new cluster has nothing to check.
  if (!fs.existsSync(path.join(dir, "PG_VERSION")))
    refuse(
      `no database to check: ${dir} holds no PostgreSQL data. Set DATA_DIR to the app's data folder (the one \`npm start\` uses) or DATABASE_URL to its server.`,
    );
}
const stopDatabase = await ensureDatabaseUrl();
const url = new URL(process.env.DATABASE_URL!);
const where = `${decodeURIComponent(url.username) || "?"}@${url.hostname}:${url.port || "5432"}/${decodeURIComponent(url.pathname.slice(1))}`;
console.log(`Checking database ${where}`);
const { prisma } = await import("../app/db.server");
const { checkInvariants, formatProblems } = await import("../app/domain/audit/invariants.server");

let status = 0;
try {
  // COUNT(*) of each table: bigint.
  const [counts] = await prisma.$queryRaw<{ users: bigint; producers: bigint; products: bigint; orders: bigint }[]>`
    SELECT (SELECT COUNT(*) FROM "User") AS users, (SELECT COUNT(*) FROM "Producer") AS producers,
           (SELECT COUNT(*) FROM "Product") AS products, (SELECT COUNT(*) FROM "Order") AS orders`.catch((e: unknown) => {
    console.error(
      `check:invariants: database ${where} is not the app's (its tables cannot be read: ${e instanceof Error ? e.message.split("\n").pop() : String(e)})`,
    );
    return [];
  });
  if (!counts) status = 2;
  else if (Object.values(counts).every((v) => Number(v) === 0)) {
    console.error(
      `check:invariants: database ${where} has no data (no users, producers, products or orders): it is empty or was just created, not the app's database. Nothing was checked.`,
    );
    status = 2;
  } else {
    const problems = await checkInvariants(prisma);
    console.log(
      `${Number(counts.orders)} orders, ${Number(counts.products)} products of ${Number(counts.producers)} producers in ${where}.`,
    );
    console.log(formatProblems(problems));
    status = problems.length > 0 ? 1 : 0;
  }
} finally {
  await prisma.$disconnect();
  await stopDatabase();
}
process.exit(status);
