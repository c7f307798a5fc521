// `npm run code:latest -- 0912345678` (or an e-mail): prints the newest sign-up or
// password-reset message sent to it, code included. For developers on the demo, where no
// SMS gateway or SMTP is configured and codes stay in the outbox (the admin's outbox page
// never shows them). Uses DATABASE_URL, or the embedded database in $DATA_DIR/pg.
import { ensureDatabaseUrl } from "./database.mjs";

const raw = process.argv[2];
if (!raw) {
  console.error("usage: npm run code:latest -- <phone or e-mail>");
  process.exit(2);
}
const stopDatabase = await ensureDatabaseUrl();
const { prisma } = await import("../app/db.server");
const { parseIdentifier } = await import("../app/domain/identity/users.server");
const { identifierValue } = await import("../app/domain/identity/signup.server");
try {
  const id = parseIdentifier(raw);
  const recipient = id ? identifierValue(id) : raw;
  const message = await prisma.outboxMessage.findFirst({ where: { recipient, secret: true }, orderBy: { createdAt: "desc" } });
  if (!message) {
    console.log(`[ocop-trace] no code sent to ${recipient}`);
    process.exitCode = 1;
  } else {
    console.log(`[ocop-trace] ${message.createdAt.toISOString()} to ${recipient}: ${message.body}`);
  }
} finally {
  await prisma.$disconnect();
  await stopDatabase();
}
