// Prisma 6.19 CLI config: JS engine + better-sqlite3 driver adapter, so no
// native engine is ever downloaded (see ../shared/TOOLCHAIN.md).
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= "/dev/null";
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/dev/null";

import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defaultDatabaseUrl } from "./scripts/paths.mjs";

process.env.DATABASE_URL ??= defaultDatabaseUrl();
// better-sqlite3 will not create a missing folder for the database file.
if (process.env.DATABASE_URL.startsWith("file:")) {
  fs.mkdirSync(path.dirname(path.resolve(process.env.DATABASE_URL.slice(5))), { recursive: true });
}

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaBetterSQLite3({ url: process.env.DATABASE_URL! }),
});
