// `npm run keys:rotate`: a new Ed25519 key signs inspections from now on. The old key's
// private half is dropped and its public half stays published, so older records still verify.
// Uses DATABASE_URL, or the embedded database in $DATA_DIR/pg (and the SIGNING_KEY_SECRET
// the app uses, or its data/signing-secret).
// No restart: every instance reads the current key from the database each time it signs.
import { ensureDatabaseUrl } from "./database.mjs";

const stopDatabase = await ensureDatabaseUrl();
const { prisma } = await import("../app/db.server");
const { publishedKeys, rotateSigningKey } = await import("../app/domain/inspection/signing.server");

try {
  const id = await rotateSigningKey();
  const keys = await publishedKeys();
  console.log(`[ocop-trace] new signing key ${id}; published keys: ${keys.map((k) => `${k.kid}${k.retiredAt ? " (retired)" : ""}`).join(", ")}`);
} finally {
  await prisma.$disconnect();
  await stopDatabase();
}
