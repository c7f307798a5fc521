// `npm run keys:rotate`: a new Ed25519 key signs inspections from now on. The old key's
// private half is dropped and its public half stays published, so older records still verify.
// Needs DATABASE_URL (and the SIGNING_KEY_SECRET the app uses, or its data/signing-secret).
// No restart: every instance reads the current key from the database each time it signs.
import { prisma } from "../app/db.server";
import { publishedKeys, rotateSigningKey } from "../app/domain/inspection/signing.server";

try {
  const id = await rotateSigningKey();
  const keys = await publishedKeys();
  console.log(`[ocop-trace] new signing key ${id}; published keys: ${keys.map((k) => `${k.kid}${k.retiredAt ? " (retired)" : ""}`).join(", ")}`);
} finally {
  await prisma.$disconnect();
}
