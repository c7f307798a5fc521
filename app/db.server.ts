import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { setting } from "~/lib/env.server";
import { appPool, withReleasingTransactions } from "~/lib/pg-pools.server";

// The one PrismaClient, on PostgreSQL through the `pg` driver adapter. DATABASE_URL is
// set by `npm start` (the embedded server) or by whoever runs the app against their own.
export function databaseUrl(): string {
  return setting("DATABASE_URL");
}

function createClient() {
  // Our own pool (lib/pg-pools.server.ts): error listeners on every client, a bounded wait
  // for a connection, and transactions that release a dead client instead of keeping it.
  const pool = appPool("db", { connectionString: databaseUrl(), max: setting("DATABASE_POOL_MAX") });
  const adapter = withReleasingTransactions(new PrismaPg(pool));
  // Under a burst, transactions queue for one of the pool's connections; Prisma's default
  // 2 s wait would turn that queue into errors instead of a slower answer.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 20_000, timeout: 20_000 } });
}

declare global {
  // Survives module reloads in dev so we keep one pool.
  var __ocopPrisma: PrismaClient | undefined;
}

export const prisma: PrismaClient = globalThis.__ocopPrisma ?? (globalThis.__ocopPrisma = createClient());
