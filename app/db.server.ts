import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { APPLICATION_NAME } from "~/lib/instance.server";
import { setting } from "~/lib/env.server";

// The one PrismaClient, on PostgreSQL through the `pg` driver adapter. DATABASE_URL is
// set by `npm start` (the embedded server) or by whoever runs the app against their own.
export function databaseUrl(): string {
  return setting("DATABASE_URL");
}

function createClient() {
  const adapter = new PrismaPg({
    connectionString: databaseUrl(),
    max: setting("DATABASE_POOL_MAX"),
    application_name: APPLICATION_NAME,
  });
  // Under a burst, transactions queue for one of the pool's connections; Prisma's default
  // 2 s wait would turn that queue into errors instead of a slower answer.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 20_000, timeout: 20_000 } });
}

declare global {
  // Survives module reloads in dev so we keep one pool.
  var __ocopPrisma: PrismaClient | undefined;
}

export const prisma: PrismaClient = globalThis.__ocopPrisma ?? (globalThis.__ocopPrisma = createClient());
