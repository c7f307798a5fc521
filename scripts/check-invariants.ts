// `npm run check:invariants`: checks money and stock over the whole database (the stock
// equation of every batch, half-made orders, PAID payments kept for nothing, recall buyers
// never told; see app/domain/audit/invariants.server.ts), prints what is wrong by batch and
// by order, and exits 1 when anything is. Safe on a live database: read-only aggregate queries.
// Uses DATABASE_URL, or the embedded database in $DATA_DIR/pg (the running one when the app is up).
import { ensureDatabaseUrl } from "./database.mjs";

const stopDatabase = await ensureDatabaseUrl();
const { prisma } = await import("../app/db.server");
const { checkInvariants, formatProblems } = await import("../app/domain/audit/invariants.server");

let failed = false;
try {
  const problems = await checkInvariants(prisma);
  console.log(formatProblems(problems));
  failed = problems.length > 0;
} finally {
  await prisma.$disconnect();
  await stopDatabase();
}
process.exit(failed ? 1 : 0);
