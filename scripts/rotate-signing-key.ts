// `npm run keys:rotate`: a new Ed25519 key signs inspections from now on.
// `npm run keys:rotate -- --log`: a new key signs the public log's checkpoints from now on.
// The old key's private half is dropped and its public half stays published (inspections:
// /.well-known/ocop-trace-keys.json; the log: /log/keys), so older records and checkpoints still verify.
// Uses DATABASE_URL, or the embedded database in $DATA_DIR/pg (and the SIGNING_KEY_SECRET
// the app uses, or its data/signing-secret).
// No restart: every instance reads the current key from the database each time it signs.
import { ensureDatabaseUrl } from "./database.mjs";

const purpose = process.argv.includes("--log") ? "log" : "inspection";
const stopDatabase = await ensureDatabaseUrl();
const { prisma } = await import("../app/db.server");
const { publishedKeys, rotateSigningKey } = await import("../app/domain/keys/signing-keys.server");
const { logVerifierKeys } = await import("../app/domain/log/published-log.server");

try {
  const id = await rotateSigningKey(purpose);
  if (purpose === "log") {
    const keys = await logVerifierKeys();
    console.log(
      `[ocop-trace] new log key ${id}; witnesses and verifiers should add it (GET /log/keys):\n${keys.map((k) => `  ${k.text}${k.current ? "" : " (retired)"}`).join("\n")}`,
    );
  } else {
    const keys = await publishedKeys();
    console.log(
      `[ocop-trace] new signing key ${id}; published keys: ${keys.map((k) => `${k.kid}${k.retiredAt ? " (retired)" : ""}`).join(", ")}`,
    );
  }
} finally {
  await prisma.$disconnect();
  await stopDatabase();
}
