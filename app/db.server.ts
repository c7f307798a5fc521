import path from "node:path";
import fs from "node:fs";
import { PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// The one PrismaClient. DATABASE_URL defaults to ./data/ocop-trace.db, the same
// default the start script and prisma.config.ts use.
function databaseUrl(): string {
  const url = process.env.DATABASE_URL ?? `file:${path.join(process.cwd(), "data", "ocop-trace.db")}`;
  if (url.startsWith("file:")) fs.mkdirSync(path.dirname(path.resolve(url.slice(5))), { recursive: true });
  return url;
}

function createClient() {
  const url = databaseUrl();
  const client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url }) });
  if (url.startsWith("file:")) {
    // WAL lets scans be written while pages read, and NORMAL sync is still durable
    // across crashes of the app (only a power loss may drop the last commits).
    void client.$queryRawUnsafe("PRAGMA journal_mode = WAL").then(() => client.$queryRawUnsafe("PRAGMA synchronous = NORMAL")).catch((e: unknown) => console.error("[db] pragma failed", e));
  }
  return client;
}

declare global {
  // Survives module reloads in dev so we keep one connection.
  var __ocopPrisma: PrismaClient | undefined;
}

export const prisma: PrismaClient = globalThis.__ocopPrisma ?? (globalThis.__ocopPrisma = createClient());
